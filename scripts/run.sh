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
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar "$@"
