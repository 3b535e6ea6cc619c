"""What every exporter here shares: the engine's model folder format (NAME.pt: images -> logits, NAME_gradcam.pt:
images -> (logits, last convolutional features), synset.txt), frozen in eval mode, and the rewrite of strided 1x1
convolutions that keeps DJL's CPU libtorch from crashing in their gradient.

Why the rewrite: a ResNet's downsampling 1x1 convolutions have stride 2, and the backward pass of that convolution
in DJL 0.36's CPU libtorch died with SIGFPE on an AVX-512 machine (oneDNN's brgemm_convolution_bwd_strided), taking
the JVM with it (not on the AVX2 machine this was written on, with either form). A 1x1 convolution with stride s
reads only every s-th pixel, so it equals taking every s-th pixel and then a stride-1 1x1 convolution: the same
numbers, the same gradients (checked in float64 by largest_differences), and that kernel is never chosen.
"""
import copy
import shutil
import sys
from pathlib import Path

import torch


class WithFeatures(torch.nn.Module):
    """The classifier split at its last convolutional feature map, which Grad-CAM weighs."""

    def __init__(self, body: torch.nn.Module, head: torch.nn.Module):
        super().__init__()
        self.body = body
        self.head = head

    def forward(self, images: torch.Tensor):
        features = self.body(images)
        if features.requires_grad:
            # Grad-CAM reads the features' gradient, which autograd keeps for leaves only unless asked
            features.retain_grad()
        return self.head(features), features


class SubsampledPointwise(torch.nn.Module):
    """A strided 1x1 convolution written as subsampling followed by the same convolution with stride 1."""

    def __init__(self, strided: torch.nn.Conv2d):
        super().__init__()
        self.row_step, self.column_step = strided.stride
        self.conv = torch.nn.Conv2d(strided.in_channels, strided.out_channels, 1, stride=1, padding=0,
                                    groups=strided.groups, bias=strided.bias is not None)
        self.conv.weight = strided.weight
        if strided.bias is not None:
            self.conv.bias = strided.bias

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.conv(images[:, :, ::self.row_step, ::self.column_step])


def is_strided_pointwise(module: torch.nn.Module) -> bool:
    return (isinstance(module, torch.nn.Conv2d) and module.kernel_size == (1, 1) and module.stride != (1, 1)
            and module.padding in ((0, 0), 'valid') and module.dilation == (1, 1))


def without_strided_pointwise(model: torch.nn.Module) -> int:
    """Replaces every strided 1x1 convolution of the model in place; returns how many there were."""
    replaced = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if is_strided_pointwise(child):
                setattr(parent, name, SubsampledPointwise(child))
                replaced += 1
    return replaced


def split_at_features(name: str, model: torch.nn.Module):
    """The classifier as (body up to its last convolutional features, head from there to the logits), by family."""
    if name.startswith("vgg"):
        # the last ReLU's output (14x14 at 224 input), before the final max pooling, as pytorch-grad-cam's VGG layer
        return model.features[:-1], torch.nn.Sequential(model.features[-1], model.avgpool, torch.nn.Flatten(1),
                                                        model.classifier)
    if name.startswith("resnet"):
        body = torch.nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2,
                                   model.layer3, model.layer4)
        return body, torch.nn.Sequential(model.avgpool, torch.nn.Flatten(1), model.fc)
    if name.startswith("mobilenet_v2"):
        return model.features, torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(1),
                                                   model.classifier)
    sys.exit(f"{name}: no rule for where its last convolutional features are (vgg*, resnet*, mobilenet_v2)")


def frozen(module: torch.nn.Module):
    return torch.jit.freeze(torch.jit.script(module.eval()))


def write_folder(name: str, model: torch.nn.Module, body: torch.nn.Module, head: torch.nn.Module, synset: Path,
                 out: Path) -> None:
    """Writes OUT/NAME.pt, OUT/NAME_gradcam.pt and OUT/synset.txt, and prints that the two files agree."""
    out.mkdir(parents=True, exist_ok=True)
    frozen(model).save(str(out / f"{name}.pt"))
    frozen(WithFeatures(body, head)).save(str(out / f"{name}_gradcam.pt"))
    shutil.copyfile(synset, out / "synset.txt")
    probe = torch.rand(2, 3, 224, 224)
    with torch.no_grad():
        logits = torch.jit.load(str(out / f"{name}.pt"))(probe)
        split_logits, features = torch.jit.load(str(out / f"{name}_gradcam.pt"))(probe)
    print(f"{out}: logits {tuple(logits.shape)}, features {tuple(features.shape)}, the two files differ by "
          f"{(logits - split_logits).abs().max().item():.2e}")


def largest_differences(reference: torch.nn.Module, rewritten: torch.nn.Module, images: torch.Tensor):
    """The largest difference in logits and in the input gradient of the top class's logit between two models, in
    float64 so that what is left is the rewrite, not float32 rounding in another convolution algorithm."""
    outputs = []
    for model in (reference, rewritten):
        model = copy.deepcopy(model).double().eval()
        given = images.double().requires_grad_(True)
        logits = model(given)
        logits[:, logits[0].argmax()].sum().backward()
        outputs.append((logits.detach(), given.grad))
    (logits_a, gradient_a), (logits_b, gradient_b) = outputs
    return (logits_a - logits_b).abs().max().item(), (gradient_a - gradient_b).abs().max().item()
