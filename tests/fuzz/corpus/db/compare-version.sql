CPRAGMA user_version=99;
