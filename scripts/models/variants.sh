#!/usr/bin/env bash
# scripts/models/variants.sh MODEL_DIR OUT_DIR: the bf16 and channels-last variants of MODEL_DIR's NAME.pt in OUT_DIR,
# next to links to the model's own files, for --model OUT_DIR --precision bf16 --memory-format channels-last (or
# sag.model.precision / sag.model.memory-format). OUT_DIR may be MODEL_DIR itself. Needs PyTorch for Python
# (Debian: apt-get install python3-torch); the variants it writes load in any newer libtorch.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: scripts/models/variants.sh MODEL_DIR OUT_DIR" >&2
  exit 2
fi
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "PyTorch for Python is missing: apt-get install python3-torch (or set PYTHON to one that has it)" >&2
  exit 1
fi
exec "$python" "$(dirname "$0")/variants.py" "$1" "$2"
