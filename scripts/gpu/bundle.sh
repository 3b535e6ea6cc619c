#!/usr/bin/env bash
# Builds, here, everything the lent GPU machine needs to run the engine without network, small enough to travel with
# the working tree (the device tool carries at most 64 MiB of ignored paths):
#   runtime.tar.gz        a jlink-ed Java runtime (that machine may have no Java)
#   lib/                  the engine and its command line, without the server's libraries and without DJL's CPU
#                         libtorch (the machine's pip PyTorch is used instead)
#   model/mobilenet_v2/   the Grad-CAM variant only (logits first, then features: it serves both uses)
#   photos/               the 50 dev photos
#   split-models/NAME/    with SAG_BUNDLE_MODELS="DIR ...": each folder's Grad-CAM model, too big for one call, split
#                         into OUT-part1/, OUT-part2/, ... (one call each, before the bundle's own; the device keeps
#                         what earlier calls carried), with its synset, SHA-256 and the parts' order
#                         (scripts/gpu/reassemble.sh puts it together)
#   djl-jni/              DJL 0.36.0's PyTorch JNI sources with their generated header, to build against the
#                         machine's libtorch (scripts/gpu/run-on-device.sh)
# Usage: [SAG_BUNDLE_MODELS="models/resnet50 ..."] scripts/gpu/bundle.sh [OUT]   (default target/gpu-bundle); DJL_SOURCES=<a checkout of
# deepjavalibrary/djl at v0.36.0> adds the JNI sources (without it the bundle runs on CPU only: scripts/gpu/test-bundle.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-target/gpu-bundle}
SHARED=${SAG_SHARED_DIR:-../shared}
[ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -q package -DskipTests
rm -rf "$OUT" "$OUT"-part*
mkdir -p "$OUT/lib" "$OUT/model/mobilenet_v2" "$OUT/photos"

cp target/quarkus-app/app/*.jar "$OUT/lib/"
for jar in ai.djl.api ai.djl.pytorch.pytorch-engine com.fasterxml.jackson.core com.google.code.gson \
    net.java.dev.jna org.apache.commons.commons-compress commons-io \
    org.slf4j.slf4j-api org.apache.commons.commons-statistics org.apache.commons.commons-numbers \
    org.apache.commons.commons-rng; do
  cp target/quarkus-app/lib/main/"$jar"*.jar "$OUT/lib/"
done

JAVA_BIN=$(dirname "$(readlink -f "$(command -v java)")")
"$JAVA_BIN/jlink" --add-modules java.base,java.desktop,java.management,java.logging,java.net.http,java.sql,java.compiler,java.naming,java.xml,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"
tar czf "$OUT/runtime.tar.gz" -C "$OUT" runtime
rm -rf "$OUT/runtime"

cp "$SHARED/models/mobilenet_v2/mobilenet_v2_gradcam.pt" "$SHARED/models/mobilenet_v2/synset.txt" \
  "$OUT/model/mobilenet_v2/"
cp "$SHARED"/data/images/imagenet-dev/*.JPEG "$OUT/photos/"

if [ -n "${DJL_SOURCES:-}" ]; then
  native="$DJL_SOURCES/engines/pytorch/pytorch-native"
  mkdir -p "$OUT/djl-jni/engines/pytorch" "$OUT/djl-jni/api/src/main/native"
  cp -r "$native" "$OUT/djl-jni/engines/pytorch/"
  rm -rf "$OUT/djl-jni/engines/pytorch/pytorch-native/"{gradlew,build.cmd,build_android.sh,src/main/java,src/main/resources}
  cp -r "$DJL_SOURCES/api/src/main/native/djl" "$OUT/djl-jni/api/src/main/native/"
  # the JNI header comes from the Java declarations; made here, where there is a javac
  classes=$(mktemp -d)
  "$JAVA_BIN/javac" -sourcepath "$DJL_SOURCES/engines/pytorch/pytorch-engine/src/main/java" \
    -cp "$(ls target/quarkus-app/lib/main/ai.djl.api-*.jar)" \
    "$DJL_SOURCES/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" \
    -h "$OUT/djl-jni/engines/pytorch/pytorch-native/build/include" -d "$classes"
  rm -rf "$classes"
  mkdir -p "$OUT/djl-jni/jdk-include"
  cp -r "$(dirname "$JAVA_BIN")/include/"* "$OUT/djl-jni/jdk-include/"
fi
PART_BYTES=$((60 * 1024 * 1024))
part=0
for dir in ${SAG_BUNDLE_MODELS:-}; do
  name=$(basename "$dir")
  gradcam=$(ls "$dir"/*_gradcam.pt | head -1)
  file=$(basename "$gradcam")
  mkdir -p "$OUT/split-models/$name"
  cp "$dir/synset.txt" "$OUT/split-models/$name/"
  (cd "$dir" && sha256sum "$file") > "$OUT/split-models/$name/$file.sha256"
  size=$(stat -c %s "$gradcam")
  for ((offset = 0; offset < size; offset += PART_BYTES)); do
    part=$((part + 1))
    mkdir -p "$OUT-part$part/$name"
    piece="$file.part-$(printf %02d $((offset / PART_BYTES)))"
    dd if="$gradcam" of="$OUT-part$part/$name/$piece" iflag=skip_bytes,count_bytes skip="$offset" \
      count="$PART_BYTES" bs=4M status=none
    echo "part$part/$name/$piece" >> "$OUT/split-models/$name/$file.parts"
  done
done
du -sh "$OUT" "$OUT"-part* 2>/dev/null
if [ "$part" -gt 0 ]; then
  echo "carry each of $(for p in $(seq 1 "$part"); do printf '%s ' "$OUT-part$p"; done)in a call of its own, then $OUT"
fi
