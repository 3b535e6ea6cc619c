#!/usr/bin/env bash
# What the application and its tests need from Debian, installed only when missing: PostgreSQL (tests and server),
# tcmalloc (libtorch runs 2-3x faster with it on the CPU) and, with --browser, Chromium for the page tests.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ] || missing+=(libtcmalloc-minimal4)
if [ "${1:-}" = "--browser" ]; then
  # the page tests drive Debian's Chromium
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "please install: ${missing[*]} (apt-get, as root)" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
