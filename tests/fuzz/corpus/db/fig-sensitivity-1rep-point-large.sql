QDELETE FROM runs WHERE replicate=1; UPDATE runs SET point=999999999 WHERE run_id=4;
