#!/usr/bin/env bash
# Runs on the lent GPU machine (device tool), from the repository root, with the bundle carried:
#   run(command="bash scripts/gpu/run-on-device.sh", carry=["target/gpu-bundle"], timeout_s=540)
# (a bundle made with SAG_BUNDLE_MODELS has parts, target/gpu-bundle-part1, ...: carry each in a call of its own
# first, e.g. run(command="true", carry=["target/gpu-bundle-part1"]); the device keeps them for the last call)
# 1. unpacks the bundle's Java runtime; 2. builds DJL 0.36.0's PyTorch JNI against the machine's pip PyTorch
# (/opt/torch/.venv) and drops libdjl_torch.so beside libtorch, where DJL's LibUtils looks first; 3. explains a photo
# on the GPU and on the CPU and compares the roots; 4. benchmarks the engine with 1 and N photos in flight; 5. times
# bf16 against fp32 (scripts/bench/precision.sh: throughput, identical roots); 6. times the paper's bigger models
# (VGG-19, ResNet-50 from the machine's torchvision, random weights) forward and forward+backward in fp32 and bf16;
# 7. for each model carried in parts (the paper's ResNet-50 with its real weights): GPU against CPU roots on one photo,
# and the model's forward and forward+backward images/s.
# Everything it prints also lands in $OUT/gpu-run.log.
set -uo pipefail
BUNDLE=$(readlink -f "${BUNDLE:-target/gpu-bundle}")
OUT=${OUT:-$(mktemp -d)}
PY=${PY:-/opt/torch/.venv/bin/python}
PHOTOS=${PHOTOS:-16}
PARALLEL=${PARALLEL:-8}
WORK=$(mktemp -d)
exec > >(tee "$OUT/gpu-run.log") 2>&1

step() { echo; echo "== $* ($(date +%T))"; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'

step "Java runtime"
tar xzf "$BUNDLE/runtime.tar.gz" -C "$WORK"
JAVA="$WORK/runtime/bin/java"
"$JAVA" -version

step "DJL JNI against the machine's libtorch"
TORCH_DIR=$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')
TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')
CMAKE_PREFIX=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)')
JNI="$BUNDLE/djl-jni/engines/pytorch/pytorch-native"
mkdir -p "$WORK/jni" && cp -r "$BUNDLE/djl-jni" "$WORK/jni/"
JNI="$WORK/jni/djl-jni/engines/pytorch/pytorch-native"
(cd "$JNI" && mkdir -p build && cd build \
  && cmake -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$CMAKE_PREFIX" -DUSE_CUDA=1 \
       -DJAVA_INCLUDE_PATH="$BUNDLE/djl-jni/jdk-include" -DJAVA_INCLUDE_PATH2="$BUNDLE/djl-jni/jdk-include/linux" \
       -DJAVA_JVM_LIBRARY="$WORK/runtime/lib/server/libjvm.so" .. >cmake.log \
  && cmake --build . -j "$(nproc)" >build.log) || { tail -40 "$JNI"/build/*.log; exit 1; }
cp "$JNI/build/libdjl_torch.so" "$TORCH_DIR/lib/"
export PYTORCH_LIBRARY_PATH="$TORCH_DIR/lib" PYTORCH_VERSION="$TORCH_VERSION" PYTORCH_FLAVOR=cu
export LD_LIBRARY_PATH="$TORCH_DIR/lib:${LD_LIBRARY_PATH:-}"

step "model"
mkdir -p "$WORK/model"
cp -r "$BUNDLE/model/mobilenet_v2" "$WORK/model/"
ln -s mobilenet_v2_gradcam.pt "$WORK/model/mobilenet_v2/mobilenet_v2.pt"
MODEL="$WORK/model/mobilenet_v2"
bash scripts/gpu/reassemble.sh "$BUNDLE" "$WORK/split-models" || exit 1
mkdir -p "$WORK/photos"
ls "$BUNDLE"/photos/*.JPEG | head -n "$PHOTOS" | xargs -I{} cp {} "$WORK/photos/"
sag() { "$JAVA" -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false -cp "$BUNDLE/lib/*" org.sagstudy.cli.Main "$@"; }
export -f sag && export JAVA BUNDLE  # scripts/bench/precision.sh calls it

step "one photo on the GPU and on the CPU: the same roots"
photo="$WORK/photos/$(ls "$WORK/photos" | head -1)"
# explains $photo with the model in $1 on the GPU and on the CPU, and compares the roots
gpu_against_cpu() {
  sag explain --device gpu --no-heatmaps --model "$1" --out "$WORK/gpu-$(basename "$1")" "$photo" || return 1
  sag explain --device cpu --no-heatmaps --model "$1" --out "$WORK/cpu-$(basename "$1")" "$photo" || return 1
  "$PY" - "$WORK/gpu-$(basename "$1")" "$WORK/cpu-$(basename "$1")" <<'EOF'
import json, sys, pathlib
g, c = (json.load(open(next(pathlib.Path(d).glob("*.json")))) for d in sys.argv[1:3])
same = [r["patches"] for r in g["roots"]] == [r["patches"] for r in c["roots"]]
diff = max((abs(a["confidence"] - b["confidence"]) for a, b in zip(g["roots"], c["roots"])), default=0)
print("device", g["model"]["device"], "vs", c["model"]["device"], "same roots:", same, "max |confidence diff|:", diff)
EOF
}
gpu_against_cpu "$MODEL" || exit 1

step "engine benchmark: 1 and $PARALLEL photos in flight ($PHOTOS photos)"
sag benchmark --device gpu --model "$MODEL" --batch-size 256 --parallel-images "$PARALLEL" "$WORK/photos"

step "bf16 against fp32 on the GPU: model throughput, and the explanations of $PHOTOS photos"
SAG="sag" DEVICE=gpu MODEL="$MODEL" PYTHON="$PY" OUT="$OUT/precision" \
  bash scripts/bench/precision.sh "$WORK/photos" "$PHOTOS"

step "the paper's bigger models: forward and forward+backward images/s by batch size, fp32 and bf16"
"$PY" - <<'EOF'
import time, torch, torchvision
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
def rate(step, batch, n=10):
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(n):
        step()
    torch.cuda.synchronize()
    return batch * n / (time.perf_counter() - t)
for name in ["vgg19", "resnet50", "mobilenet_v2"]:
    model = getattr(torchvision.models, name)(weights=None).eval().to(dev)
    for p in model.parameters():
        p.requires_grad_(False)
    for dtype in [torch.float32, torch.bfloat16]:
        m = model.to(dtype).to(memory_format=torch.channels_last)
        for batch in [1, 16, 64, 256]:
            x = torch.randn(batch, 3, 224, 224, device=dev, dtype=dtype).to(memory_format=torch.channels_last)
            def forward():
                with torch.inference_mode():
                    m(x)
            def backward():
                xg = x.detach().requires_grad_(True)
                m(xg)[:, 0].sum().backward()
            print(f"{name:13s} {str(dtype):15s} batch {batch:4d}: forward {rate(forward, batch):9.0f} images/s,"
                  f" forward+backward {rate(backward, batch):9.0f} images/s")
EOF
for model in "$WORK"/split-models/*/; do
  [ -d "$model" ] || continue
  step "$(basename "$model") (carried in parts): one photo on the GPU and on the CPU, then images/s"
  gpu_against_cpu "${model%/}" || exit 1
  sag benchmark --device gpu --model "${model%/}" --throughput 1,16,64,256 "$WORK/photos"
done
step "done"
