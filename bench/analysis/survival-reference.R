#!/usr/bin/env Rscript
# Times R's survival on the data written by bench/analysis/survival.ts: survfit (Kaplan-Meier by arm,
# log-log CI) and coxph (Efron ties, arm + age, stratified), best of REPEATS, computation only.
# Prints one JSON line: seconds per task, and the estimates for the consistency check.
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survival))
d <- read.csv(args[1])
repeats <- as.integer(args[2])
best <- function(f) { t <- replicate(repeats, system.time(f())[["elapsed"]]); list(best = min(t), all = t) }
km <- function() survfit(Surv(time, event) ~ arm, data = d, conf.type = "log-log")
cox <- function() coxph(Surv(time, event) ~ arm + age + strata(stratum), data = d, ties = "efron")
tk <- best(km); tc <- best(cox)
fit <- cox(); s <- summary(km(), rmean = "none")$table
cat(sprintf('{"km_seconds":%.6f,"km_all":[%s],"cox_seconds":%.6f,"cox_all":[%s],"beta":[%s],"medians":[%s]}\n',
  tk$best, paste(sprintf("%.6f", tk$all), collapse = ","), tc$best, paste(sprintf("%.6f", tc$all), collapse = ","),
  paste(sprintf("%.17g", coef(fit)), collapse = ","), paste(sprintf("%.17g", s[, "median"]), collapse = ",")))
