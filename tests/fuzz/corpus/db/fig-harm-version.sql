FPRAGMA user_version=99;
