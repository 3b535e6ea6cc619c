#!/usr/bin/env bash
# Parity harness: the authors' SAG code (github.com/viv92/structured-attention-graphs at f076a83) vs our engine's
# reference mode, on the same TorchScript model and photos. See README.md.
#
# usage: scripts/parity/run_parity.sh [IMAGE...]      (default: every photo in ../shared/data/images/imagenet-dev)
#
# Steps: 1. build our app (unless APP_DIR is given); 2. export the authors' code from the local mirror into a
# temporary folder (git archive; never copied into this repository); 3. authors_run.py run (their pipeline, logged);
# 4. OursRun run (our engine given their 7x7 mask); 5. the two replays (their search on our values, ours on theirs);
# 6. compare.py: the table and totals, and LABEL/comparison.json. Photos whose outputs exist are not recomputed, so
# an interrupted run resumes where it stopped (FORCE=1 recomputes).
#
# Options (environment variables):
#   PARITY_WORK     results folder (default /tmp/sag-parity-work): theirs in WORK/theirs, ours and the replays in
#                   WORK/LABEL/{ours,replay_theirs_algo,replay_ours_algo}, the table in WORK/LABEL/comparison.json
#   PARITY_LABEL    sub-folder for our side (default: PARITY_INPUT), e.g. before / after to keep two engines apart
#   PARITY_INPUT    mask (default): ours gets their float32 7x7 mask (--ranking-mask: per-member NumPy argsort, as
#                   their code); ranking: their np.argsort(mask) as one permutation (--ranking; an engine built
#                   before PatchOrder existed accepts only this)
#   APP_DIR         our built quarkus-app folder (app/, lib/main/); when unset, SAG_TREE is built with
#                   `mvn -q -B package -DskipTests` and SAG_TREE/target/quarkus-app is used
#   SAG_TREE        the source tree to build (default: the repository holding this script)
#   SAG_AUTHORS_DIR an existing export of their code at f076a83 (default: exported from SAG_AUTHORS_MIRROR into a
#                   temporary folder, removed at exit)
#   SAG_AUTHORS_MIRROR  bare git mirror of their repository (default /work/.mirror/viv92+structured-attention-graphs/repo)
#   MODEL_DIR       TorchScript model folder (default SAG_TREE/../shared/models/mobilenet_v2, else
#                   /work/shared/models/mobilenet_v2)
#   IMAGES_DIR      photos used when no IMAGE is given (default the imagenet-dev folder next to MODEL_DIR's shared/)
#   SKIP_THEIRS=1   do not run the authors' code; reuse WORK/theirs
#   FORCE=1         recompute outputs that exist
#   PYTHON          default /usr/bin/python3 (Debian python3-torch etc.; a pyenv python has no torch)
#   PARITY_THREADS  torch threads for their code (default 1; their mask is compared bit for bit)
#   PARITY_REPLAY_MODEL=1  replay A computes sets our run never evaluated with the model instead of answering 0
#   NICE            niceness of the heavy steps (default 10)
#   JAVA_OPTS       JVM options for OursRun (default as scripts/java-env.sh: DJL offline, no graph optimizer; tcmalloc
#                   is preloaded into the JVM when installed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tree="${SAG_TREE:-$(cd "$here/../.." && pwd)}"
tree="$(cd "$tree" && pwd)"
work="${PARITY_WORK:-/tmp/sag-parity-work}"
input="${PARITY_INPUT:-mask}"
label="${PARITY_LABEL:-$input}"
mirror="${SAG_AUTHORS_MIRROR:-/work/.mirror/viv92+structured-attention-graphs/repo}"
PY="${PYTHON:-/usr/bin/python3}"
nice_level="${NICE:-10}"
AUTHORS_COMMIT=f076a831d21e96c814d6a738b8f607e5e991ac7b
case "$input" in mask|ranking) ;; *) echo "PARITY_INPUT must be mask or ranking: $input" >&2; exit 2 ;; esac

