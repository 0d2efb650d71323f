NPRAGMA user_version=99;
