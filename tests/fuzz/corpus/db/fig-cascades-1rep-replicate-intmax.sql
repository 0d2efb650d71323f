NDELETE FROM runs WHERE replicate=1; UPDATE runs SET replicate=2147483647 WHERE run_id=2;
