IDELETE FROM runs WHERE replicate=1; UPDATE runs SET status='running' WHERE run_id=2; UPDATE runs SET status='failed' WHERE run_id=4;
