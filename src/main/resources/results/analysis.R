# The mixed-effects analysis of a SAG Study export, the field's standard (lme4):
#   glmer(correct ~ condition * question_kind + (1 | participant) + (1 | item), family = binomial)
# Run it beside the export's answers.csv:   Rscript analysis.R [answers.csv]
# The export's exclusion rules already marked who is excluded; this script keeps the included participants' trial
# answers, as the analysis page does, and prints: the counts, the model's coefficients, the marginal accuracy of each
# condition (predictions without random effects, averaged over the answers' question kinds), and SAG against each
# other condition (the contrast of an additive model on the log-odds scale, Wald z test).
suppressPackageStartupMessages(library(lme4))

args <- commandArgs(trailingOnly = TRUE)
answers <- read.csv(if (length(args) > 0) args[1] else "answers.csv", stringsAsFactors = FALSE)
d <- answers[answers$excluded == "false" & answers$item_kind == "trial", ]
if (nrow(d) == 0) stop("no included trial answers in the export")
d$correct <- as.integer(d$correct == "true")
reference <- if ("sag" %in% d$condition) "sag" else sort(unique(d$condition))[1]
d$condition <- relevel(factor(d$condition), ref = reference)
d$question_kind <- factor(d$question_kind)
d$participant <- factor(d$participant)
d$item <- factor(d$item_id)

cat(sprintf("participants: %d\n", nlevels(d$participant)))
cat(sprintf("answers: %d\n", nrow(d)))
for (condition in levels(d$condition)) {
  mine <- d[d$condition == condition, ]
  cat(sprintf("observed %s: %.4f (%d participants, %d answers)\n", condition, mean(mine$correct),
              length(unique(mine$participant)), nrow(mine)))
}

several_kinds <- nlevels(d$question_kind) > 1
several_conditions <- nlevels(d$condition) > 1
fit <- function(formula) {
  glmer(formula, data = d, family = binomial, control = glmerControl(optimizer = "bobyqa"))
}
terms <- c(if (several_conditions) "condition", if (several_kinds) "question_kind")
full <- if (length(terms) == 0) "1" else paste(terms, collapse = " * ")
model <- fit(as.formula(paste("correct ~", full, "+ (1 | participant) + (1 | item)")))
cat("model: correct ~", full, "+ (1 | participant) + (1 | item), binomial\n")
print(summary(model)$coefficients)

for (condition in levels(d$condition)) {
  everyone <- d
  everyone$condition <- factor(condition, levels = levels(d$condition))
  cat(sprintf("marginal %s: %.4f\n", condition,
              mean(predict(model, newdata = everyone, re.form = NA, type = "response"))))
}

if (several_conditions) {
  additive <- fit(as.formula(paste("correct ~", paste(terms, collapse = " + "),
                                   "+ (1 | participant) + (1 | item)")))
  coefficients <- summary(additive)$coefficients
  for (other in setdiff(levels(d$condition), reference)) {
    row <- coefficients[paste0("condition", other), ]
    cat(sprintf("contrast %s-%s: %+.4f log-odds (SE %.4f, z %.2f, p %.4g)\n", reference, other,
                -row[["Estimate"]], row[["Std. Error"]], -row[["z value"]], row[["Pr(>|z|)"]]))
  }
}
