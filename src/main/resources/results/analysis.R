# The confirmatory analysis of a SAG Study export.
# Run it beside the export's answers.csv:   Rscript analysis.R [answers.csv]
#
# Primary question: does SAG help people predict the classifier on the kinds of question the study design declares
# primary (answers.csv: primary_outcome == "true")? On look-up kinds (both-in-sag, one-in-sag) SAG readers can read
# the answer off the graph, so those answers are a manipulation check and stay out of the headline.
#
# Primary model (lme4, binomial):
#   correct ~ condition + gap_c + patches_c + trial_c
#             + (1 | participant) + (1 | item) + (1 | item:condition) + (1 | photo)
# - (1 | participant): people differ in skill.
# - (1 | item) + (1 | item:condition): items differ in difficulty AND in how much each explanation helps on them.
#   Every participant answers the same sample of items, so an item-by-condition interaction moves all participants
#   of a condition together; without a term for it the model mistakes that item-sample luck for a condition effect
#   and the SAG test rejects too often. This is the random slope (1 + condition | item) with one variance for every
#   condition and one shared correlation (compound symmetry): two variance parameters, which the few items of a study
#   can support, where the full slope would need six for three conditions. It covers every contrast alike (SAG vs
#   Grad-CAM and SAG vs I-GOS), which a by-item SAG-only slope (1 + sag || item) does not: with that slope the
#   Grad-CAM/I-GOS part of the item spread is left out and each SAG contrast rejected 9-10% of null studies at an
#   item x condition SD of 0.35-0.7 (scripts/bench/false-positives.sh; 6% with this term).
# - (1 | photo): several items come from one photo and share its difficulty.
# - Each confirmatory contrast, SAG against one other condition, comes from this model fitted to the answers of those
#   two conditions alone (primary_contrasts). One item x condition variance for all conditions assumes that every
#   explanation's help varies over the items equally; when SAG's varies more than the heat maps' (which may agree
#   with each other item by item), a fit to all conditions underrates the item part of a SAG contrast's variance (by
#   up to a third with three conditions): its test rejected 10.0% of 200 null studies where the pairwise one rejected
#   4.5% (false-positives.sh, sag-only, SD 1.4, 20 items). With two conditions the one variance describes the
#   contrast exactly. The fit to all conditions still gives the marginal accuracies, the random SDs and the power
#   request.
# - gap_c, patches_c, trial_c: centred item/trial covariates, scaled to roughly unit ranges so that the
#   weakly-informative prior of the separation fallback (sd 2.5 per coefficient) is weak for each of them.
# The reference level of condition is sag, so every condition coefficient is "other minus SAG".
#
# Fallbacks (printed in the "diagnostics" section and summed up in the line "model used: ... because ..."):
# 1. Convergence warnings (caught while fitting, plus lme4's own convergence messages): refit with the optimisers
#    allFit() would try (bobyqa, Nelder_Mead, nlminbwrap) one at a time, and keep the first without warnings.
# 2. Singular fit: drop, in this order, the item x condition term and then the photo intercept, each only when its
#    variance is the one estimated at zero. A zero variance adds nothing to the likelihood, so dropping that term
#    leaves the estimates as they are; dropping a term whose variance is NOT zero (because some other variance hit
#    the boundary) would change the model, and dropping the item x condition term that way would make the test
#    anti-conservative.
# 3. Separation or a near-0%/100% condition (observed accuracy >= 0.98 or <= 0.02, |fixed effect| > 10 or SE > 5):
#    refit with blme::bglmer, fixef.prior = normal(sd = c(10, 2.5)) (intercept sd 10, other coefficients 2.5, the
#    standard weakly-informative prior) and cov.prior = wishart. An extreme observed accuracy is known before any
#    fit, so then glmer is not tried at all. The Wishart prior keeps variances off zero, so bglmer starts again from
#    the full random-effects structure, item x condition term included; but it does not keep them from infinity, and
#    when SAG is at 100% the item x condition SD can run away (to hundreds on the logit scale). A structure with an SD
#    above 10 is abandoned for the next: without the item x condition term, then also without the photo intercept.
#
# Secondary, exploratory: condition x question_kind over all included trial kinds (likelihood-ratio test) and the
# observed accuracy per kind and condition.
#
# Sourcing this file (e.g. from false-positives.R) defines the functions without running the analysis.

