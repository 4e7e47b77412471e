# More lme4 references for Tandem's crossed random effects (tandem.measure.crossed_reml), made in
# Tandem (the shared folder's ref_crossed.R made ref_crossed.json). lme4 1.1-31, R 4.2.2.
# Run in tests/reference: Rscript ref_crossed_tandem.R  (writes ref_crossed_tandem.json and
# insteval.csv.gz)
# For each data set, y ~ 1 + (1 | ratee) + (1 | rater) by REML, twice:
#  - "default": lmer's default optimiser and tolerances (what users of lme4 get);
#  - "tight": bobyqa with rhoend = 1e-12, so the optimum itself is pinned down to ~1e-8;
# with the intercept's standard error and the conditional SDs of every effect (condVar);
# for InstEval, the default fit's effects are left out to keep the file small.
suppressMessages({library(lme4); library(jsonlite)})
fit <- function(d, f, control = lmerControl(), per_level = TRUE) {
  m <- lmer(f, data = d, REML = TRUE, control = control)
  vc <- as.data.frame(VarCorr(m))
  re <- ranef(m, condVar = TRUE)
  out <- list(formula = deparse(f), n = nrow(d), fixef = unname(fixef(m)[1]),
              fixef_se = unname(sqrt(diag(as.matrix(vcov(m))))[1]), reml_criterion = REMLcrit(m),
              theta = as.list(getME(m, "theta")), variance = setNames(as.list(vc$vcov), vc$grp))
  if (per_level) {
    out$effects <- lapply(re, function(x) setNames(as.list(x[, 1]), rownames(x)))
    out$cond_sd <- lapply(re, function(x) setNames(as.list(sqrt(attr(x, "postVar")[1, 1, ])), rownames(x)))
  }
  out
}
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
both <- function(d, f, per_level = TRUE) {
  list(default = fit(d, f, per_level = per_level), tight = fit(d, f, tight))
}
out <- list(made_by = paste("lme4", packageVersion("lme4"), R.version.string))
# 1. lme4::Penicillin (24 plates x 6 samples, fully crossed)
data(Penicillin)
out$penicillin <- both(Penicillin, diameter ~ 1 + (1 | plate) + (1 | sample))
# 2. The shared folder's simulated 360 (sim360_crossed.csv, made by ref_crossed.R)
sim <- read.csv("sim360_crossed.csv", colClasses = c("character", "character", "numeric"))
out$sim360 <- both(sim, score ~ 1 + (1 | ratee) + (1 | rater))
# 3. The docstring example of crossed_reml: four people, each rated by three of four colleagues
toy <- data.frame(y = c(4.9, 4.1, 3.4, 3.1, 2.6, 2.9, 2.1, 2.6, 3.2, 4.6, 5.0, 4.4),
                  ratee = rep(c("ana", "ben", "cy", "dee"), each = 3),
                  rater = c("r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"))
out$toy <- both(toy, y ~ 1 + (1 | ratee) + (1 | rater))
# 4. lme4::InstEval: 73,421 ratings of 1,128 lecturers (d) by 2,972 students (s), a real
#    crossed rater data set (ETH Zurich course evaluations, 1-5). Lecturers are the ratees.
data(InstEval)
ie <- data.frame(s = as.character(InstEval$s), d = as.character(InstEval$d), y = InstEval$y)
gz <- gzfile("insteval.csv.gz", "w"); write.csv(ie, gz, row.names = FALSE); close(gz)
out$insteval <- both(ie, y ~ 1 + (1 | d) + (1 | s), per_level = FALSE)  # effects: tight only
writeLines(toJSON(out, auto_unbox = TRUE, digits = 12), "ref_crossed_tandem.json")
