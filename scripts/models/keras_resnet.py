"""Converts a Keras ResNet (v1: Caffe weights, stride on the first 1x1 convolution of a downsampling block) saved as a
TensorFlow.js layers model (model.json + weight shards) into the engine's model folder, and checks the result.

usage: keras_resnet.py TFJS_DIR SYNSET_TXT OUT_DIR [--name NAME] [--labels LABELS_JSON] [--photos DIR] [--check N]

The network is torchvision's ResNet with four exact changes:
1. the stride of a downsampling block sits on its first 1x1 convolution, not on the 3x3 (torchvision's "v1.5");
2. Keras's convolutions have a bias; it is folded into the following batch norm's running mean;
3. Keras's batch-norm epsilon (1e-3 here) is absorbed into the running variance, so torchvision's 1e-5 gives the same;
4. Keras expects Caffe input (BGR, 0-255, mean subtracted); the model takes the engine's normalised RGB instead: the
   channel order and scale are folded into the first convolution's weights, the mean into a per-channel shift in
   front of it (a shift, not a bias, so that the convolution's zero padding stays Keras's zero).
Strided 1x1 convolutions are then written as subsampling + stride 1 (model_folder.py says why). --check N compares the converted model with a direct reading of the Keras graph (KerasGraph below) on
N photos of --photos (or random images), and --photos reports top-1 on photos named <wnid>_<label>.<ext>.
"""
import argparse
import copy
import json
import sys
from pathlib import Path

import numpy
import torch
import torchvision
from torchvision.models.resnet import Bottleneck, ResNet

from model_folder import largest_differences, split_at_features, without_strided_pointwise, write_folder

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
CAFFE_BGR_MEAN = [103.939, 116.779, 123.68]
TORCH_BN_EPSILON = 1e-5
STAGE_LAYERS = {2: "layer1", 3: "layer2", 4: "layer3", 5: "layer4"}


def read_tfjs(folder: Path):
    """The layers of a TF.js layers model and its weights by name (float32 only; quantized models are refused)."""
    document = json.loads((folder / "model.json").read_text())
    if document.get("format") != "layers-model":
        sys.exit(f"{folder}/model.json: not a TF.js layers model (format {document.get('format')})")
    weights = {}
    for group in document["weightsManifest"]:
        data = b"".join((folder / path).read_bytes() for path in group["paths"])
        offset = 0
        for entry in group["weights"]:
            if entry["dtype"] != "float32" or "quantization" in entry:
                sys.exit(f"{entry['name']}: only unquantized float32 weights are converted")
            count = int(numpy.prod(entry["shape"])) if entry["shape"] else 1
            weights[entry["name"]] = numpy.frombuffer(data, "<f4", count, offset).reshape(entry["shape"]).copy()
            offset += 4 * count
        if offset != len(data):
            sys.exit(f"{folder}: the weight shards hold {len(data)} bytes, the manifest describes {offset}")
    topology = document["modelTopology"]
    return topology.get("model_config", topology)["config"]["layers"], weights


def layer_weights(weights, name):
    return {key.split("/")[-1]: value for key, value in weights.items() if key.rsplit("/", 1)[0] == name}


def blocks_per_stage(layers):
    """{stage: number of blocks} from Keras's names res<stage><block letter>_branch2a."""
    counts = {}
    for layer in layers:
        name = layer["name"]
        if name.startswith("res") and name.endswith("_branch2a"):
            stage = int(name[3])
            counts[stage] = counts.get(stage, 0) + 1
    if sorted(counts) != [2, 3, 4, 5]:
        sys.exit(f"not a Keras ResNet v1: stages {sorted(counts)} (res2a_branch2a ... res5*_branch2a expected)")
    return [counts[stage] for stage in (2, 3, 4, 5)]


def load_conv_bn(conv: torch.nn.Conv2d, bn: torch.nn.BatchNorm2d, weights, conv_name: str, bn_name: str,
                 epsilon: float):
    kernel = layer_weights(weights, conv_name)
    norm = layer_weights(weights, bn_name)
    conv.weight.data = torch.from_numpy(kernel["kernel"]).permute(3, 2, 0, 1).contiguous()
    bias = torch.from_numpy(kernel.get("bias", numpy.zeros(conv.out_channels, "f4")))
    bn.weight.data = torch.from_numpy(norm["gamma"])
    bn.bias.data = torch.from_numpy(norm["beta"])
    # (x + b - mean) / sqrt(var + eps) == (x - (mean - b)) / sqrt((var + eps - 1e-5) + 1e-5)
    bn.running_mean.data = torch.from_numpy(norm["moving_mean"]) - bias
    bn.running_var.data = torch.from_numpy(norm["moving_variance"]) + (epsilon - TORCH_BN_EPSILON)
    bn.eps = TORCH_BN_EPSILON