suppressPackageStartupMessages({
  library(lme4)
  library(emmeans)
})
# blme is only needed for the separation fallback; without it that fallback is reported as unavailable.
have_blme <- suppressPackageStartupMessages(requireNamespace("blme", quietly = TRUE))

PRIMARY_FALLBACK_KINDS <- c("neither-random", "neither-searched")
OPTIMISERS <- c("bobyqa", "Nelder_Mead", "nlminbwrap")
EXTREME_ACCURACY <- c(0.02, 0.98)
BOUNDARY_SD <- 1e-4  # lme4's own isSingular() tolerance on theta (theta is the SD for a binomial model)
RUNAWAY_SD <- 10     # logit scale: an SD this large means every level is at 0% or 100%

# ---------------------------------------------------------------------------------------------------------------
# Data

# Everything is read as text and converted here, so that "true"/"false", empty cells and odd patch strings cannot
# be guessed into other types by read.csv.
read_answers <- function(path) {
  read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE)
}

is_true <- function(x) tolower(trimws(x)) == "true"
is_false <- function(x) tolower(trimws(x)) == "false"
count_patches <- function(x) lengths(regmatches(x, gregexpr("[0-9]+", x)))

# Included trial answers, and the primary subset with the rule that selected it.
prepare_trials <- function(answers) {
  needed <- c("participant", "condition", "image_id", "item_id", "item_kind", "question_kind", "trial_index",
              "left_patches", "right_patches", "confidence_gap", "correct", "excluded")
  missing <- setdiff(needed, names(answers))
  if (length(missing) > 0) stop("answers.csv lacks the column(s): ", paste(missing, collapse = ", "))
  d <- answers[is_false(answers$excluded) & answers$item_kind == "trial", , drop = FALSE]
  d$correct <- as.integer(is_true(d$correct))
  d$confidence_gap <- suppressWarnings(as.numeric(d$confidence_gap))
  d$trial_index <- suppressWarnings(as.numeric(d$trial_index))
  d$patches <- (count_patches(d$left_patches) + count_patches(d$right_patches)) / 2
  if ("primary_outcome" %in% names(d)) {
    primary <- d[is_true(d$primary_outcome), , drop = FALSE]
    rule <- "primary_outcome == \"true\" (the study design's declared primary kinds)"
  } else {
    primary <- d[d$question_kind %in% PRIMARY_FALLBACK_KINDS, , drop = FALSE]
    rule <- paste0("NO primary_outcome column in this export: falling back to question_kind in (",
                   paste(PRIMARY_FALLBACK_KINDS, collapse = ", "), ")")
  }
  list(trials = d, primary = primary, rule = rule)
}

condition_factor <- function(x) {
  levels <- sort(unique(x))
  if ("sag" %in% levels) levels <- c("sag", setdiff(levels, "sag"))
  factor(x, levels = levels)
}

observed_accuracy <- function(d) {
  sapply(split(d$correct, d$condition), mean)
}

# ---------------------------------------------------------------------------------------------------------------
# Fitting

# One fit with one optimiser: warnings and messages are caught (not printed) so the caller can decide what they mean.
fit_once <- function(formula, data, engine, optimizer) {
  # lme4/emmeans re-find `data` through the formula's environment.
  environment(formula) <- environment()
  warnings <- character(0)
  fit <- withCallingHandlers(
    tryCatch({
      control <- glmerControl(optimizer = optimizer)
      if (engine == "glmer") {
        glmer(formula, data = data, family = binomial, control = control)
      } else {
        blme::bglmer(formula, data = data, family = binomial, control = control,
                     fixef.prior = normal(sd = c(10, 2.5)), cov.prior = wishart)
      }
    }, error = function(e) e),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    },
    message = function(m) invokeRestart("muffleMessage"))
  if (inherits(fit, "error")) return(list(fit = NULL, error = conditionMessage(fit), problems = character(0)))
  # With a singular fit lme4 skips its gradient checks and only says "boundary (singular)": that is handled apart.
  conv <- fit@optinfo$conv$lme4$messages
  problems <- unique(gsub("\\s*\n\\s*", " ", c(warnings, conv)))
  problems <- problems[!grepl("boundary \\(singular\\)", problems)]
  list(fit = fit, error = NULL, problems = problems)
}

