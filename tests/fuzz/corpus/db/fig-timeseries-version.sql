EPRAGMA user_version=99;
