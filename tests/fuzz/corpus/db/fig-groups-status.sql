HUPDATE runs SET status='running' WHERE run_id=2; UPDATE runs SET status='failed' WHERE run_id=3;