class CaffeInputShift(torch.nn.Module):
    """Adds per channel what turns the engine's normalised RGB into Caffe's mean-free BGR divided by 255 * std."""

    def __init__(self):
        super().__init__()
        shift = [(255 * IMAGENET_MEAN[c] - CAFFE_BGR_MEAN[2 - c]) / (255 * IMAGENET_STD[c]) for c in range(3)]
        self.register_buffer("shift", torch.tensor(shift).view(1, 3, 1, 1))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return images + self.shift


def convert(layers, weights) -> ResNet:
    """A torchvision ResNet computing what the Keras graph computes, on the engine's normalised RGB input."""
    epsilon = {layer["name"]: layer["config"]["epsilon"] for layer in layers if layer["class_name"] ==
               "BatchNormalization"}
    dense = layer_weights(weights, "fc1000")
    model = ResNet(Bottleneck, blocks_per_stage(layers), num_classes=dense["kernel"].shape[1]).eval()
    load_conv_bn(model.conv1, model.bn1, weights, "conv1", "bn_conv1", epsilon["bn_conv1"])
    scale = torch.tensor([255 * s for s in IMAGENET_STD]).view(1, 3, 1, 1)
    model.conv1.weight.data = model.conv1.weight.data.flip(1) * scale
    for stage, layer_name in STAGE_LAYERS.items():
        for index, block in enumerate(getattr(model, layer_name)):
            prefix = f"{stage}{chr(ord('a') + index)}"
            for torch_name, keras_branch in (("1", "2a"), ("2", "2b"), ("3", "2c")):
                load_conv_bn(getattr(block, "conv" + torch_name), getattr(block, "bn" + torch_name), weights,
                             f"res{prefix}_branch{keras_branch}", f"bn{prefix}_branch{keras_branch}",
                             epsilon[f"bn{prefix}_branch{keras_branch}"])
            if block.downsample is not None:
                load_conv_bn(block.downsample[0], block.downsample[1], weights, f"res{prefix}_branch1",
                             f"bn{prefix}_branch1", epsilon[f"bn{prefix}_branch1"])
            if index == 0 and stage > 2:
                block.conv1.stride = (2, 2)
                block.conv2.stride = (1, 1)
    model.fc.weight.data = torch.from_numpy(dense["kernel"]).t().contiguous()
    model.fc.bias.data = torch.from_numpy(dense["bias"])
    model.conv1 = torch.nn.Sequential(CaffeInputShift(), model.conv1)
    return model


class KerasGraph:
    """The Keras graph read literally, as Keras computes it: NHWC tensors, Caffe input, layer by layer in the file's
    order, its own padding and epsilon. Slow and plain; the check the conversion is measured against."""

    def __init__(self, layers, weights):
        self.layers = layers
        self.weights = weights

    def logits(self, normalised_rgb: torch.Tensor) -> torch.Tensor:
        rgb255 = 255 * (normalised_rgb * torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
                         + torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        caffe = rgb255.flip(1) - torch.tensor(CAFFE_BGR_MEAN).view(1, 3, 1, 1)
        values = {}
        for layer in self.layers:
            kind, config, name = layer["class_name"], layer["config"], layer["name"]
            inputs = [values[node[0]] for node in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            if kind == "InputLayer":
                values[name] = caffe.permute(0, 2, 3, 1)
            elif kind == "Dense":
                weights = layer_weights(self.weights, name)
                # the softmax Keras applies on top is left out: the engine wants logits
                values[name] = inputs[0] @ torch.from_numpy(weights["kernel"]) + torch.from_numpy(weights["bias"])
            else:
                values[name] = self.apply(kind, config, name, inputs)
        return values[self.layers[-1]["name"]]

    def apply(self, kind, config, name, inputs):
        x = inputs[0]
        if kind == "ZeroPadding2D":
            (top, bottom), (left, right) = config["padding"]
            return torch.nn.functional.pad(x, (0, 0, left, right, top, bottom))
        if kind == "Conv2D":
            weights = layer_weights(self.weights, name)
            kernel = torch.from_numpy(weights["kernel"]).permute(3, 2, 0, 1)
            padding = "same" if config["padding"] == "same" else 0
            if padding == "same" and tuple(config["strides"]) != (1, 1):
                sys.exit(f"{name}: 'same' padding with a stride is not read here")
            y = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), kernel,
                                           torch.from_numpy(weights["bias"]) if config["use_bias"] else None,
                                           stride=tuple(config["strides"]), padding=padding)
            return y.permute(0, 2, 3, 1)
        if kind == "BatchNormalization":
            w = layer_weights(self.weights, name)
            return ((x - torch.from_numpy(w["moving_mean"])) / torch.sqrt(torch.from_numpy(w["moving_variance"])
                                                                          + config["epsilon"])
                    * torch.from_numpy(w["gamma"]) + torch.from_numpy(w["beta"]))
        if kind == "Activation":
            if config["activation"] != "relu":
                sys.exit(f"{name}: activation {config['activation']} is not read here")
            return torch.relu(x)
        if kind == "Add":
            return sum(inputs[1:], inputs[0])
        if kind == "MaxPooling2D":
            if config["padding"] != "valid":
                sys.exit(f"{name}: only 'valid' max pooling is read here")
            return torch.nn.functional.max_pool2d(x.permute(0, 3, 1, 2), tuple(config["pool_size"]),
                                                  tuple(config["strides"])).permute(0, 2, 3, 1)
        if kind == "GlobalAveragePooling2D":
            return x.mean(dim=(1, 2))
        sys.exit(f"{name}: layer kind {kind} is not read here")


