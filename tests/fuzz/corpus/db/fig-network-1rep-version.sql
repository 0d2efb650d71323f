ODELETE FROM runs WHERE replicate=1; PRAGMA user_version=99;
