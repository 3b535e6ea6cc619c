#!/usr/bin/env bash
# Starts Debian's PostgreSQL as root and creates the role and databases (idempotent). With DB_URL set to an existing
# server, use that instead and skip this script.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
DB_USER=${DB_USER:-study}; DB_PASSWORD=${DB_PASSWORD:-study}; DBS=${DBS:-"study study_test"}
if [ "$(id -u)" != 0 ]; then
  echo "db/pg-setup.sh starts Debian's PostgreSQL and must run as root; otherwise point DB_URL at a server" >&2
  exit 1
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
PGV=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PGV main" || pg_createcluster "$PGV" main
pg_ctlcluster "$PGV" main status >/dev/null 2>&1 || pg_ctlcluster "$PGV" main start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start on port 5432" >&2; exit 1; }
psql_pg() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
[ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" = 1 ] || \
  psql_pg -c "CREATE ROLE \"$DB_USER\" LOGIN PASSWORD '${DB_PASSWORD//\'/\'\'}'"
for db in $DBS; do
  [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] || runuser -u postgres -- createdb -E UTF8 -T template0 -O "$DB_USER" "$db"
done
