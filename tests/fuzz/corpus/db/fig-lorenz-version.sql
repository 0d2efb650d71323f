IPRAGMA user_version=99;