# A fit that converged without warnings if any optimiser gives one; otherwise the first fit that did not fail.
# `reject(fit)` may name a defect that no other optimiser would cure; such a fit ends the search (returned with
# $rejected set).
fit_converged <- function(formula, data, engine, log, reject = function(fit) NULL) {
  first <- NULL
  for (optimizer in OPTIMISERS) {
    attempt <- fit_once(formula, data, engine, optimizer)
    if (is.null(attempt$fit)) {
      log(sprintf("  %s (%s): failed: %s", engine, optimizer, attempt$error))
      next
    }
    attempt$rejected <- reject(attempt$fit)
    if (!is.null(attempt$rejected)) {
      log(sprintf("  %s (%s): %s", engine, optimizer, attempt$rejected))
      attempt$optimizer <- optimizer
      return(attempt)
    }
    if (length(attempt$problems) == 0) {
      if (optimizer != OPTIMISERS[1]) log(sprintf("  %s (%s): converged without warnings", engine, optimizer))
      attempt$optimizer <- optimizer
      attempt$note <- if (optimizer == OPTIMISERS[1]) NULL
                      else sprintf("%s converged where %s warned", optimizer, OPTIMISERS[1])
      return(attempt)
    }
    log(sprintf("  %s (%s): convergence warning: %s", engine, optimizer, paste(attempt$problems, collapse = "; ")))
    if (is.null(first)) {
      first <- attempt
      first$optimizer <- optimizer
    }
  }
  if (!is.null(first)) {
    first$note <- sprintf("no optimiser converged without warnings (kept %s; treat with caution)", first$optimizer)
  }
  first
}

model_formula <- function(fixed, by_condition, photo) {
  random <- c("(1 | participant)", "(1 | item)", if (by_condition) "(1 | item:condition)", if (photo) "(1 | photo)")
  paste("correct ~", paste(fixed, collapse = " + "), "+", paste(random, collapse = " + "))
}

# Which of the droppable terms have their SD at zero.
boundary_terms <- function(fit) {
  vc <- as.data.frame(VarCorr(fit))
  zero <- vc$sdcor < BOUNDARY_SD
  c(by_condition = any(zero & vc$grp == "item:condition"), photo = any(zero & vc$grp == "photo"))
}

separation_signs <- function(fit, accuracy) {
  signs <- character(0)
  extreme <- accuracy <= EXTREME_ACCURACY[1] | accuracy >= EXTREME_ACCURACY[2]
  if (any(extreme)) {
    signs <- c(signs, sprintf("observed accuracy %s", paste(sprintf("%s %.3f", names(accuracy)[extreme],
                                                                    accuracy[extreme]), collapse = ", ")))
  }
  if (!is.null(fit)) {
    # vcov() warns when the Hessian is not positive definite; the report prints that warning with the estimates.
    coefs <- suppressWarnings(summary(fit)$coefficients)
    big <- abs(coefs[, "Estimate"]) > 10 | coefs[, "Std. Error"] > 5 | !is.finite(coefs[, "Std. Error"])
    if (any(big)) {
      signs <- c(signs, sprintf("%s estimate/SE %s", paste(rownames(coefs)[big], collapse = ", "),
                                paste(sprintf("%.2f/%.2f", coefs[big, "Estimate"], coefs[big, "Std. Error"]),
                                      collapse = ", ")))
    }
  }
  signs
}