shared="$tree/../shared"
[ -d "$shared/models" ] || shared=/work/shared
model="$(readlink -f "${MODEL_DIR:-$shared/models/mobilenet_v2}")"
images=()
if [ $# -gt 0 ]; then
  for img in "$@"; do images+=("$(readlink -f "$img")"); done
else
  images_dir="${IMAGES_DIR:-$shared/data/images/imagenet-dev}"
  for img in "$images_dir"/*; do
    case "${img,,}" in *.jpeg|*.jpg|*.png) images+=("$(readlink -f "$img")") ;; esac
  done
fi
[ ${#images[@]} -gt 0 ] || { echo "no photos (give IMAGE... or IMAGES_DIR)" >&2; exit 2; }
[ -d "$model" ] || { echo "no model folder $model (MODEL_DIR)" >&2; exit 2; }
"$PY" -c "import torch, torchvision, cv2, skimage, scipy, matplotlib, pygraphviz, imageio" 2>/dev/null || {
  echo "$PY lacks packages their code imports: apt-get install -y python3-torch python3-torchvision python3-opencv" \
       "python3-skimage python3-scipy python3-matplotlib python3-pygraphviz python3-imageio" >&2; exit 1; }
mkdir -p "$work/theirs" "$work/$label/ours" "$work/$label/replay_theirs_algo" "$work/$label/replay_ours_algo"
work="$(readlink -f "$work")"
run_nice() { nice -n "$nice_level" "$@"; }
stem_of() { local b; b="$(basename "$1")"; echo "${b%.*}"; }
force_args=(); [ "${FORCE:-0}" = 1 ] && force_args=(--force)
echo "parity: ${#images[@]} photos, model $model, ours gets their $input, results in $work" >&2

# 1. our app
if [ -n "${APP_DIR:-}" ]; then
  app="$(readlink -f "$APP_DIR")"
else
  echo "building $tree (mvn -q -B package -DskipTests)" >&2
  (cd "$tree" && run_nice mvn -q -B package -DskipTests)
  app="$tree/target/quarkus-app"
fi
[ -d "$app/app" ] && [ -d "$app/lib/main" ] || { echo "$app is not a built quarkus-app (app/, lib/main/)" >&2; exit 2; }
cp="$app/app/*:$app/lib/main/*"

# 2. the authors' code, exported (not vendored)
tmp="$(mktemp -d /tmp/sag-parity-run.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
authors="${SAG_AUTHORS_DIR:-}"
if [ -z "$authors" ]; then
  [ -d "$mirror" ] || { echo "no SAG_AUTHORS_DIR and no mirror at $mirror (SAG_AUTHORS_MIRROR)" >&2; exit 2; }
  authors="$tmp/authors"
  mkdir -p "$authors"
  git --git-dir="$mirror" archive "$AUTHORS_COMMIT" -- '*.py' GroundTruth1000.txt LICENSE | tar -x -C "$authors"
fi
authors="$(readlink -f "$authors")"
[ -f "$authors/search.py" ] || { echo "$authors has no search.py" >&2; exit 2; }

# 3. their pipeline
status=0
if [ "${SKIP_THEIRS:-0}" != 1 ]; then
  run_nice "$PY" "$here/authors_run.py" run --authors "$authors" --model "$model" --out "$work/theirs" \
    "${force_args[@]}" "${images[@]}" || { echo "authors_run.py failed ($?)" >&2; status=1; }
fi

# 4. ours, given their mask (or ranking); one JVM for all photos, resumed (twice at most) if it dies
JAVA_OPTS="${JAVA_OPTS:--Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false}"
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4  # as scripts/java-env.sh: for the JVM only
preload="${LD_PRELOAD:-}"; [ -e "$tcmalloc" ] && preload="$tcmalloc${preload:+:$preload}"
classes="$tmp/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" "$here/OursRun.java" 2> >(grep -v '^Note:' >&2) \
  || { echo "OursRun.java does not compile against $app" >&2; exit 1; }
jcp="$classes:$cp"
ours_java() {
  # shellcheck disable=SC2086
  PARITY_OURS_INPUT="$input" LD_PRELOAD="$preload" nice -n "$nice_level" java $JAVA_OPTS -cp "$jcp" OursRun "$@" \
    2>&1 | { grep -v -e '^Note:' -e 'NNPACK' -e '^SLF4J' -e '^org\.slf4j' >&2 || true; }
}
ours_todo() {
  todo=()
  for img in "${images[@]}"; do
    stem="$(stem_of "$img")"
    if [ -f "$work/theirs/$stem.json" ] && [ ! -f "$work/$label/ours/$stem.json" ]; then todo+=("$img"); fi
  done
}
if [ "${FORCE:-0}" = 1 ]; then
  for img in "${images[@]}"; do rm -f "$work/$label/ours/$(stem_of "$img").json"; done
fi
ours_todo
for attempt in 1 2 3; do
  [ ${#todo[@]} -gt 0 ] || break
  [ "$attempt" = 1 ] || echo "OursRun stopped early; resuming with ${#todo[@]} photos" >&2
  ours_java run "$model" "$work/$label/ours" "$work/theirs" "${todo[@]}" || true
  ours_todo
done
if [ ${#todo[@]} -gt 0 ]; then echo "OursRun did not finish ${#todo[@]} photos" >&2; status=1; fi

# 5. replays: A = their search on our values (Python), B = ours on their values (Java, a lookup classifier)
for img in "${images[@]}"; do
  stem="$(stem_of "$img")"
  t="$work/theirs/$stem.json"; o="$work/$label/ours/$stem.json"
  a="$work/$label/replay_theirs_algo/$stem.json"; b="$work/$label/replay_ours_algo/$stem.json"
  if [ ! -f "$t" ] || [ ! -f "$o" ]; then continue; fi
  if [ "${FORCE:-0}" = 1 ] || [ ! -f "$a" ] || [ "$a" -ot "$t" ] || [ "$a" -ot "$o" ]; then
    rm -f "$a"
    replay_model=(--no-model); [ "${PARITY_REPLAY_MODEL:-0}" = 1 ] && replay_model=(--image "$img")
    run_nice "$PY" "$here/authors_run.py" replay --authors "$authors" --model "$model" "${replay_model[@]}" \
      "$t" "$o" --out "$a" || { echo "replay A failed for $stem" >&2; status=1; }
  fi
  if [ "${FORCE:-0}" = 1 ] || [ ! -f "$b" ] || [ "$b" -ot "$t" ]; then
    rm -f "$b"
    ours_java replay "$t" "$b" || true
    if [ ! -f "$b" ]; then echo "replay B failed for $stem" >&2; status=1; fi
  fi
done

# 6. the table (the photos of this run only)
photos="$tmp/photos.txt"
for img in "${images[@]}"; do stem_of "$img"; done > "$photos"
"$PY" "$here/compare.py" "$work/theirs" "$work/$label" --photos "@$photos" --json "$work/$label/comparison.json"
exit "$status"
