DUPDATE runs SET replicate=2147483647 WHERE run_id=2;