# Fits the primary model with the documented fallbacks. `p` is the primary data (from prepare_trials).
# Returns the fit, its formula, engine, the reason it was chosen, the diagnostics lines and the model data.
# drop_order = "stated" drops the item x condition term (then the photo intercept) on ANY singular fit, whichever variance is at
# zero; it exists only so that false-positives.R can show what that costs. The default drops a term only when its
# own variance is the one at zero.
fit_primary <- function(p, drop_order = c("boundary", "stated")) {
  drop_order <- match.arg(drop_order)
  diagnostics <- character(0)
  log <- function(...) diagnostics <<- c(diagnostics, paste0(...))
  d <- data.frame(correct = p$correct, condition = condition_factor(p$condition),
                  participant = factor(p$participant), item = factor(p$item_id), photo = factor(p$image_id),
                  gap = p$confidence_gap, patches = p$patches, trial = p$trial_index)

  # Covariates: dropped when constant (nothing to estimate) or entirely missing; rows missing a used one are dropped.
  covariates <- c(gap_c = "gap", patches_c = "patches", trial_c = "trial")
  scale_by <- c(gap_c = 0.1, patches_c = 10, trial_c = 10)  # per 0.1 of confidence, per 10 patches, per 10 trials
  used <- character(0)
  for (name in names(covariates)) {
    x <- d[[covariates[[name]]]]
    if (all(is.na(x)) || length(unique(x[!is.na(x)])) < 2) {
      log(sprintf("covariate %s omitted: constant or missing in the primary data", name))
      next
    }
    used <- c(used, name)
  }
  complete <- stats::complete.cases(d[, covariates[used], drop = FALSE])
  if (any(!complete)) {
    log(sprintf("%d answers dropped: a used covariate is missing", sum(!complete)))
    d <- d[complete, , drop = FALSE]
  }
  for (name in used) {
    x <- d[[covariates[[name]]]]
    d[[name]] <- (x - mean(x)) / scale_by[[name]]
  }
  d <- droplevels(d)
  accuracy <- observed_accuracy(d)

  several_conditions <- nlevels(d$condition) > 1
  fixed <- c(if (several_conditions) "condition", used)
  if (length(fixed) == 0) fixed <- "1"
  # A grouping factor needs two levels; the item x condition term needs at least two conditions.
  can_by_condition <- several_conditions
  # With one item per photo the photo and item intercepts are the same thing and cannot be told apart.
  can_photo <- nlevels(d$photo) > 1 && nlevels(d$photo) < nlevels(d$item)
  if (!can_by_condition) log("no item x condition term: the data have one condition")
  if (!can_photo) log("no photo intercept: fewer than two photos, or one item per photo")
  if (nlevels(d$participant) < 2 || nlevels(d$item) < 2) {
    return(list(fit = NULL, data = d, diagnostics = c(diagnostics, "fewer than two participants or items"),
                reason = "fewer than two participants or items: no mixed model can be fitted"))
  }

  # A condition at (near) 0% or 100% is visible before any fit: glmer's estimates for it would run off towards
  # infinity, so the glmer steps are skipped and the separation step below starts at once.
  signs <- separation_signs(NULL, accuracy)
  by_condition <- can_by_condition
  photo <- can_photo
  notes <- character(0)
  chosen <- NULL

  # Steps 1 and 2: glmer, convergence, singularity.
  while (length(signs) == 0) {
    formula_text <- model_formula(fixed, by_condition, photo)
    log("glmer: ", formula_text)
    attempt <- fit_converged(as.formula(formula_text), d, "glmer", log)
    if (is.null(attempt)) {
      if (by_condition) {
        by_condition <- FALSE
        notes <- c(notes, "every fit with the item x condition term failed, term dropped")
      } else if (photo) {
        photo <- FALSE
        notes <- c(notes, "every fit with the photo intercept failed, photo dropped")
      } else {
        break
      }
      log("  ", notes[length(notes)])
      next
    }
    if (!is.null(attempt$note)) notes <- c(notes, attempt$note)
    chosen <- c(attempt, list(formula = formula_text, engine = "glmer"))
    if (!isSingular(attempt$fit)) break
    at_zero <- boundary_terms(attempt$fit)
    if (drop_order == "stated") at_zero[c("by_condition", "photo")] <- TRUE
    if (by_condition && at_zero[["by_condition"]]) {
      by_condition <- FALSE
      notes <- c(notes, paste("singular fit:", if (drop_order == "stated") "(stated order)" else
                              "item x condition variance at zero,", "term dropped"))
    } else if (photo && at_zero[["photo"]]) {
      photo <- FALSE
      notes <- c(notes, paste("singular fit:", if (drop_order == "stated") "(stated order)" else
                              "photo intercept variance at zero,", "photo dropped"))
    } else {
      notes <- c(notes, paste("singular fit kept (a participant or item intercept at zero):",
                              "a zero variance does not move the estimates"))
      log("  ", notes[length(notes)])
      break
    }
    log("  ", notes[length(notes)])
  }
  if (length(signs) == 0) signs <- separation_signs(if (is.null(chosen)) NULL else chosen$fit, accuracy)

  # Step 3: separation. bglmer starts from the full random structure; a random SD that runs away (beyond any
  # plausible logit-scale SD) is separation moved into the random effects (the Wishart prior bounds variances
  # away from zero, not from infinity), so that structure gives way to the next: without the item x condition term, then
  # without the photo intercept.
  if (length(signs) > 0) {
    log("separation check: ", paste(signs, collapse = "; "), if (is.null(chosen)) " (glmer not tried)")
    if (!have_blme) {
      log("  blme is not installed: the bglmer fallback is unavailable, the glmer estimates are unreliable")
      notes <- c(notes, paste0("separation (", paste(signs, collapse = "; "), ") but blme is missing"))
    } else {
      runaway <- function(fit) {
        vc <- as.data.frame(VarCorr(fit))
        big <- vc$sdcor > RUNAWAY_SD
        if (any(big)) sprintf("random SD %s %s = %.1f ran away: structure abandoned",
                              sub("\\.[0-9]+$", "", vc$grp[big][1]), vc$var1[big][1], vc$sdcor[big][1])
      }
      structures <- unique(list(c(can_by_condition, can_photo), c(FALSE, can_photo), c(FALSE, FALSE)))
      bayes <- NULL
      last_resort <- NULL
      dropped <- character(0)
      for (terms in structures) {
        formula_text <- model_formula(fixed, terms[1], terms[2])
        log("bglmer: ", formula_text)
        bayes <- fit_converged(as.formula(formula_text), d, "bglmer", log, reject = runaway)
        if (!is.null(bayes) && is.null(bayes$rejected)) break
        if (!is.null(bayes)) last_resort <- c(bayes, list(formula = formula_text))
        dropped <- c(dropped, if (terms[1]) "the item x condition term" else if (terms[2]) "the photo intercept")
        bayes <- NULL
      }
      if (is.null(bayes) && !is.null(last_resort)) {
        bayes <- last_resort
        formula_text <- last_resort$formula
        bayes$note <- paste("every structure had a runaway SD; kept the simplest (treat with caution)", bayes$note)
        dropped <- dropped[-length(dropped)]
      }
      if (!is.null(bayes)) {
        notes <- c(sprintf(paste("separation (%s): weakly-informative priors normal(sd = c(10, 2.5)) on the fixed",
                                 "effects, wishart on the covariances"), paste(signs, collapse = "; ")),
                   if (length(dropped) > 0) paste("dropped", paste(dropped, collapse = " and "),
                                                  "whose SD ran away under separation"),
                   bayes$note)
        chosen <- c(bayes, list(formula = formula_text, engine = "bglmer"))
      } else {
        notes <- c(notes, "separation, and no bglmer fit was usable")
      }
    }
  } else {
    log("separation check: none (observed accuracy within (0.02, 0.98), |estimates| <= 10, SE <= 5)")
  }

  if (is.null(chosen)) {
    return(list(fit = NULL, data = d, diagnostics = diagnostics,
                reason = paste("every fit failed", paste(notes, collapse = "; "))))
  }
  reason <- if (length(notes) == 0) "the full model converged and was not singular" else paste(notes, collapse = "; ")
  list(fit = chosen$fit, formula = chosen$formula, engine = chosen$engine, optimizer = chosen$optimizer,
       reason = reason, diagnostics = diagnostics, data = d)
}

