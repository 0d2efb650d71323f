JPRAGMA user_version=99;
