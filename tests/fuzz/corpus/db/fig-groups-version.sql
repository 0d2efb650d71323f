HPRAGMA user_version=99;