# Marginal accuracy per condition and SAG (or the reference level) against each other condition.
# emmeans sets the centred covariates at their mean (0) and the random effects at 0: the accuracy of a typical
# participant on a typical item. The contrasts' CIs are unadjusted 95% intervals; their p values are Holm-adjusted
# over the family of comparisons with SAG.
primary_estimates <- function(fit, d) {
  conditions <- levels(d$condition)
  if (length(conditions) < 2) {
    m <- summary(emmeans(fit, ~ 1, type = "response"))
    return(list(marginal = data.frame(condition = conditions, prob = m$prob, lower = m$asymp.LCL,
                                      upper = m$asymp.UCL), contrasts = NULL))
  }
  emm <- emmeans(fit, ~ condition, type = "response")
  m <- summary(emm)
  marginal <- data.frame(condition = as.character(m$condition), prob = m$prob, lower = m$asymp.LCL,
                         upper = m$asymp.UCL)
  reference <- conditions[1]
  others <- conditions[-1]
  weights <- lapply(others, function(o) as.numeric(conditions == reference) - as.numeric(conditions == o))
  names(weights) <- paste(reference, "vs", others)
  # Each contrast is learnt from how the items' accuracies differ between two conditions, so it has about
  # (items - 1) degrees of freedom, not the infinitely many of emmeans' z: with 20 items the z test rejected 7.5-8.3%
  # of simulated null studies (scripts/bench/false-positives.sh). Wald statistics on the logit scale, t(items - 1).
  con <- summary(contrast(emm, method = weights), type = "link")
  df <- nlevels(d$item) - 1
  half <- qt(0.975, df) * con$SE
  p <- 2 * pt(-abs(con$estimate / con$SE), df)
  contrasts <- data.frame(contrast = names(weights), odds_ratio = exp(con$estimate), lower = exp(con$estimate - half),
                          upper = exp(con$estimate + half), p_holm = p.adjust(p, "holm"), df = df)
  list(marginal = marginal, contrasts = contrasts)
}

