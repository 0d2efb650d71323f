IDELETE FROM runs WHERE replicate=1; UPDATE runs SET sweep_id=NULL, point=-5 WHERE run_id=4; INSERT INTO sweep_params VALUES(1,0,'population.persons',1e300);
