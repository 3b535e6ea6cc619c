#!/usr/bin/env bash
# The false-positive rate of the shipped primary analysis (analysis.R's mixed model, with its fallbacks) and of the
# results page's primary test (min F' over participants and questions; Welch on participants alone beside it), on studies simulated under no true effect at the
# default design, for item x condition spreads 0, 0.35 and 0.7, with Monte Carlo intervals. Needs R with lme4, emmeans
# and blme (scripts/install-deps.sh --tests). About 4-5 s per simulated study on 2 cores.
#   bash scripts/bench/false-positives.sh [studies per spread = 200] [cores = 2] [spreads = 0,0.35,0.7] [seed]
#     [model|pairwise|page-only] [independent|sag-only] [primary items = 20] [items per photo = 2]
# model: the shipped pairwise test and the older single fit to all conditions on the same studies; pairwise: the
# shipped test alone; page-only: the results page's tests alone (no mixed model: thousands of studies in a minute); sag-only: the item x
# condition deviations in the SAG condition alone (unequal variances by condition).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec Rscript scripts/bench/false-positives.R "$@"