# The confirmatory contrasts: SAG (the reference level) against each other condition, each from fit_primary on the
# answers of those two conditions alone, fallbacks included; p values Holm-adjusted over the comparisons. `joint` is
# the fit to all conditions, reused when there are only two.
primary_contrasts <- function(p, joint = NULL, drop_order = "boundary") {
  conditions <- levels(condition_factor(p$condition))
  if (length(conditions) < 2) return(NULL)
  reference <- conditions[1]
  rows <- lapply(conditions[-1], function(other) {
    result <- if (length(conditions) == 2 && !is.null(joint)) joint else
      tryCatch(fit_primary(p[p$condition %in% c(reference, other), ], drop_order),
               error = function(e) list(fit = NULL, reason = paste("fitting stopped:", conditionMessage(e))))
    estimate <- if (is.null(result$fit)) NULL else
      tryCatch(primary_estimates(result$fit, result$data)$contrasts, error = function(e) NULL)
    data.frame(contrast = paste(reference, "vs", other),
               odds_ratio = if (is.null(estimate)) NA else estimate$odds_ratio,
               lower = if (is.null(estimate)) NA else estimate$lower,
               upper = if (is.null(estimate)) NA else estimate$upper,
               p = if (is.null(estimate)) NA else estimate$p_holm,
               df = if (is.null(estimate)) NA else estimate$df,
               formula = if (is.null(result$formula)) "none" else result$formula,
               engine = if (is.null(result$engine)) "none" else result$engine, reason = result$reason)
  })
  contrasts <- do.call(rbind, rows)
  contrasts$p_holm <- p.adjust(contrasts$p, "holm")
  contrasts
}

# ---------------------------------------------------------------------------------------------------------------
# Secondary, exploratory: does the condition effect depend on the question kind? Plain (1 | participant) +
# (1 | item) models: this is a description across kinds, not the confirmatory test.

