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
  # no default password outside dev and test: make one on the first run and keep it (git-ignored) for later runs
  if [ ! -s .admin-password ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > .admin-password)
  fi
  SAG_ADMIN_PASSWORD=$(cat .admin-password)
  export SAG_ADMIN_PASSWORD
  echo "admin login: ${SAG_ADMIN_USERNAME:-admin}, password in .admin-password (readable only by you; used when the account is first created)"
fi
if [ -z "${SAG_SESSION_KEY:-}" ]; then
  # the server's secret (export pseudonyms): made once, kept (git-ignored); a production server needs one
  if [ ! -s .session-key ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > .session-key)
  fi
  SAG_SESSION_KEY=$(cat .session-key)
  export SAG_SESSION_KEY
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar "$@"
