#!/usr/bin/env bash
# Builds and starts the server on port 8080 with its database (Debian PostgreSQL, or the server in DB_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -z "${DB_URL:-}" ]; then
  bash db/pg-setup.sh
fi
mvn -B -q package -DskipTests
. scripts/java-env.sh
if [ -z "${SAG_ADMIN_PASSWORD:-}" ]; then
  # no default password outside dev and test: make one for this run and show it once
  SAG_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  export SAG_ADMIN_PASSWORD
  echo "admin login: ${SAG_ADMIN_USERNAME:-admin} / $SAG_ADMIN_PASSWORD (set SAG_ADMIN_PASSWORD to choose; kept once created)"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar "$@"
