#!/usr/bin/env bash
# Puts together the model files that scripts/gpu/bundle.sh split into parts, and checks each file's SHA-256. A part
# travels in a device call of its own (the device tool carries at most 64 MiB per call and keeps what earlier calls
# carried), so a model too big for one call arrives over several.
# Usage: scripts/gpu/reassemble.sh BUNDLE DEST   writes DEST/NAME/{NAME_gradcam.pt, NAME.pt (a link), synset.txt}
set -euo pipefail
BUNDLE=$(readlink -f "$1")
DEST=$2
for manifest in "$BUNDLE"/split-models/*/*.parts; do
  [ -e "$manifest" ] || continue
  from=$(dirname "$manifest")
  name=$(basename "$from")
  file=$(basename "$manifest" .parts)
  mkdir -p "$DEST/$name"
  cp "$from/synset.txt" "$DEST/$name/"
  : > "$DEST/$name/$file"
  while read -r part; do
    [ -f "$BUNDLE-$part" ] || { echo "missing $BUNDLE-$part: carry $(dirname "$(dirname "$BUNDLE-$part")") in a call before this one" >&2; exit 1; }
    cat "$BUNDLE-$part" >> "$DEST/$name/$file"
  done < "$manifest"
  (cd "$DEST/$name" && sha256sum --quiet -c "$from/$file.sha256") \
    || { echo "$name/$file does not have the SHA-256 it was bundled with" >&2; exit 1; }
  ln -sf "$file" "$DEST/$name/$name.pt"
  echo "$name: $file put together from $(wc -l < "$manifest") parts, SHA-256 checked"
done
