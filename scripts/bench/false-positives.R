# How often does the primary analysis of analysis.R declare a SAG effect when there is none?
#   bash scripts/bench/false-positives.sh [studies per spread = 200] [cores = 2] [spreads = 0,0.35,0.7] [seed = 20240601]
#     [model|pairwise|page-only] [independent|sag-only] [primary items = 20] [items per photo = 2]
#
# Each simulated study has the default design: conditions gradcam, igos and sag with 20 participants each; 20
# primary items seen by every participant, two items per photo (10 photos); logit-scale SDs: item 1.0,
# participant 0.5, photo 0.5 (an assumption: the design fixes no photo SD); baseline accuracy 0.65; NO condition
# effect. What varies is the item x condition spread: every item gets an independent N(0, spread) deviation in
# each condition, so SAG helps on some items and hurts on others while helping on none on average. Every
# participant meets the same items, so that spread does not average out over participants: it is the case the
# item x condition term of the primary model is there for, and the case a per-participant t-test cannot see.
# `sag-only` gives the deviations to SAG alone (the heat maps agree with each other item by item): the item x
# condition variance then differs by condition, which the model's one (1 | item:condition) variance does not
# describe. Fewer primary items, one per photo (7 and 1), is closer to what the default question mix gives (one
# third of 20 questions neither-random, and the photo intercept then cannot be told from the item's).
#
# Each study goes through the same code as a real export: its answers are laid out as answers.csv rows (text
# columns), selected with prepare_trials() and tested with primary_contrasts() (fit_primary() per pair) from analysis.R,
# fallbacks included. A study "rejects" if either SAG contrast has Holm p < 0.05. Beside it: the results page's
# primary test, min F' over participants and questions (min_f_p, as Statistics.minF), and a Welch t-test on
# per-participant accuracy alone, SAG against each other condition, Holm over the two. A last column refits with
# fit_primary(drop_order = "stated"), the literal reading of the singular-fit rule (drop the item x condition term on any
# singular fit), to show why analysis.R drops a term only when its own variance is the one at zero.
# Rates come with 95% Wilson intervals for the Monte Carlo error. Each study takes a few seconds (about 1.5 s per
# glmer fit, more when a singular fit is refitted), so 120 studies per spread fit in about 8 minutes on 2 cores.

script_dir <- function() {
  file <- sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))
  if (length(file) == 1) dirname(normalizePath(file)) else getwd()
}
# the script the export ships, from the repository
source(file.path(script_dir(), "..", "..", "src", "main", "resources", "results", "analysis.R"))
suppressPackageStartupMessages(library(parallel))

patch_string <- function(n) paste(sort(sample(0:48, n)), collapse = " ")

