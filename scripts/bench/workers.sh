#!/usr/bin/env bash
# Precompute throughput with one worker process and with two sharing the queue, on the same cores (as root on Debian,
# after the app is built): each run takes a fresh database `study_workers`, lets the demo loader queue the first N
# photos of PHOTO_DIR (explanation jobs with heat maps), and times from the first process being ready to every job
# done. One process uses libtorch's default threads (every core); each of two uses half (ai.djl.pytorch.num_threads),
# so both runs have the same total threads. Usage: scripts/bench/workers.sh [PHOTO_DIR] [N]
set -uo pipefail
APP=${APP:-$(cd "$(dirname "$0")/../.." && pwd)}
PHOTO_DIR=$(readlink -f "${1:-$APP/../shared/data/images/imagenet-dev}")
N=${2:-6}
OUTDIR=${OUTDIR:-/tmp/sag-workers}
mkdir -p "$OUTDIR/photos" && rm -f "$OUTDIR"/photos/*
ls "$PHOTO_DIR" | grep -iE '\.(jpe?g|png)$' | head -n "$N" | while read -r photo; do
  ln -s "$PHOTO_DIR/$photo" "$OUTDIR/photos/$photo"
done
export SAG_ADMIN_PASSWORD=workers-bench-secret SAG_SESSION_KEY=0123456789abcdef0123456789abcdef
export DB_URL=jdbc:postgresql://localhost:5432/study_workers SAG_DEMO_IMAGES_DIR="$OUTDIR/photos"
cd "$APP"
. scripts/java-env.sh
cores=$(nproc)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

jobs_left() {
  curl -s -u admin:$SAG_ADMIN_PASSWORD "http://localhost:8080/api/jobs?limit=500" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)
print(sum(j["state"] not in ("done", "failed", "cancelled") for j in jobs) if jobs else -1)'
}

run() {
  local processes=$1 threads=$(( cores / $1 ))
  su postgres -c "dropdb --if-exists study_workers" && su postgres -c "createdb -O study study_workers"
  pids=()
  for i in $(seq 1 "$processes"); do
    QUARKUS_HTTP_PORT=$((8079 + i)) SAG_DEMO_ENABLED=$([ "$i" = 1 ] && echo true || echo false) \
      java $JAVA_OPTS -Dai.djl.pytorch.num_threads=$threads -jar target/quarkus-app/quarkus-run.jar \
      > "$OUTDIR/server-$processes-$i.log" 2>&1 &
    pids+=($!)
    # the first process loads the demo photos before the second starts, so they share one queue from the start
    [ "$i" = 1 ] && until curl -sf http://localhost:8080/q/health/ready >/dev/null; do sleep 1; done
  done
  local started=$(date +%s)
  until [ "$(jobs_left)" = 0 ]; do sleep 5; done
  local seconds=$(( $(date +%s) - started ))
  echo "$processes worker process(es), $threads libtorch thread(s) each: $N photos in $seconds s," \
    "$(( N * 3600 / seconds )) photos/hour" | tee -a "$OUTDIR/workers.txt"
  kill "${pids[@]}" && wait "${pids[@]}" 2>/dev/null
}

: > "$OUTDIR/workers.txt"
run 1
run 2
