QPRAGMA user_version=99;
