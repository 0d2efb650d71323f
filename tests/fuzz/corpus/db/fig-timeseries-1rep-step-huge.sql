EDELETE FROM runs WHERE replicate=1; INSERT INTO metric_rows SELECT run_id, 10000000, metric, grp, value FROM metric_rows WHERE run_id=1 LIMIT 1;
