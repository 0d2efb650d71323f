DPRAGMA user_version=99;
