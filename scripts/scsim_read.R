# scripts/scsim_read.R - read an scsim results database (docs/results.md) in one call, with
# DBI and RSQLite. Functions return data frames.
#
#   source("scripts/scsim_read.R")
#   runs <- scsim_run_table("results/exs.db")                 # pooled runs, one row each
#   runs <- scsim_run_table("results/exs.db", sweep = "error-x-spillover")
#   con  <- scsim_contrasts("results/exs.db", ref = "baseline")  # scsim compare's rows
#
# From the shell (CSV on stdout): Rscript scripts/scsim_read.R DB [SWEEP]
#
# run_table is the wide view of schema 6: one row per run with run_id, sweep_id, sweep,
# point, replicate, scenario, label, seed, status, duplicate, overrides, varied_json, a
# column per varied parameter (named by its scenario key, e.g. `spillover.partners.beta`)
# and the headline summary figures. By default only the runs readers may pool (status
# 'done', not a duplicate). The database is opened read-only.

scsim_connect <- function(path) {
  if (!file.exists(path)) stop(sprintf("%s: no such file", path))
  DBI::dbConnect(RSQLite::SQLite(), path, flags = RSQLite::SQLITE_RO)
}

scsim_query <- function(path, sql, params = NULL) {
  con <- scsim_connect(path)
  on.exit(DBI::dbDisconnect(con))
  if (is.null(params)) DBI::dbGetQuery(con, sql) else DBI::dbGetQuery(con, sql, params = params)
}

scsim_has <- function(con, name) {
  nrow(DBI::dbGetQuery(con, "SELECT 1 FROM sqlite_master WHERE name = ?",
                       params = list(name))) > 0
}

scsim_run_table <- function(path, sweep = NULL, pooled = TRUE) {
  con <- scsim_connect(path)
  on.exit(DBI::dbDisconnect(con))
  if (!scsim_has(con, "run_table"))
    stop(sprintf(paste0("%s has no run_table view: written by an scsim before results ",
                        "schema 6; copy it into a new database with scsim merge NEW.db %s"),
                 path, path))
  where <- character(0)
  params <- list()
  if (pooled) where <- c(where, "status = 'done' AND duplicate = 0")
  if (!is.null(sweep)) {
    where <- c(where, "sweep = ?")
    params <- c(params, list(sweep))
  }
  sql <- "SELECT * FROM run_table"
  if (length(where)) sql <- paste(sql, "WHERE", paste(where, collapse = " AND "))
  sql <- paste(sql, "ORDER BY run_id")
  if (length(params)) DBI::dbGetQuery(con, sql, params = params) else DBI::dbGetQuery(con, sql)
}

scsim_contrasts <- function(path, ref = NULL) {
  con <- scsim_connect(path)
  on.exit(DBI::dbDisconnect(con))
  if (!scsim_has(con, "contrasts"))
    stop(sprintf("%s has no contrasts table: run scsim compare on it first", path))
  if (is.null(ref))
    return(DBI::dbGetQuery(con, "SELECT * FROM contrasts ORDER BY ref, label, metric, grp"))
  DBI::dbGetQuery(con, "SELECT * FROM contrasts WHERE ref = ? ORDER BY label, metric, grp",
                  params = list(ref))
}

if (sys.nframe() == 0L) {   # run as a script: Rscript scripts/scsim_read.R DB [SWEEP]
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) < 1) stop("usage: Rscript scripts/scsim_read.R DB [SWEEP]")
  t <- scsim_run_table(args[1], sweep = if (length(args) > 1) args[2] else NULL)
  utils::write.csv(t, stdout(), row.names = FALSE)
}
