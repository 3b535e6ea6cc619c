#!/usr/bin/env bash
# scripts/demo-photos.sh OUT: demo photos from a Debian package, for a clone without ../shared. The five photos of
# scikit-image's sample data (package python3-skimage) that are free to use, taken from the package file without
# installing it (apt-get download + dpkg-deb -x); OUT/LICENSES.md records each one's source and license.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/demo-photos.sh OUT_DIR" >&2
  exit 2
fi
out="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt's download user writes here
(cd "$work" && apt-get download -qq python3-skimage 2>/dev/null) \
  || { echo "cannot download python3-skimage with apt-get (is apt's package list current? apt-get update)" >&2; exit 1; }
deb="$(ls "$work"/python3-skimage_*.deb)"
dpkg-deb -x "$deb" "$work/x"
data="$work/x/usr/lib/python3/dist-packages/skimage/data"
mkdir -p "$out"
# name, license as the package's skimage/data/_fetchers.py states it
licenses=(
  "chelsea.png|a cat; CC0 by the photographer (Stefan van der Walt)"
  "coffee.png|a cup of coffee; CC0 by the photographer (Rachel Michetti)"
  "camera.png|a cameraman on a tripod (grayscale); CC0 by the photographer (Lav Varshney)"
  "rocket.jpg|a SpaceX rocket on its pad; released into the public domain by SpaceX"
  "astronaut.png|the astronaut Eileen Collins; NASA Great Images, no known copyright restrictions (public domain)"
)
{
  echo "# Demo photos"
  echo
  echo "From the Debian package \`$(basename "$deb")\` (sha256 \`$(sha256sum "$deb" | cut -d' ' -f1)\`), directory"
  echo "\`skimage/data/\`. The licenses are those the package's \`skimage/data/_fetchers.py\` states. Left out:"
  echo "\`motorcycle_left.png\` (Middlebury stereo benchmark, no license stated)."
  echo
  echo "| file | what it shows; license | sha256 |"
  echo "| --- | --- | --- |"
  for entry in "${licenses[@]}"; do
    file="${entry%%|*}"
    cp "$data/$file" "$out/$file"
    echo "| \`$file\` | ${entry#*|} | \`$(sha256sum "$out/$file" | cut -d' ' -f1)\` |"
  done
} > "$out/LICENSES.md"
echo "demo photos: $(ls "$out" | grep -vc LICENSES) in $out (LICENSES.md says where each comes from)"
