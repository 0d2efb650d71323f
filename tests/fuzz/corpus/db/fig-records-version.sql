MPRAGMA user_version=99;
