#!/usr/bin/env bash
# Latency of the explanation viewer page and the stored explanation JSON under load, on a running server:
#   scripts/bench/viewer-load.sh [IMAGE_ID] [CONNECTIONS] [DURATION]    (default: the first image, 50, 30s)
# Needs wrk (apt-get install wrk), SAG_ADMIN_PASSWORD, and an image with a finished explanation.
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
USER_NAME=${SAG_ADMIN_USERNAME:-admin}
: "${SAG_ADMIN_PASSWORD:?set SAG_ADMIN_PASSWORD}"
CONNECTIONS=${2:-50}
DURATION=${3:-30s}
auth=$(printf '%s:%s' "$USER_NAME" "$SAG_ADMIN_PASSWORD" | base64 -w0)
id=${1:-$(curl -fsS -H "Authorization: Basic $auth" "$BASE/api/images" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')}
curl -fsS -o /dev/null -H "Authorization: Basic $auth" "$BASE/api/images/$id/explanation" \
  || { echo "image $id has no explanation yet" >&2; exit 1; }
# the admin pages take a session from the sign-in form, which needs the form token of the page it came from
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
form_token=$(curl -fsS -c "$jar" "$BASE/login" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')
cookie=$(curl -fsS -o /dev/null -D - -b "$jar" --data-urlencode "username=$USER_NAME" \
  --data-urlencode "password=$SAG_ADMIN_PASSWORD" --data-urlencode "form_token=$form_token" "$BASE/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(\(__Host-\)\{0,1\}sag-session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
echo "== viewer page /admin/images/$id ($CONNECTIONS connections, $DURATION)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" "$BASE/admin/images/$id" \
  | grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors'
echo "== explanation JSON /api/images/$id/explanation"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Basic $auth" "$BASE/api/images/$id/explanation" \
  | grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors'
