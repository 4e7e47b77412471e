# More lavaan reference numbers for Tandem's confirmatory factor analysis (tandem.measure.cfa and
# .invariance), beyond the shared reference.json (hs_cfa, ac_cfa) and ref_invariance.json.
# Made with lavaan 0.6-14 (Debian r-cran-lavaan) and R 4.2.2 on the project's machine.
# Run in this folder: Rscript ref_cfa.R   (reads the CSV files here, writes ref_cfa.json and
# PoliticalDemocracy.csv).
suppressMessages({library(lavaan); library(jsonlite)})
fm <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
        "srmr", "aic", "bic", "logl", "npar", "ntotal", "baseline.chisq", "baseline.df")
model_text <- function(factors) paste(sprintf("%s =~ %s", names(factors),
  sapply(factors, paste, collapse = " + ")), collapse = "\n")
one <- function(call, factors, data, file, ...) {
  fit <- cfa(model_text(factors), data = data, ...)
  pe <- parameterEstimates(fit)
  std <- standardizedSolution(fit)
  list(call = call, file = file, factors = factors, nobs = lavInspect(fit, "nobs"),
       fit = as.list(fitMeasures(fit, fm)),
       est = pe[, intersect(c("lhs", "op", "rhs", "group", "est", "se"), names(pe))],
       std = std[, intersect(c("lhs", "op", "rhs", "group", "est.std"), names(std))])
}
diff_test <- function(restricted, general) {
  a <- anova(general, restricted)
  list(chisq = a[2, "Chisq diff"], df = a[2, "Df diff"], p = a[2, "Pr(>Chisq)"])
}
invariance <- function(call, factors, data, file, group) {
  m <- model_text(factors)
  fits <- list(configural = cfa(m, data = data, group = group),
               metric = cfa(m, data = data, group = group, group.equal = "loadings"),
               scalar = cfa(m, data = data, group = group,
                            group.equal = c("loadings", "intercepts")))
  out <- list(call = call, file = file, factors = factors, group = group,
              group_labels = lavInspect(fits$configural, "group.label"),
              nobs = lavInspect(fits$configural, "nobs"))
  for (s in names(fits)) {
    pe <- parameterEstimates(fits[[s]])
    std <- standardizedSolution(fits[[s]])
    out[[s]] <- list(fit = as.list(fitMeasures(fits[[s]], fm)),
                     est = pe[, c("lhs", "op", "rhs", "group", "est", "se")],
                     std = std[, c("lhs", "op", "rhs", "group", "est.std")])
  }
  out$metric_vs_configural <- diff_test(fits$metric, fits$configural)
  out$scalar_vs_metric <- diff_test(fits$scalar, fits$metric)
  out
}
res <- list(made_by = paste("lavaan", packageVersion("lavaan"), R.version.string))

# 1. Holzinger-Swineford: three factors against one (anova), and invariance across sex.
hs <- read.csv("HolzingerSwineford1939.csv")
hs3 <- list(visual = c("x1", "x2", "x3"), textual = c("x4", "x5", "x6"), speed = c("x7", "x8", "x9"))
res$hs_three <- one("lavaan::cfa(HS.model, data = HolzingerSwineford1939)", hs3, hs,
                    "HolzingerSwineford1939.csv")
res$hs_one <- one("lavaan::cfa('g =~ x1 + ... + x9', data = HolzingerSwineford1939)",
                  list(g = paste0("x", 1:9)), hs, "HolzingerSwineford1939.csv")
res$hs_one_vs_three <- diff_test(cfa(model_text(list(g = paste0("x", 1:9))), data = hs),
                                 cfa(model_text(hs3), data = hs))
res$hs_sex <- invariance("lavaan::cfa(HS.model, data = HolzingerSwineford1939, group = 'sex', group.equal = ...)",
                         hs3, hs, "HolzingerSwineford1939.csv", "sex")
res$hs_school <- invariance("lavaan::cfa(HS.model, data = HolzingerSwineford1939, group = 'school', group.equal = ...)",
                            hs3, hs, "HolzingerSwineford1939.csv", "school")

# 2. bfi: the five-factor model on the raw items (missing answers: listwise, n = 2436), the
#    one-factor model, and Neuroticism + Conscientiousness across gender (1, 2).
bfi <- read.csv("bfi.csv")
big5 <- list(A = paste0("A", 1:5), C = paste0("C", 1:5), E = paste0("E", 1:5),
             N = paste0("N", 1:5), O = paste0("O", 1:5))
res$bfi_five <- one("lavaan::cfa(big5, data = psychTools::bfi)", big5, bfi, "bfi.csv")
res$bfi_one <- one("lavaan::cfa('g =~ A1 + ... + O5', data = psychTools::bfi)",
                   list(g = unlist(big5, use.names = FALSE)), bfi, "bfi.csv")
res$bfi_nc_gender <- invariance("lavaan::cfa('N =~ N1 + ... + N5; C =~ C1 + ... + C5', data = psychTools::bfi, group = 'gender', group.equal = ...)",
                                big5[c("N", "C")], bfi, "bfi.csv", "gender")
# five education levels, in order of first appearance (3, 2, 1, 5, 4); lavaan drops the 223
# rows without an education (with a warning)
res$bfi_n_education <- invariance("lavaan::cfa('N =~ N1 + ... + N5', data = psychTools::bfi, group = 'education', group.equal = ...)",
                                  big5["N"], bfi, "bfi.csv", "education")

# 3. lq2002 (multilevel): leadership, task significance and hostility, three factors. (Five
#    leadership items across its 49 companies, 10 to 99 soldiers each, did not converge in
#    lavaan after 7 minutes, so there is no reference for it.)
lq <- read.csv("lq2002.csv")
lq3 <- list(Leading = sprintf("LEAD%02d", 1:11), Significance = sprintf("TSIG%02d", 1:3),
            Hostility = sprintf("HOSTIL%02d", 1:5))
res$lq2002_three <- one("lavaan::cfa(lq.model, data = multilevel::lq2002)", lq3, lq, "lq2002.csv")


# 4. PoliticalDemocracy (lavaan; n = 75): a small sample, three factors.
write.csv(PoliticalDemocracy, "PoliticalDemocracy.csv", row.names = FALSE)
pd <- read.csv("PoliticalDemocracy.csv")
res$political_democracy <- one("lavaan::cfa(pd.model, data = PoliticalDemocracy)",
                               list(ind60 = c("x1", "x2", "x3"), dem60 = c("y1", "y2", "y3", "y4"),
                                    dem65 = c("y5", "y6", "y7", "y8")), pd, "PoliticalDemocracy.csv")

writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "ref_cfa.json")
