BDELETE FROM metric_rows WHERE step=1; DELETE FROM summary_rows WHERE run_id=2;
