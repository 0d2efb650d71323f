CDELETE FROM runs WHERE replicate=1; DELETE FROM metric_rows WHERE step=1; DELETE FROM summary_rows WHERE run_id=2;
