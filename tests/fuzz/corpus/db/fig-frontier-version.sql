KPRAGMA user_version=99;