def photo_tensor(path: Path, size: int = 224, center_crop: bool = False) -> torch.Tensor:
    """A photo as the engine prepares it: RGB, squashed to size x size by a linear resize (no antialiasing, as
    OpenCV's INTER_LINEAR), normalised with ImageNet's mean and standard deviation; or with center_crop as ImageNet
    is usually evaluated (shorter side to 256 with antialiasing, the central 224 x 224)."""
    image = torchvision.io.read_image(str(path), torchvision.io.ImageReadMode.RGB).float().unsqueeze(0) / 255
    if center_crop:
        image = torchvision.transforms.functional.center_crop(
            torchvision.transforms.functional.resize(image, size * 8 // 7, antialias=True), size)
    else:
        image = torch.nn.functional.interpolate(image, size=(size, size), mode="bilinear", align_corners=False)
    return (image - torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)) / torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)


def photos_in(folder: Path):
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpeg", ".jpg", ".png"))


def top1(model, synset_wnids, photos, center_crop):
    correct = 0
    with torch.no_grad():
        for photo in photos:
            predicted = synset_wnids[model(photo_tensor(photo, center_crop=center_crop)).argmax().item()]
            correct += predicted == photo.name.split("_")[0]
    return correct


def check_labels(labels_json: Path, synset_lines):
    """The package's class names (tench, goldfish, ...) against the synset's first names, index by index."""
    labels = json.loads(labels_json.read_text())
    names = [line.split(" ", 1)[1].split(",")[0].strip().replace(" ", "_").lower() for line in synset_lines]
    mismatched = [i for i in range(len(names)) if labels[str(i)].lower() != names[i]]
    # Keras's list differs from WordNet's first names in a few spellings only (e.g. two 'crane's, 'maillot's)
    if len(mismatched) > 10:
        sys.exit(f"{labels_json}: {len(mismatched)} class names differ from the synset's; wrong class order?")
    print(f"class order: the package's 1000 names match the synset's first names ({len(mismatched)} spelled "
          f"differently)")


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("tfjs", type=Path)
    parser.add_argument("synset", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--name", default="resnet50")
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--photos", type=Path)
    parser.add_argument("--check", type=int, default=3)
    arguments = parser.parse_args()
    torch.set_grad_enabled(False)
    layers, weights = read_tfjs(arguments.tfjs)
    synset_lines = arguments.synset.read_text().splitlines()
    if arguments.labels:
        check_labels(arguments.labels, synset_lines)
    model = convert(layers, weights)
    print(f"converted: {sum(p.numel() for p in model.parameters()):,} parameters, blocks "
          f"{blocks_per_stage(layers)}, {len(weights)} Keras tensors")

    graph = KerasGraph(layers, weights)
    photos = photos_in(arguments.photos) if arguments.photos else []
    probes = [photo_tensor(p) for p in photos[:arguments.check]] or [torch.randn(1, 3, 224, 224)
                                                                      for _ in range(arguments.check)]
    agreement = max((model(probe) - graph.logits(probe)).abs().max().item() for probe in probes)
    print(f"agreement with the Keras graph read directly: logits differ by at most {agreement:.2e} on "
          f"{len(probes)} {'photos' if photos else 'random images'}")

    unmodified = copy.deepcopy(model)
    rewritten = without_strided_pointwise(model)
    torch.set_grad_enabled(True)
    logits, gradients = largest_differences(unmodified, model, probes[0])
    print(f"{rewritten} strided 1x1 convolutions written as subsampling + stride 1: logits differ by {logits:.2e}, "
          f"input gradients by {gradients:.2e}")
    torch.set_grad_enabled(False)
    if photos:
        wnids = [line.split(" ", 1)[0] for line in synset_lines]
        print(f"top-1 on {arguments.photos}: {top1(model, wnids, photos, False)} of {len(photos)} as the engine "
              f"prepares photos (squashed to 224 x 224), {top1(model, wnids, photos, True)} of {len(photos)} as "
              f"ImageNet is usually evaluated (resize 256, center crop 224)")
    body, head = split_at_features("resnet", model)
    write_folder(arguments.name, model, body, head, arguments.synset, arguments.out)


if __name__ == "__main__":
    main()
