@UPDATE runs SET point=999999999 WHERE run_id=3;