# One study's answers in the answers.csv layout. Beyond the null design: `lookup_items` adds look-up trials
# (both-in-sag/one-in-sag, not primary) on which SAG gains `lookup_effect` on the logit scale, `excluded_per_condition`
# adds participants marked excluded, and `sag_perfect` makes SAG participants answer every primary item correctly.
simulate_study <- function(spread, participants_per_condition = 20, items = 20, items_per_photo = 2,
                           item_sd = 1.0, participant_sd = 0.5, photo_sd = 0.5, baseline = 0.65,
                           conditions = c("gradcam", "igos", "sag"), lookup_items = 0, lookup_effect = 1.5,
                           excluded_per_condition = 0, sag_perfect = FALSE, shape = "independent") {
  total <- items + lookup_items
  item <- data.frame(item_id = sprintf("q%03d", seq_len(total)),
                     image_id = sprintf("img%02d", (seq_len(total) - 1) %/% items_per_photo + 1),
                     question_kind = c(rep(c("neither-random", "neither-searched"), length.out = items),
                                       rep(c("both-in-sag", "one-in-sag"), length.out = lookup_items)),
                     confidence_gap = round(runif(total, 0.02, 0.6), 4),
                     left_size = sample(4:30, total, replace = TRUE), right_size = sample(4:30, total, replace = TRUE))
  item$primary <- seq_len(total) <= items
  photos <- unique(item$image_id)
  photo_effect <- setNames(rnorm(length(photos), 0, photo_sd), photos)
  item$effect <- rnorm(total, 0, item_sd) + photo_effect[item$image_id]
  deviation <- matrix(rnorm(total * length(conditions), 0, spread), total, dimnames = list(NULL, conditions))
  if (shape == "sag-only") deviation[, setdiff(conditions, "sag")] <- 0
  item$left_patches <- vapply(item$left_size, patch_string, "")
  item$right_patches <- vapply(item$right_size, patch_string, "")

  rows <- list()
  n_each <- participants_per_condition + excluded_per_condition
  for (condition in conditions) for (j in seq_len(n_each)) {
    id <- sprintf("%s-%02d", condition, j)
    skill <- rnorm(1, 0, participant_sd)
    logit <- qlogis(baseline) + skill + item$effect + deviation[, condition] +
      ifelse(!item$primary & condition == "sag", lookup_effect, 0)
    correct <- runif(total) < plogis(logit)
    if (sag_perfect && condition == "sag") correct[item$primary] <- TRUE
    # Practice comes first, then the trials and two attention checks in a random order.
    order <- sample(total + 2)
    trials <- data.frame(participant = id, condition = condition, image_id = c(item$image_id, "att", "att"),
                         item_id = c(item$item_id, "att1", "att2"),
                         item_kind = c(rep("trial", total), "attention", "attention"),
                         question_kind = c(item$question_kind, "attention", "attention"),
                         trial_index = order + 1, left_patches = c(item$left_patches, "", ""),
                         right_patches = c(item$right_patches, "0 1 2", "0 1 2"),
                         confidence_gap = c(item$confidence_gap, 0.9, 0.9),
                         correct = c(correct, TRUE, TRUE), primary_outcome = c(item$primary, FALSE, FALSE))
    practice <- data.frame(participant = id, condition = condition, image_id = "prac", item_id = c("p1", "p2"),
                           item_kind = "practice", question_kind = "neither-random", trial_index = 0:1,
                           left_patches = "3 4", right_patches = "5;6;7", confidence_gap = 0.3,
                           correct = runif(2) < 0.7, primary_outcome = FALSE)
    both <- rbind(practice, trials)
    both$excluded <- j > participants_per_condition
    rows[[id]] <- both
  }
  answers <- do.call(rbind, rows)
  rownames(answers) <- NULL
  answers[] <- lapply(answers, function(x) if (is.logical(x)) tolower(as.character(x)) else as.character(x))
  answers
}

# Clark's min F' as the results page computes it (Statistics.minF): Welch on participants' accuracies (F1 = t1^2)
# and a one-sample t on the per-item accuracy differences (F2 = t2^2), minF' = F1 F2 / (F1 + F2) with
# (F1 + F2)^2 / (F1^2 / df2 + F2^2 / df1) denominator degrees of freedom.
min_f_p <- function(a, b, differences) {
  welch <- t.test(a, b)
  f1 <- unname(welch$statistic)^2
  df1 <- unname(welch$parameter)
  f2 <- length(differences) * mean(differences)^2 / var(differences)
  df2 <- length(differences) - 1
  f1 <- if (is.nan(f1)) 0 else f1
  f2 <- if (is.nan(f2)) 0 else f2
  if (f1 == 0 || f2 == 0) return(1)
  if (is.infinite(f1)) return(pf(f2, 1, df2, lower.tail = FALSE))
  if (is.infinite(f2)) return(pf(f1, 1, df1, lower.tail = FALSE))
  m <- f1 * f2 / (f1 + f2)
  pf(m, 1, (f1 + f2)^2 / (f1^2 / df2 + f2^2 / df1), lower.tail = FALSE)
}

wilson <- function(x, n, z = qnorm(0.975)) {
  p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(centre - half, centre + half)
}

