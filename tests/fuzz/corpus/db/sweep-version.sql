APRAGMA user_version=99;
