/* plots/report.h - the PDF brief of a results database. Prefix report_.
 * The command half (`scsim report`) is sim/cli/cli_report.c; this layer never prints. */
#ifndef PLOTS_REPORT_H
#define PLOTS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The paper every page of the brief has, landscape. */
typedef enum { REPORT_A4, REPORT_LETTER } report_paper;

/* What a written brief holds: pages, the runs it read and the run groups they form. */
typedef struct report_info {
    int pages;
    size_t nrun, ngroups;
} report_info;

/* Writes the brief of runs ids[0..nids) of database db to the PDF out, every page of paper
 * (landscape A4, 842 x 595 pt, or Letter, 792 x 612 pt): title page with the headline
 * tables (continued on a second page when they do not fit), one page per standard figure
 * with data (the network page only for a cascade of at least 10 listings), each figure
 * scaled to fit above its caption; the appendix: per run group its provenance and resolved
 * parameters as tables, and the SQL of the headline tables.
 * nids == 0: the runs of the last 6 run groups. db: read-only. info may be NULL.
 * Returns SIM_OK; SIM_EUSAGE for more than 256 ids, SIM_EIO/SIM_EDB/SIM_ENOMEM with err set;
 * on error out is removed. */
sim_status report_write(const char *db, const int64_t *ids, size_t nids, const char *out,
                        report_paper paper, report_info *info, sim_err *err);

#endif
