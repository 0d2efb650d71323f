LPRAGMA user_version=99;
