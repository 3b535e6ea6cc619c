"""Checks scripts/models/keras_resnet.py on a small synthetic Keras ResNet written here as a TF.js layers model (one
block per stage, 10 classes, random weights with non-zero convolution biases, batch-norm statistics and epsilons), so
nothing is downloaded. Prints one 'ok ...' line per check and exits non-zero on the first failure; the last argument
is a folder that receives the converted model for the Java side (KerasResNetConversionTest).
"""
import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy
import torch

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts" / "models"
sys.path.insert(0, str(SCRIPTS))
import keras_resnet  # noqa: E402
from model_folder import largest_differences, without_strided_pointwise  # noqa: E402

CLASSES = 10
random = numpy.random.default_rng(7)


class Graph:
    """Writes a Keras functional graph in model.json's form, layer by layer, with its weights."""

    def __init__(self):
        self.layers = []
        self.weights = []

    def add(self, kind, name, inputs, config=None, weights=()):
        self.layers.append({"class_name": kind, "name": name, "config": {"name": name, **(config or {})},
                            "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]] if inputs else []})
        for suffix, value in weights:
            self.weights.append((f"{name}/{suffix}", value.astype("<f4")))
        return name

    def conv_bn(self, x, conv, bn, filters, kernel, stride, padding, epsilon):
        channels = self.channels[x]
        x = self.add("Conv2D", conv, [x], {"filters": filters, "kernel_size": [kernel, kernel],
                                          "strides": [stride, stride], "padding": padding, "use_bias": True},
                     [("kernel", random.normal(0, (2 / (kernel * kernel * channels)) ** 0.5,
                                               (kernel, kernel, channels, filters))),
                      ("bias", random.normal(0, 0.1, filters))])
        x = self.add("BatchNormalization", bn, [x], {"axis": [3], "epsilon": epsilon},
                     [("gamma", random.uniform(0.5, 1.5, filters)), ("beta", random.normal(0, 0.1, filters)),
                      ("moving_mean", random.normal(0, 0.2, filters)),
                      ("moving_variance", random.uniform(0.2, 2.0, filters))])
        self.channels[x] = filters
        return x


def synthetic_resnet(folder: Path):
    graph = Graph()
    graph.channels = {}
    x = graph.add("InputLayer", "input_1", [], {"batch_input_shape": [None, 224, 224, 3]})
    graph.channels[x] = 3
    x = graph.add("ZeroPadding2D", "conv1_pad", [x], {"padding": [[3, 3], [3, 3]]})
    graph.channels[x] = 3
    x = graph.conv_bn(x, "conv1", "bn_conv1", 64, 7, 2, "valid", 1e-3)
    x = graph.add("Activation", "activation", [x], {"activation": "relu"})
    x = graph.add("ZeroPadding2D", "pool1_pad", [x], {"padding": [[1, 1], [1, 1]]})
    x = graph.add("MaxPooling2D", "max_pooling2d", [x], {"pool_size": [3, 3], "strides": [2, 2],
                                                          "padding": "valid"})
    graph.channels[x] = 64
    activations = 1
    for stage, planes in ((2, 64), (3, 128), (4, 256), (5, 512)):
        prefix = f"{stage}a"
        stride = 1 if stage == 2 else 2
        # one block per stage, its epsilon varied (Keras's default 1e-3, and another) so the folding is per layer
        epsilon = 1e-3 if stage % 2 else 2e-5
        y = graph.conv_bn(x, f"res{prefix}_branch2a", f"bn{prefix}_branch2a", planes, 1, stride, "valid", epsilon)
        y = graph.add("Activation", f"activation_{activations}", [y], {"activation": "relu"})
        graph.channels[y] = planes
        y = graph.conv_bn(y, f"res{prefix}_branch2b", f"bn{prefix}_branch2b", planes, 3, 1, "same", epsilon)
        y = graph.add("Activation", f"activation_{activations + 1}", [y], {"activation": "relu"})
        graph.channels[y] = planes
        y = graph.conv_bn(y, f"res{prefix}_branch2c", f"bn{prefix}_branch2c", planes * 4, 1, 1, "valid", epsilon)
        shortcut = graph.conv_bn(x, f"res{prefix}_branch1", f"bn{prefix}_branch1", planes * 4, 1, stride, "valid",
                                 epsilon)
        x = graph.add("Add", f"add_{stage}", [y, shortcut])
        x = graph.add("Activation", f"activation_{activations + 2}", [x], {"activation": "relu"})
        graph.channels[x] = planes * 4
        activations += 3
    x = graph.add("GlobalAveragePooling2D", "avg_pool", [x])
    graph.add("Dense", "fc1000", [x], {"units": CLASSES, "activation": "softmax", "use_bias": True},
              [("kernel", random.normal(0, 0.02, (2048, CLASSES))), ("bias", random.normal(0, 0.1, CLASSES))])
    folder.mkdir(parents=True, exist_ok=True)
    data = b"".join(value.tobytes() for _, value in graph.weights)
    half = len(data) // 2
    (folder / "group1-shard1of2.bin").write_bytes(data[:half])
    (folder / "group1-shard2of2.bin").write_bytes(data[half:])
    (folder / "model.json").write_text(json.dumps({
        "format": "layers-model", "generatedBy": "keras_resnet_check.py",
        "modelTopology": {"model_config": {"class_name": "Model", "config": {"layers": graph.layers}}},
        "weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
                             "weights": [{"name": n, "shape": list(v.shape), "dtype": "float32"}
                                         for n, v in graph.weights]}]}))


