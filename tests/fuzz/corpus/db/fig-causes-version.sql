GPRAGMA user_version=99;
