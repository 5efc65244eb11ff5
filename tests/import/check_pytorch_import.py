"""Imports PyTorch models with netshape and compares the designs with PyTorch.

    /usr/bin/python3 check_pytorch_import.py NETSHAPE WORK_DIR MODEL [MODEL ...]

For each torchvision model (built with random weights, no download): print(model) is written to a
file and read by `netshape import --from pytorch-print --input 3x224x224`. Then each nn.Sequential
written as code below is run by PyTorch and read by `netshape import --from pytorch-code`. The
design's summary
(`netshape summary --format json`) must have no error, PyTorch's total parameter count, and, for
every layer named after a module that holds no other module, that module's parameters and the
shape it gives on a 224×224 image (299×299 for inception_v3) (modules PyTorch calls more than once are compared on their
first call). Every expected value comes from PyTorch. Exit status 1 on a difference.
"""
import json
import os
import subprocess
import sys

import torch
import torchvision


# Models torchvision documents for another image size than 224×224: Inception v3 takes 299×299
# (its auxiliary classifier's 5×5 convolution needs at least that).
INPUTS = {"inception_v3": [3, 299, 299]}

# What print(model) does not show and the import is told: the heads of ViT-B/16's attention (12, as
# torchvision's vit_b_16 builds it: num_heads=12 in its source and documentation).
OPTIONS = {"vit_b_16": ["--heads", "12"]}


# nn.Sequential code as notebooks write it: prefixes, positional and keyword arguments, sizes as
# arithmetic, comments, trailing commas, nested Sequentials and OrderedDict children.
CODE = {
    "mnist_cnn": ([1, 28, 28], """
import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1),  # 28 -> 28
    nn.BatchNorm2d(32),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2),                 # -> 14
    torch.nn.Sequential(nn.Conv2d(32, 64, kernel_size=3, stride=2), nn.ReLU(),),  # -> 6
    nn.Flatten(),
    nn.Dropout(0.5),
    nn.Linear(64 * 6 * 6, 10),
)
"""),
    "named_blocks": ([3, 32, 32], """
model = nn.Sequential(OrderedDict([
    ('stem', nn.Conv2d(3, 16, 5, 1, 2, bias=False)),
    ('norm', nn.GroupNorm(4, 16)),
    ('act', nn.GELU()),
    ('pool', nn.AvgPool2d(2, 2)),
    ('up', nn.ConvTranspose2d(16, 8, 4, 2, 1)),
    ('head', nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(8, 2 * (3 + 1)))),
]))
"""),
    "sequence": ([12], """
model = nn.Sequential(
    nn.Embedding(1000, 64, padding_idx=0),
    nn.LSTM(64, 32, 2, batch_first=True, bidirectional=True),
)
"""),
    "dense": ([10], """
model = torch.nn.Sequential(
    nn.Linear(10, 20), nn.LeakyReLU(0.1),
    nn.Sequential(nn.Linear(20, 20), nn.Tanh()),  # a block
    nn.LayerNorm(20), nn.Linear(20, 5, bias=False), nn.Softmax(dim=-1),
)
"""),
}


def run_code(source):
    namespace = {"torch": torch, "nn": torch.nn, "OrderedDict": __import__("collections").OrderedDict}
    exec(source, namespace)
    return namespace["model"]


def check(netshape, work, model_name, code=None):
    if code:
        input_shape, source = code
        model = run_code(source).eval()
        path = os.path.join(work, model_name + ".py")
        with open(path, "w", encoding="utf-8") as file:
            file.write(source)
        command = ["--from", "pytorch-code", "--input", "x".join(map(str, input_shape)), path]
    else:
        input_shape = INPUTS.get(model_name, [3, 224, 224])
        model = getattr(torchvision.models, model_name)().eval()
        path = os.path.join(work, model_name + ".txt")
        with open(path, "w", encoding="utf-8") as file:
            print(model, file=file)
        command = ["--from", "pytorch-print", "--input", "x".join(map(str, input_shape)), *OPTIONS.get(model_name, []), path]
    imported = subprocess.run([netshape, "import", *command], capture_output=True, text=True)
    if imported.returncode != 0:
        return [f"{model_name}: import failed: {imported.stderr.strip()}"]
    design_path = os.path.join(work, model_name + ".ns")
    with open(design_path, "w", encoding="utf-8") as file:
        file.write(imported.stdout)
    summary = json.loads(subprocess.run([netshape, "summary", "--format", "json", design_path],
                                        capture_output=True, text=True).stdout)
    if summary.get("error"):
        return [f"{model_name}: the imported design has an error: {summary['error']['message']}"]

    modules = dict(model.named_modules())
    first_shapes = {}

    def record(name):
        def hook(module, inputs, output):
            if isinstance(output, tuple):  # a recurrent layer: (output, state)
                output = output[0]
            if name not in first_shapes and isinstance(output, torch.Tensor):
                first_shapes[name] = list(output.shape[1:])
        return hook

    for name, module in modules.items():
        if name and not list(module.children()):
            module.register_forward_hook(record(name))
    tokens = isinstance(next(iter(model.children()), None), torch.nn.Embedding)
    sample = torch.zeros(1, *input_shape, dtype=torch.long if tokens else torch.float32)
    with torch.no_grad():
        output = model(sample)
    if isinstance(output, tuple):  # an LSTM last: its output, as netshape takes it
        output = output[0]

    problems = []
    total = sum(p.numel() for p in model.parameters())
    if summary["total_params"] != total:
        problems.append(f"{model_name}: PyTorch counts {total} parameters, netshape {summary['total_params']}")
    if summary["output_shape"] != list(output.shape[1:]):
        problems.append(f"{model_name}: PyTorch's output is {list(output.shape[1:])}, netshape's {summary['output_shape']}")
    compared = 0
    for layer in summary["layers"]:
        module = modules.get(layer["name"])
        if module is None or list(module.children()):
            continue
        compared += 1
        params = sum(p.numel() for p in module.parameters())
        if params != layer["params"]:
            problems.append(f"{model_name}: {layer['name']}: PyTorch counts {params} parameters, netshape {layer['params']}")
        if first_shapes.get(layer["name"]) not in (None, layer["output_shape"]):
            problems.append(f"{model_name}: {layer['name']}: PyTorch gives {first_shapes[layer['name']]}, "
                            f"netshape {layer['output_shape']}")
    if not problems:
        print(f"{model_name}: {total} parameters and {compared} modules' counts and shapes agree with PyTorch")
    return problems


def main():
    netshape, work, *model_names = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    torch.manual_seed(0)
    problems = [problem for name in model_names for problem in check(netshape, work, name)]
    problems += [problem for name, code in CODE.items() for problem in check(netshape, work, name, code)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
