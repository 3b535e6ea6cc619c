#!/usr/bin/env bash
# Sends the attacks of the security audit to a deployment and prints each with the answer it got, before a launch.
#   scripts/attack.sh BASE_URL [--admin USER:PASSWORD] [--study ID] [--guess]
# Without options it changes nothing on the server. --admin adds the upload attacks (they store nothing);
# --study ID (an open study) adds a session hijack, a look-ahead and a PID in other letter case (one session is
# started); --guess adds password guessing for a made-up user name from YOUR address (that name from your address
# must then wait; other accounts and other addresses are not affected).
set -uo pipefail
base=${1:?usage: scripts/attack.sh BASE_URL [--admin USER:PASSWORD] [--study ID] [--guess]}
base=${base%/}
shift
admin="" study="" guess=0
while [ $# -gt 0 ]; do
  case "$1" in
    --admin) admin=$2; shift 2 ;;
    --study) study=$2; shift 2 ;;
    --guess) guess=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# check NAME EXPECTED GOT: one line per attack
check() {
  local verdict=ok
  case " $2 " in *" $3 "*) ;; *) verdict=FAIL; failures=$((failures + 1)) ;; esac
  printf '%-4s %-64s expected %-8s got %s\n' "$verdict" "$1" "$2" "$3"
}
status() { curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$work/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
# why REASON CURL_ARGS...: the status, marked when the answer does not give REASON (refused by another rule, which
# would hide that the rule under test is gone)
why() {
  local reason=$1 code
  shift
  code=$(status "$@")
  grep -q "$reason" "$work/body" && echo "$code" || echo "$code-for-another-reason"
}

head -c 5000000 /dev/zero | tr '\0' 'x' | sed 's/^/{"PROLIFIC_PID": "/; s/$/"}/' > "$work/huge.json"
check "5 MB JSON to a public endpoint (refused by its length)" 413 \
  "$(why 'request body larger than' -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: attack' --data-binary @"$work/huge.json" "$base/api/studies/1/sessions")"
printf '{"a":%s1%s}' "$(printf '{"a":%.0s' $(seq 100))" "$(printf '}%.0s' $(seq 100))" > "$work/deep.json"
check "JSON nested 100 deep" 413 \
  "$(status -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: attack' --data-binary @"$work/deep.json" "$base/api/studies/1/sessions")"
check "API state change from another site (Origin)" 403 \
  "$(why 'cross-site requests are refused' -X POST -H 'X-Requested-With: attack' -H 'Origin: https://evil.example' \
    "$base/api/jobs/1/cancel")"
check "API state change without the script header" 403 \
  "$(why 'needs the header' -X POST "$base/api/jobs/1/cancel")"
check "a form on another site starting a session" 403 \
  "$(why 'cross-site requests are refused' -X POST -H 'Origin: https://evil.example' -d 'PROLIFIC_PID=x' \
    "$base/studies/1/sessions")"
check "API path spelled /%61pi/ (the guard reads the routed path)" 403 \
  "$(why 'needs the header' -X POST "$base/%61pi/jobs/1/cancel")"
check "API state change marked Sec-Fetch-Site: cross-site" 403 \
  "$(why 'cross-site requests are refused' -X POST -H 'X-Requested-With: attack' -H 'Sec-Fetch-Site: cross-site' \
    "$base/api/jobs/1/cancel")"
check "a form elsewhere hiding its referrer (Origin: null)" 403 \
  "$(why 'cross-site requests are refused' -X POST -H 'Origin: null' -d 'PROLIFIC_PID=x' "$base/studies/1/sessions")"
check "a landing form without this site's form token" 403 \
  "$(status -X POST -d 'PROLIFIC_PID=x&form_token=00000000000000000000000000000000' "$base/studies/1/sessions")"
check "a sign-in without the page's form token" 403 \
  "$(status -X POST -d 'username=admin&password=x' "$base/login")"
check "GET /logout (must not change state)" 405 "$(status "$base/logout")"
check "the admin pages without signing in" 302 "$(status "$base/admin")"
check "the API without credentials" 401 "$(status "$base/api/images")"
status "$base/" > /dev/null
check "header X-Content-Type-Options" nosniff "$(header X-Content-Type-Options)"
check "header Referrer-Policy" same-origin "$(header Referrer-Policy)"
check "header Content-Security-Policy present" yes "$( [ -n "$(header Content-Security-Policy)" ] && echo yes || echo no)"
if [[ $base == https://* ]]; then
  check "header Strict-Transport-Security present" yes "$( [ -n "$(header Strict-Transport-Security)" ] && echo yes || echo no)"
fi
status "$base/q/health/ready" > /dev/null
check "health check names no model (answers could be computed)" no \
  "$(grep -qiE 'sha256|mobilenet|resnet' "$work/body" && echo yes || echo no)"
status "$base/" > /dev/null
check "home page names no model to strangers" no "$(grep -qiE 'model-sha256|mobilenet|resnet' "$work/body" && echo yes || echo no)"
status "$base/login" > /dev/null
check "sign-in page is never cached" no-store "$(header Cache-Control)"
check "health check hides server paths" no "$(status "$base/q/health/ready" > /dev/null; grep -q '/' <(grep -o '"error"[^,}]*' "$work/body") && echo yes || echo no)"

if [ -n "$admin" ]; then
  python3 - "$work" <<'PY'
import io, sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(f"{work}/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("__MACOSX/._huge", "w", force_zip64=True) as entry:
        block = bytes(1 << 20)
        for _ in range(1024):
            entry.write(block)
# a 16x16 TIFF, uncompressed RGB
w = h = 16
pixels = bytes(w * h * 3)
entries = [(256, 3, 1, w), (257, 3, 1, h), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 2), (273, 4, 1, 8),
           (277, 3, 1, 3), (278, 3, 1, h), (279, 4, 1, len(pixels))]
ifd_offset = 8 + len(pixels)
out = io.BytesIO()
out.write(b"II*\x00" + ifd_offset.to_bytes(4, "little") + pixels + len(entries).to_bytes(2, "little"))
for tag, kind, count, value in entries:
    out.write(tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + count.to_bytes(4, "little")
              + value.to_bytes(4, "little"))
out.write(bytes(4))
open(f"{work}/photo.tif", "wb").write(out.getvalue())
PY
  start=$(date +%s%N)
  got=$(status -u "$admin" -H 'X-Requested-With: attack' -F "file=@$work/bomb.zip" "$base/api/images")
  check "zip whose skipped entry inflates to 1 GB ($(( ($(date +%s%N) - start) / 1000000 )) ms)" 413 "$got"
  check "a TIFF" 415 "$(status -u "$admin" -H 'X-Requested-With: attack' -F "file=@$work/photo.tif" "$base/api/images")"
fi

if [ -n "$study" ]; then
  pid=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  first=$(status -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: attack' \
    -d "{\"PROLIFIC_PID\": \"$pid\", \"SESSION_ID\": \"$pid\", \"STUDY_ID\": \"$pid\"}" "$base/api/studies/$study/sessions")
  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("token",""))' "$work/body" 2>/dev/null)
  check "start a session (for the attacks below)" "201" "$first"
  check "someone else's PROLIFIC_PID without the first device's secret" 409 \
    "$(status -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: attack' -d "{\"PROLIFIC_PID\": \"$pid\"}" "$base/api/studies/$study/sessions")"
  check "... and no token in the answer" no "$(grep -q "$token" "$work/body" && echo yes || echo no)"
  position=$(curl -s "$base/api/sessions/$token/next" | python3 -c 'import json,sys; print(json.load(sys.stdin)["position"])' 2>/dev/null)
  check "the picture of the question shown now" 200 "$(status "$base/p/$token/trials/${position:-0}/left.png")"
  check "the picture of the question after it" 404 "$(status "$base/p/$token/trials/$((${position:-0} + 1))/left.png")"
  upper=$(echo "$pid" | tr 'a-f' 'A-F')
  check "the same PROLIFIC_PID in capitals (one person, one participation)" 409 \
    "$(status -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: attack' -d "{\"PROLIFIC_PID\": \"$upper\"}" "$base/api/studies/$study/sessions")"
fi

if [ "$guess" = 1 ]; then
  got=""
  for i in $(seq 1 25); do
    got=$(status -u "attack-script-user:guess-$i" "$base/api/images")
    [ "$got" = 429 ] && break
  done
  check "25 wrong passwords: throttled (Retry-After $(header Retry-After) s)" 429 "$got"
fi

echo "$failures failed"
[ "$failures" = 0 ]
