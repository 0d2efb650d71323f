/* sim/core/version.h - the scsim version, recorded in every run's provenance. */
#ifndef SIM_VERSION_H
#define SIM_VERSION_H
#define SCSIM_VERSION "0.1.0"
#define SCSIM_SCHEMA_VERSION 6   /* PRAGMA user_version; 5: no contrasts table nor run_table
                                    view; 4: no scenario hash, duplicate flag
                                    or label; 3: run ids reusable, no writer identity; 2:
                                    before the metric registry */
#endif
