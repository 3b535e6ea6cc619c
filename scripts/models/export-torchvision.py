"""Exports a torchvision ImageNet classifier to the engine's model folder format: OUT/NAME.pt (images -> logits),
OUT/NAME_gradcam.pt (images -> (logits, last convolutional features)) and OUT/synset.txt. Both files are frozen in eval
mode (batch norm folded, dropout off), which the engine requires: it takes gradients in DJL's training mode.

usage: export-torchvision.py vgg19|resnet50|mobilenet_v2|... SYNSET_TXT OUT_DIR [--random-weights]
Without --random-weights torchvision's pretrained weights are used (downloaded once by torchvision; needs network).
"""
import copy
import sys
from pathlib import Path

import torch
import torchvision

from model_folder import largest_differences, split_at_features, without_strided_pointwise, write_folder


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(arguments) != 3:
        sys.exit(__doc__)
    name, synset, out = arguments[0], Path(arguments[1]), Path(arguments[2])
    random_weights = "--random-weights" in sys.argv
    torch.manual_seed(0)
    builder = getattr(torchvision.models, name)
    model = builder(weights=None if random_weights else "DEFAULT").eval()
    # ResNets downsample with strided 1x1 convolutions, whose gradient crashed DJL's CPU libtorch (model_folder.py)
    unmodified = copy.deepcopy(model)
    rewritten = without_strided_pointwise(model)
    if rewritten:
        logits, gradients = largest_differences(unmodified, model, torch.rand(2, 3, 224, 224))
        print(f"{rewritten} strided 1x1 convolutions written as subsampling + stride 1: logits differ by "
              f"{logits:.2e}, input gradients by {gradients:.2e}")
    body, head = split_at_features(name, model)
    write_folder(name, model, body, head, synset, out)


if __name__ == "__main__":
    main()
