#!/usr/bin/env bash
# Runs the GPU bundle here on the CPU, as the device would run it but with DJL's CPU libtorch: its own Java runtime,
# its jars, its one-file model; and checks that it explains a photo exactly as the full build does, and that models
# carried in parts (SAG_BUNDLE_MODELS) are put together intact and run.
# Usage: scripts/gpu/test-bundle.sh [BUNDLE]   (default target/gpu-bundle, made by scripts/gpu/bundle.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=$(readlink -f "${1:-target/gpu-bundle}")
SHARED=$(readlink -f "${SAG_SHARED_DIR:-../shared}")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tar xzf "$BUNDLE/runtime.tar.gz" -C "$WORK"
mkdir -p "$WORK/model"
cp -r "$BUNDLE/model/mobilenet_v2" "$WORK/model/"
ln -s mobilenet_v2_gradcam.pt "$WORK/model/mobilenet_v2/mobilenet_v2.pt"
# on the device the machine's libtorch replaces these two
cpu_jars=$(ls target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-jni-*.jar target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-native-cpu-*.jar | tr '\n' ':')
photo="$BUNDLE/photos/n02391049_zebra.JPEG"
"$WORK/runtime/bin/java" -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false \
  -cp "$BUNDLE/lib/*:$cpu_jars" org.sagstudy.cli.Main explain --device cpu --no-heatmaps \
  --model "$WORK/model/mobilenet_v2" --out "$WORK/bundled" "$photo" >/dev/null
. scripts/java-env.sh
# shellcheck disable=SC2086
java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar explain --device cpu --no-heatmaps \
  --model "$SHARED/models/mobilenet_v2" --out "$WORK/full" "$photo" >/dev/null
roots() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["predicted"]["wnid"], [r["patches"] for r in d["roots"]], [round(r["confidence"], 5) for r in d["roots"]])' "$1"
}
bundled=$(roots "$WORK/bundled/n02391049_zebra.json")
full=$(roots "$WORK/full/n02391049_zebra.json")
echo "bundle: $bundled"
echo "full:   $full"
[ "$bundled" = "$full" ] || { echo "the bundle explains differently from the full build" >&2; exit 1; }
echo "the bundle runs on its own Java runtime and explains as the full build does"
# models carried in parts: put together as on the device, loaded by the bundle's runtime, and measured
bash scripts/gpu/reassemble.sh "$BUNDLE" "$WORK/split-models"
for model in "$WORK"/split-models/*/; do
  [ -d "$model" ] || continue
  "$WORK/runtime/bin/java" -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false \
    -cp "$BUNDLE/lib/*:$cpu_jars" org.sagstudy.cli.Main benchmark --device cpu --model "${model%/}" \
    --throughput 1 "$BUNDLE/photos" | tail -2
done