# The tests on one study's answers. models: "model" (analysis.R's pairwise test and, for comparison, the contrasts
# of the one fit to all conditions), "pairwise" (the shipped test alone) or "page-only".
analyse_study <- function(answers, models = "model") {
  started <- proc.time()[["elapsed"]]
  p <- prepare_trials(answers)$primary
  result <- if (models != "model") list(fit = NULL, engine = "not fitted", reason = "not fitted") else
    tryCatch(fit_primary(p), error = function(e) list(fit = NULL, reason = conditionMessage(e)))
  joint_p <- NA
  if (!is.null(result$fit)) {
    estimates <- tryCatch(primary_estimates(result$fit, result$data), error = function(e) NULL)
    if (!is.null(estimates)) joint_p <- min(estimates$contrasts$p_holm)
  }
  model_p <- NA
  if (models != "page-only") {
    contrasts <- tryCatch(primary_contrasts(p, if (is.null(result$fit)) NULL else result), error = function(e) NULL)
    if (!is.null(contrasts) && any(!is.na(contrasts$p_holm))) model_p <- min(contrasts$p_holm, na.rm = TRUE)
  }
  seconds <- proc.time()[["elapsed"]] - started
  # The literal reading of the drop rule (drop the item x condition term on any singular fit) differs from the
  # default only when a singular fit ended with the term kept or the photo dropped; only then is it refitted.
  stated_p <- joint_p
  if (!is.null(result$fit) && grepl("singular", result$reason) &&
      (grepl("item:condition", result$formula, fixed = TRUE) || grepl("photo dropped", result$reason))) {
    stated <- tryCatch(fit_primary(p, drop_order = "stated"), error = function(e) NULL)
    stated_p <- NA
    if (!is.null(stated$fit)) {
      estimates <- tryCatch(primary_estimates(stated$fit, stated$data), error = function(e) NULL)
      if (!is.null(estimates)) stated_p <- min(estimates$contrasts$p_holm)
    }
  }
  by_participant <- aggregate(correct ~ participant + condition, data = p, FUN = mean)
  sag <- by_participant$correct[by_participant$condition == "sag"]
  others <- setdiff(unique(by_participant$condition), "sag")
  welch <- sapply(others, function(o) t.test(sag, by_participant$correct[by_participant$condition == o])$p.value)
  by_item <- aggregate(correct ~ item_id + condition, data = p, FUN = mean)
  min_f <- sapply(others, function(o) {
    sag_items <- by_item[by_item$condition == "sag", ]
    other_items <- by_item[by_item$condition == o, ]
    both <- merge(sag_items, other_items, by = "item_id")
    min_f_p(sag, by_participant$correct[by_participant$condition == o], both$correct.x - both$correct.y)
  })
  data.frame(model_p = model_p, joint_p = joint_p, stated_p = stated_p, welch_p = min(p.adjust(welch, "holm")),
             min_f_p = min(p.adjust(min_f, "holm")),
             engine = if (!is.null(result$engine) && is.null(result$fit)) result$engine
                      else if (is.null(result$fit)) "failed" else result$engine,
             by_condition_kept = !is.null(result$formula) && grepl("item:condition", result$formula, fixed = TRUE),
             photo_kept = !is.null(result$formula) && grepl("photo", result$formula, fixed = TRUE),
             optimiser = if (is.null(result$optimizer)) NA else result$optimizer,
             reason = result$reason, seconds = seconds)
}

run_spread <- function(spread, studies, cores, models = "model", shape = "independent", items = 20,
                       items_per_photo = 2) {
  runs <- mclapply(seq_len(studies), function(i) analyse_study(simulate_study(spread, items = items,
                   items_per_photo = items_per_photo, shape = shape), models), mc.cores = cores, mc.set.seed = TRUE)
  failed <- vapply(runs, inherits, TRUE, "try-error")
  if (any(failed)) warning(sum(failed), " studies crashed: ", as.character(runs[[which(failed)[1]]]))
  do.call(rbind, runs[!failed])
}

