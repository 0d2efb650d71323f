AUPDATE runs SET scenario_name=char(27)||'[31mred'||char(7)||char(8238) WHERE run_id=1;