kind_interaction <- function(trials) {
  d <- data.frame(correct = trials$correct, condition = condition_factor(trials$condition),
                  kind = factor(trials$question_kind), participant = factor(trials$participant),
                  item = factor(trials$item_id))
  if (nlevels(d$condition) < 2 || nlevels(d$kind) < 2) {
    return("condition x kind LRT: not computed (needs two conditions and two kinds)")
  }
  additive <- fit_once(correct ~ condition + kind + (1 | participant) + (1 | item), d, "glmer", "bobyqa")
  interaction <- fit_once(correct ~ condition * kind + (1 | participant) + (1 | item), d, "glmer", "bobyqa")
  if (is.null(additive$fit) || is.null(interaction$fit)) {
    return(paste("condition x kind LRT: a fit failed:", additive$error, interaction$error))
  }
  test <- anova(additive$fit, interaction$fit)
  warned <- unique(c(additive$problems, interaction$problems))
  sprintf("condition x kind LRT: chisq %.3f, df %d, p %.4g%s", test$Chisq[2], as.integer(test$Df[2]),
          test$`Pr(>Chisq)`[2],
          if (length(warned) > 0) paste0(" (fit warnings: ", paste(warned, collapse = "; "), ")") else "")
}

# ---------------------------------------------------------------------------------------------------------------
# Report

report_estimates <- function(result) {
  cat("coefficients of the fit to all conditions (logit scale; a condition's is that condition minus SAG; their z\n",
      "p-values are large-sample and not the test: the primary test is the pairwise t(items - 1) contrasts below):\n",
      sep = "")
  print(round(summary(result$fit)$coefficients, 4))
  vc <- as.data.frame(VarCorr(result$fit))
  cat(paste0("random SD ", sub("\\.[0-9]+$", "", vc$grp), " ", vc$var1, ": ", sprintf("%.3f", vc$sdcor), "\n"),
      sep = "")
  estimates <- tryCatch(primary_estimates(result$fit, result$data), error = function(e) e)
  if (inherits(estimates, "error")) {
    cat("emmeans failed:", conditionMessage(estimates), "\n")
    return(invisible(NULL))
  }
  cat("marginal accuracy (typical participant and item, covariates at their mean; 95% CI):\n")
  m <- estimates$marginal
  cat(sprintf("marginal %s: %.3f [%.3f, %.3f]\n", m$condition, m$prob, m$lower, m$upper), sep = "")
  cat(power_request(m, vc), "\n", sep = "")
}

report_contrasts <- function(p, joint) {
  k <- primary_contrasts(p, joint)
  if (is.null(k)) {
    cat("one condition only: no contrasts\n")
    return(invisible(NULL))
  }
  cat("each from the model fitted to the two conditions' answers alone; odds ratios with 95% CI unadjusted,\n",
      "p Holm-adjusted over the comparisons, t with items - 1 df:\n", sep = "")
  cat(sprintf("primary %s: odds ratio %.3f [%.3f, %.3f], p %.4g (Holm), t df %s\n", k$contrast, k$odds_ratio,
              k$lower, k$upper, k$p_holm, k$df), sep = "")
  engine <- ifelse(k$engine == "bglmer", "blme::bglmer", ifelse(k$engine == "none", "none", "lme4::glmer"))
  cat(sprintf("  %s fitted as %s (%s) because %s\n", k$contrast, k$formula, engine, k$reason), sep = "")
}

# The fitted model as the power planner's input (POST /api/studies/{id}/results/power), so that the next study is
# planned from this pilot's fit: marginal accuracies per condition, the participant SD, the item SD (item and photo
# variances together: the planner has one question term) and the item x condition SD, all on the logit scale.
power_request <- function(marginal, vc) {
  sd_of <- function(group) {
    v <- vc$vcov[sub("\\.[0-9]+$", "", vc$grp) == group]
    if (length(v) == 0) 0 else sqrt(sum(v))
  }
  # the planner takes accuracies strictly between 0 and 1
  accuracy <- paste(sprintf("\"%s\": %.3f", marginal$condition, pmin(pmax(marginal$prob, 0.001), 0.999)),
                    collapse = ", ")
  sprintf(paste0("power request from this fit: {\"accuracy\": {%s}, \"spread\": %.3f, \"itemSpread\": %.3f, ",
                 "\"itemConditionSpread\": %.3f}"), accuracy, sd_of("participant"),
          sqrt(sd_of("item")^2 + sd_of("photo")^2), sd_of("item:condition"))
}

