"""Writes the faster variants of a model folder's NAME.pt (see ModelVariant.java): NAME.bf16.pt and
NAME.bf16.channels-last.pt. Each takes float32 NCHW images and returns float32 logits, so
the engine only swaps the file; inside, the weights are cast and the images converted once per pass."""
import sys
from pathlib import Path

import torch


class Variant(torch.nn.Module):
    def __init__(self, inner, dtype: torch.dtype, channels_last: bool):
        super().__init__()
        self.inner = inner
        self.dtype = dtype
        self.channels_last = channels_last

    def prepared(self, images: torch.Tensor) -> torch.Tensor:
        if self.channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        return images.to(self.dtype)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.inner(self.prepared(images)).float()


class LogitsVariant(Variant):
    """For a model that also returns its features (a Grad-CAM file standing in for NAME.pt): the logits only."""

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.inner(self.prepared(images))[0].float()


def variant(source: Path, dtype: torch.dtype, channels_last: bool, returns_features: bool):
    model = torch.jit.load(str(source), map_location="cpu").eval().to(dtype)
    if channels_last:
        # TorchScript keeps the strides of saved parameters, so the convolution weights stay channels-last
        model = model.to(memory_format=torch.channels_last)
    return torch.jit.script((LogitsVariant if returns_features else Variant)(model, dtype, channels_last))


def logits(output):
    return output[0] if isinstance(output, tuple) else output


def main(source_dir: Path, out_dir: Path):
    models = [p for p in source_dir.glob("*.pt") if "." not in p.stem and not p.stem.endswith("_gradcam")]
    if len(models) != 1:
        sys.exit(f"{source_dir} must hold one TorchScript model (NAME.pt), found {len(models)}")
    source = models[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    if out_dir.resolve() != source_dir.resolve():
        # the variants sit next to the model they derive from, its Grad-CAM file and its labels
        for kept in [source, source_dir / f"{source.stem}_gradcam.pt", source_dir / "synset.txt"]:
            link = out_dir / kept.name
            if kept.exists() and not link.exists():
                link.symlink_to(kept.resolve())
    torch.manual_seed(0)
    probe = torch.rand(4, 3, 224, 224)
    with torch.no_grad():
        output = torch.jit.load(str(source), map_location="cpu").eval()(probe)
        returns_features = isinstance(output, tuple)
        reference = logits(output).softmax(1)
        # no fp32 channels-last: libtorch's AVX-512/AMX kernels make it inexact in batches (see ModelVariant.java)
        for suffix, dtype, channels_last in [(".bf16", torch.bfloat16, False),
                                             (".bf16.channels-last", torch.bfloat16, True)]:
            model = variant(source, dtype, channels_last, returns_features)
            target = out_dir / f"{source.stem}{suffix}.pt"
            model.save(str(target))
            difference = (model(probe).softmax(1) - reference).abs().max().item()
            print(f"{target}: largest class probability difference from fp32 on random images {difference:.2e}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: variants.py MODEL_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
