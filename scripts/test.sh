#!/usr/bin/env bash
# Everything the tests need on a fresh Debian/Ubuntu machine with a JDK and Maven, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
if [ -z "${TEST_DB_URL:-}" ]; then
  bash db/pg-setup.sh
fi
exec mvn -B verify "$@"