main <- function(path) {
  if (!file.exists(path)) stop("no such file: ", path)
  prepared <- prepare_trials(read_answers(path))
  p <- prepared$primary
  cat("== primary data ==\n")
  cat("primary answers: ", prepared$rule, "\n", sep = "")
  if (nrow(p) == 0) {
    cat("no included primary trial answers: nothing to fit\n")
  } else {
    cat(sprintf("participants: %d\n", length(unique(p$participant))))
    cat(sprintf("answers: %d (items %d, photos %d)\n", nrow(p), length(unique(p$item_id)),
                length(unique(p$image_id))))
    for (condition in levels(condition_factor(p$condition))) {
      mine <- p[p$condition == condition, ]
      cat(sprintf("observed %s: %.4f (%d participants, %d answers)\n", condition, mean(mine$correct),
                  length(unique(mine$participant)), nrow(mine)))
    }

    cat("\n== primary model: diagnostics ==\n")
    result <- tryCatch(fit_primary(p), error = function(e) {
      list(fit = NULL, diagnostics = character(0), reason = paste("fitting stopped:", conditionMessage(e)))
    })
    cat(paste0(result$diagnostics, "\n"), sep = "")
    if (is.null(result$fit)) {
      cat("model used: none because ", result$reason, "\n", sep = "")
    } else {
      engine <- if (result$engine == "bglmer") {
        "blme::bglmer, fixef.prior normal(sd = c(10, 2.5)), cov.prior wishart"
      } else {
        "lme4::glmer"
      }
      cat(sprintf("model used: %s (%s, binomial, optimiser %s) because %s\n", result$formula, engine,
                  result$optimizer, result$reason))

      cat("\n== primary model: estimates ==\n")
      # vcov() may warn (e.g. a finite-difference Hessian that is not positive definite); such warnings are
      # printed as notes after the estimates instead of at the end of the run.
      notes <- character(0)
      withCallingHandlers(report_estimates(result), warning = function(w) {
        notes <<- c(notes, gsub("\\s*\n\\s*", " ", conditionMessage(w)))
        invokeRestart("muffleWarning")
      })
      if (length(notes) > 0) cat(paste0("note: ", unique(notes), "\n"), sep = "")
    }

    cat("\n== primary test: SAG against each other condition ==\n")
    notes <- character(0)
    withCallingHandlers(report_contrasts(p, if (is.null(result$fit)) NULL else result), warning = function(w) {
      notes <<- c(notes, gsub("\\s*\n\\s*", " ", conditionMessage(w)))
      invokeRestart("muffleWarning")
    })
    if (length(notes) > 0) cat(paste0("note: ", unique(notes), "\n"), sep = "")
  }

  cat("\n== secondary (exploratory): all included trial kinds ==\n")
  trials <- prepared$trials
  if (nrow(trials) == 0) {
    cat("no included trial answers\n")
    return(invisible(NULL))
  }
  secondary <- tryCatch(kind_interaction(trials), error = function(e) {
    paste("condition x kind LRT: failed:", conditionMessage(e))
  })
  cat(secondary, "\n", sep = "")
  cat("observed accuracy per kind x condition (answers in brackets);",
      "look-up kinds are a manipulation check, not the headline:\n")
  conditions <- levels(condition_factor(trials$condition))
  kinds <- sort(unique(trials$question_kind))
  table <- sapply(conditions, function(condition) sapply(kinds, function(kind) {
    cell <- trials$correct[trials$condition == condition & trials$question_kind == kind]
    if (length(cell) == 0) "-" else sprintf("%.3f (%d)", mean(cell), length(cell))
  }))
  table <- matrix(table, nrow = length(kinds), dimnames = list(kinds, conditions))
  print(noquote(table))
  invisible(NULL)
}

if (sys.nframe() == 0) {
  args <- commandArgs(trailingOnly = TRUE)
  tryCatch(main(if (length(args) > 0) args[1] else "answers.csv"), error = function(e) {
    cat("analysis.R stopped: ", conditionMessage(e), "\n", sep = "")
    quit(status = 1)
  })
}
