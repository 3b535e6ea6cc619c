#!/usr/bin/env bash
# bf16 against fp32, here (the CPU) or with DEVICE=gpu: the model's forward images/s at batch 1, 16 and 64 for fp32,
# bf16 and bf16 channels-last (two rounds, alternating, so the ratios come from one run), then the search (no display
# heat maps) of N photos in each precision, and how far bf16's explanations are from fp32's: photos with identical
# roots (same sets, same order), identical diverse roots and SAG roots, and the largest difference in a root's
# confidence or in p_full. Usage: scripts/bench/precision.sh [PHOTO_DIR] [N]; files in $OUT (default
# target/precision). SAG (default scripts/sag) is the command line to run, PYTHON a Python with PyTorch for the variants.
# MODEL picks the model folder (default ../shared/models/mobilenet_v2). Last, seconds per photo of each phase with the
# display heat maps (fp32: Grad-CAM and I-GOS take gradients, which are always fp32) on HEATMAP_PHOTOS photos (2).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
PHOTO_DIR=${1:-../shared/data/images/imagenet-dev}
N=${2:-10}
MODEL=${MODEL:-../shared/models/mobilenet_v2}
DEVICE=${DEVICE:-cpu}
OUT=${OUT:-target/precision}
SAG=${SAG:-scripts/sag}
rm -rf "$OUT" && mkdir -p "$OUT/photos"
bash scripts/models/variants.sh "$MODEL" "$OUT/model" > "$OUT/variants.txt"
ls "$PHOTO_DIR" | grep -iE '\.(jpe?g|png)$' | head -n "$N" | while read -r photo; do
  ln -s "$(readlink -f "$PHOTO_DIR/$photo")" "$OUT/photos/$photo"
done
first="$OUT/photos/$(ls "$OUT/photos" | head -1)"
variants=("fp32 contiguous" "bf16 contiguous" "bf16 channels-last")
for round in 1 2; do
  for v in "${variants[@]}"; do
    set -- $v
    $SAG benchmark --device "$DEVICE" --model "$OUT/model" --precision "$1" --memory-format "$2" \
      --throughput 1,16,64 "$first" 2>/dev/null | sed "s/^/round $round: /"
  done
done | tee "$OUT/throughput.txt"
for v in "${variants[@]}"; do
  set -- $v
  label=$1; [ "$2" = channels-last ] && label=$1-channels-last
  started=$(date +%s%N)
  $SAG explain --device "$DEVICE" --no-heatmaps --model "$OUT/model" --precision "$1" --memory-format "$2" \
    --out "$OUT/$label" "$OUT/photos" 2>"$OUT/$label.log" >/dev/null
  echo "$label $(( ($(date +%s%N) - started) / 1000000000 ))" >> "$OUT/seconds.txt"
done
mkdir -p "$OUT/heatmap-photos"
ls "$OUT/photos" | head -n "${HEATMAP_PHOTOS:-2}" | while read -r photo; do
  ln -s "$(readlink -f "$OUT/photos/$photo")" "$OUT/heatmap-photos/$photo"
done
$SAG explain --device "$DEVICE" --model "$OUT/model" --out "$OUT/fp32-heatmaps" "$OUT/heatmap-photos" \
  2>"$OUT/fp32-heatmaps.log" >/dev/null
"${PYTHON:-python3}" - "$OUT" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
seconds = dict(line.split() for line in (out / "seconds.txt").read_text().splitlines())
def load(label):
    return {p.name: json.loads(p.read_text()) for p in sorted((out / label).glob("*.json"))}
fp32 = load("fp32")
print(f"{len(fp32)} photos; search (no display heat maps) with fp32: {float(seconds['fp32']):.0f} s")
for label in ["bf16", "bf16-channels-last"]:
    other = load(label)
    same_roots = same_diverse = same_sag = 0
    largest = 0.0
    for name, a in fp32.items():
        b = other[name]
        roots_a = [r["patches"] for r in a["roots"]]
        roots_b = [r["patches"] for r in b["roots"]]
        same_roots += roots_a == roots_b
        same_diverse += a["diverseRoots"] == b["diverseRoots"]
        same_sag += a["sagRoots"] == b["sagRoots"]
        confidence_b = {tuple(r["patches"]): r["confidence"] for r in b["roots"]}
        differences = [abs(r["confidence"] - confidence_b[tuple(r["patches"])]) for r in a["roots"]
                       if tuple(r["patches"]) in confidence_b]
        largest = max([largest, abs(a["pFull"] - b["pFull"])] + differences)
    print(f"{label}: {float(seconds[label]):.0f} s ({float(seconds['fp32']) / float(seconds[label]):.2f}x fp32's speed);"
          f" identical roots {same_roots}/{len(fp32)}, diverse roots {same_diverse}/{len(fp32)},"
          f" SAG roots {same_sag}/{len(fp32)}; largest confidence difference {largest:.4f}")
with_maps = load("fp32-heatmaps")
phases = {}
for document in with_maps.values():
    for phase, millis in document["stats"]["millis"].items():
        phases.setdefault(phase, []).append(millis / 1000)
print(f"seconds per photo by phase, fp32 with the display heat maps ({len(with_maps)} photos): "
      + ", ".join(f"{phase} {sum(v) / len(v):.1f}" for phase, v in phases.items()))
PY
