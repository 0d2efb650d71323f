OPRAGMA user_version=99;
