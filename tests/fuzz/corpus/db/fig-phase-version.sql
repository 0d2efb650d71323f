PPRAGMA user_version=99;
