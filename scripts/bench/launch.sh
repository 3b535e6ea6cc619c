#!/usr/bin/env bash
# The launch benchmark, in one go (as root on Debian, after `bash scripts/run.sh` has built the app once): a fresh
# database `study_load`, the server with the demo photos explained, the demo study opened, a pilot of simulated readers
# (rule readers, and random readers on an imported copy), a power plan, then study-load runs (1,000 participants over
# 60 s thinking 5 s; 200 starting in the same second; 200 only starting, at once; 200 without pauses, profiled with
# JFR). Results in OUTDIR (default /tmp/sag-launch): load.txt, pilot JSON, power.json, profile.txt, metrics.txt.
# The study's start limits are raised for the run (200 participants pressing start at once exceed its burst).
set -uo pipefail
APP=${APP:-$(cd "$(dirname "$0")/../.." && pwd)}
OUTDIR=${OUTDIR:-/tmp/sag-launch}
mkdir -p $OUTDIR
export SAG_ADMIN_PASSWORD=load-session-secret
export SAG_SESSION_KEY=0123456789abcdef0123456789abcdef
export DB_URL=jdbc:postgresql://localhost:5432/study_load
export SAG_STUDY_STARTS_PER_ADDRESS=1000000 SAG_STUDY_STARTS_STUDY_BURST=100000 SAG_STUDY_STARTS_STUDY_PER_SECOND=100000
su postgres -c "dropdb --if-exists study_load" && su postgres -c "createdb -O study study_load"
cd $APP
. scripts/java-env.sh
java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar > $OUTDIR/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
B=http://localhost:8080
api() { curl -s -u admin:$SAG_ADMIN_PASSWORD -H 'X-Requested-With: t' -H 'Content-Type: application/json' "$@"; }
until curl -sf $B/q/health/ready >/dev/null; do sleep 2; done
echo "server up $(date +%T)"
# every job finished (explanations of the demo photos)
while api "$B/api/jobs?limit=500" | python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j and all(x["state"] in ("done","failed","cancelled") for x in j) else 1)'; [ $? -ne 0 ]; do sleep 10; done
echo "photos explained $(date +%T)"
# the server creates the demo study once its photos are explained and opens it itself once its random options are
# evaluated (checked every 10 s)
STUDY=
for i in $(seq 1 90); do
  STUDY=$(api $B/api/studies | python3 -c 'import json,sys; print(next((s["id"] for s in json.load(sys.stdin) if s["state"] == "open"), ""))')
  [ -n "$STUDY" ] && break; sleep 10
done
[ -n "$STUDY" ] || { echo "no open demo study after 15 min" >&2; exit 1; }
echo "demo study $STUDY open $(date +%T)"
api $B/api/studies/$STUDY > $OUTDIR/study.json
# a copy of the same protocol for the random readers
api $B/api/studies/$STUDY/protocol > $OUTDIR/protocol.json
COPY=$(api -X POST --data-binary @$OUTDIR/protocol.json $B/api/studies/import | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api -X POST $B/api/studies/$COPY/open > /dev/null
echo "studies $STUDY and copy $COPY open $(date +%T)"
api -X POST -d '{"participants": 60, "strategy": "auto"}' $B/api/studies/$STUDY/results/simulate > $OUTDIR/sim-auto.json
api -X POST -d '{"participants": 60, "strategy": "random"}' $B/api/studies/$COPY/results/simulate > $OUTDIR/sim-random.json
api "$B/api/studies/$STUDY/results/analysis?population=simulated" > $OUTDIR/analysis-auto.json
api "$B/api/studies/$COPY/results/analysis?population=simulated" > $OUTDIR/analysis-random.json
api -X POST -d '{"accuracy": {"sag": 0.75, "gradcam": 0.65, "igos": 0.65}, "questions": 18, "spread": 0.5, "hourlyRate": 12}' \
  $B/api/studies/$STUDY/results/power > $OUTDIR/power.json
echo "pilot and power done $(date +%T)"
load() {
  local name=$1; shift
  echo "== $name: $*" | tee -a $OUTDIR/load.txt
  local before=$(awk '{print $14+$15}' /proc/$SERVER/stat)
  java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar study-load --password $SAG_ADMIN_PASSWORD --study $STUDY "$@" 2>&1 | tee -a $OUTDIR/load.txt
  local after=$(awk '{print $14+$15}' /proc/$SERVER/stat)
  echo "server CPU: $(( (after - before) / $(getconf CLK_TCK) )) s" | tee -a $OUTDIR/load.txt
}
load launch --participants 1000 --ramp-s 60 --think-ms 5000
load same-second --participants 200 --ramp-s 0 --think-ms 1000
load starts-only --participants 200 --ramp-s 0 --starts-only
echo "== start-burst (a lean client): 200 starts at once" | tee -a $OUTDIR/load.txt
python3 scripts/bench/start-burst.py 200 $B $STUDY 2>&1 | tee -a $OUTDIR/load.txt
jcmd $SERVER JFR.start name=load settings=profile > /dev/null
load no-pause --participants 200 --ramp-s 10 --think-ms 0
jcmd $SERVER JFR.stop name=load filename=$OUTDIR/no-pause.jfr > /dev/null
jfr print --events jdk.ExecutionSample $OUTDIR/no-pause.jfr > $OUTDIR/samples.txt
python3 - $OUTDIR/samples.txt > $OUTDIR/profile.txt <<'PY'
import sys, re, collections
top, ours = collections.Counter(), collections.Counter()
for event in open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    if not frames:
        continue
    top[frames[0]] += 1
    mine = next((f for f in frames if f.startswith("org.sagstudy")), None)
    if mine:
        ours[mine] += 1
total = sum(top.values())
print("samples", total)
print("top frames:")
for f, n in top.most_common(15): print(f"{100*n/total:5.1f}% {f}")
print("first org.sagstudy frame on the stack:")
for f, n in ours.most_common(15): print(f"{100*n/total:5.1f}% {f}")
PY
api $B/q/metrics > $OUTDIR/metrics.txt
echo "done $(date +%T)"