summarise_spread <- function(spread, r) {
  n <- nrow(r)
  fitted <- sum(!is.na(r$model_p))
  model <- sum(r$model_p < 0.05, na.rm = TRUE)
  joint_fitted <- sum(!is.na(r$joint_p))
  joint <- sum(r$joint_p < 0.05, na.rm = TRUE)
  jci <- wilson(joint, joint_fitted)
  welch <- sum(r$welch_p < 0.05)
  min_f <- sum(r$min_f_p < 0.05)
  fci <- wilson(min_f, n)
  stated_fitted <- sum(!is.na(r$stated_p))
  stated <- sum(r$stated_p < 0.05, na.rm = TRUE)
  sci <- wilson(stated, stated_fitted)
  mci <- wilson(model, fitted)
  wci <- wilson(welch, n)
  data.frame(spread = spread, studies = n,
             model = sprintf("%.3f [%.3f, %.3f] (%d/%d)", model / fitted, mci[1], mci[2], model, fitted),
             joint = sprintf("%.3f [%.3f, %.3f] (%d/%d)", joint / joint_fitted, jci[1], jci[2], joint, joint_fitted),
             welch = sprintf("%.3f [%.3f, %.3f] (%d/%d)", welch / n, wci[1], wci[2], welch, n),
             page_min_f = sprintf("%.3f [%.3f, %.3f] (%d/%d)", min_f / n, fci[1], fci[2], min_f, n),
             model_stated_order = sprintf("%.3f [%.3f, %.3f] (%d/%d)", stated / stated_fitted, sci[1], sci[2],
                                          stated, stated_fitted),
             by_condition_kept = sum(r$by_condition_kept), photo_kept = sum(r$photo_kept), bglmer = sum(r$engine == "bglmer"),
             other_optimiser = sum(!is.na(r$optimiser) & r$optimiser != "bobyqa"),
             warned = sum(grepl("no optimiser converged", r$reason)), failed = sum(r$engine == "failed"),
             sec_per_study = round(mean(r$seconds), 2))
}

if (sys.nframe() == 0) {
  args <- commandArgs(trailingOnly = TRUE)
  studies <- if (length(args) >= 1) as.integer(args[1]) else 200L
  cores <- if (length(args) >= 2) as.integer(args[2]) else 2L
  spreads <- if (length(args) >= 3) as.numeric(strsplit(args[3], ",")[[1]]) else c(0, 0.35, 0.7)
  seed <- if (length(args) >= 4) as.integer(args[4]) else 20240601L
  models <- if (length(args) >= 5) args[5] else "model"
  if (!models %in% c("model", "pairwise", "page-only")) stop("the fifth argument is model, pairwise or page-only")
  shape <- if (length(args) >= 6) args[6] else "independent"
  if (!shape %in% c("independent", "sag-only")) stop("the deviations' shape is independent or sag-only")
  items <- if (length(args) >= 7) as.integer(args[7]) else 20L
  items_per_photo <- if (length(args) >= 8) as.integer(args[8]) else 2L
  cat(sprintf("%s item x condition deviations, %d primary items, %d per photo\n", shape, items, items_per_photo))
  RNGkind("L'Ecuyer-CMRG")
  set.seed(seed)
  table <- NULL
  for (spread in spreads) {
    started <- proc.time()[["elapsed"]]
    r <- run_spread(spread, studies, cores, models, shape, items, items_per_photo)
    saveRDS(r, sprintf("false-positives-spread-%s.rds", spread))
    row <- summarise_spread(spread, r)
    cat(sprintf("spread %.2f: %d studies in %.0f s wall\n", spread, nrow(r), proc.time()[["elapsed"]] - started))
    table <- rbind(table, row)
  }
  cat("\nfalse-positive rate under no condition effect (reject: either SAG contrast p < 0.05 after Holm)\n")
  cat("model = analysis.R's primary test (each SAG contrast from the model fitted to its two conditions, fallbacks\n")
  cat("included); joint = the contrasts of the one fit to all conditions (the test before the pairwise fits);\n")
  cat("page_min_f = the results page's primary test (min F' over participants and items); welch = Welch t on\n")
  cat("per-participant accuracy alone; model_stated_order = the joint fit, but any singular fit drops the item x\n")
  cat("condition term first, whichever variance is at zero\n")
  cat("rates with 95% Wilson Monte Carlo intervals; by_condition_kept/photo_kept/bglmer: studies whose final model had it;\n")
  cat("other_optimiser: a later optimiser converged where bobyqa warned; warned: none converged cleanly\n\n")
  print(table[, c("spread", "studies", "model", "joint", "page_min_f", "welch", "model_stated_order")], row.names = FALSE)
  cat("\n")
  print(table[, c("spread", "studies", "by_condition_kept", "photo_kept", "bglmer", "other_optimiser", "warned", "failed",
                  "sec_per_study")], row.names = FALSE)
}