def check(condition, message):
    if not condition:
        print("FAILED: " + message)
        sys.exit(1)
    print("ok " + message)


def main(work: Path, out: Path):
    tfjs = work / "tfjs"
    synthetic_resnet(tfjs)
    layers, weights = keras_resnet.read_tfjs(tfjs)
    graph = keras_resnet.KerasGraph(layers, weights)
    torch.manual_seed(3)
    images = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        model = keras_resnet.convert(layers, weights)
        expected = graph.logits(images)
        scale = expected.abs().max().item()
        difference = (model(images) - expected).abs().max().item()
        check(difference < 1e-4 * max(1.0, scale),
              f"converted logits equal the Keras graph's (difference {difference:.2e}, logits up to {scale:.2f})")

        # each change of the conversion matters on this model: undoing one moves the logits
        def moved(undo):
            changed = copy.deepcopy(model)
            undo(changed)
            return (changed(images) - expected).abs().max().item()

        def torchvision_strides(m):
            for layer in (m.layer2, m.layer3, m.layer4):
                layer[0].conv1.stride, layer[0].conv2.stride = (1, 1), (2, 2)

        def keras_epsilon(m):
            for module in m.modules():
                if isinstance(module, torch.nn.BatchNorm2d):
                    module.eps = 1e-3

        def no_input_shift(m):
            m.conv1[0].shift.zero_()

        def unfolded_bias(m):
            m.layer1[0].bn1.running_mean += torch.from_numpy(weights["res2a_branch2a/bias"])

        for name, undo in (("stride on the 3x3", torchvision_strides), ("epsilon left at Keras's", keras_epsilon),
                           ("Caffe mean not shifted", no_input_shift), ("a bias not folded", unfolded_bias)):
            change = moved(undo)
            check(change > 10 * max(difference, 1e-6), f"{name} changes the logits by {change:.2e}")

    rewritten = copy.deepcopy(model)
    count = without_strided_pointwise(rewritten)
    check(count == 6, f"six strided 1x1 convolutions rewritten ({count})")
    logits, gradients = largest_differences(model, rewritten, images)
    check(logits < 1e-10 and gradients < 1e-10,
          f"rewrite keeps logits ({logits:.1e}) and input gradients ({gradients:.1e}) in float64")

    synset = work / "synset.txt"
    synset.write_text("".join(f"n{index:08d} class{index}\n" for index in range(CLASSES)))
    run = subprocess.run([sys.executable, str(SCRIPTS / "keras_resnet.py"), str(tfjs), str(synset), str(out),
                          "--name", "synthetic_resnet", "--check", "2"], capture_output=True, text=True)
    print(run.stdout + run.stderr)
    check(run.returncode == 0, "keras_resnet.py converts the synthetic model from the command line")
    check("6 strided 1x1 convolutions written as subsampling" in run.stdout, "the command reports the rewrite")
    with torch.no_grad():
        exported = torch.jit.load(str(out / "synthetic_resnet.pt"))
        difference = (exported(images) - expected).abs().max().item()
    check(difference < 1e-4 * max(1.0, scale), f"the exported file computes the Keras graph ({difference:.2e})")
    print(f"expected logits of image 0: {' '.join(f'{v:.6f}' for v in expected[0].tolist())}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
