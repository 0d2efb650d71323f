BPRAGMA user_version=99;
