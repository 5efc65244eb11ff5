"""Imports print(model) of torchvision models with netshape and compares the design with PyTorch.

    /usr/bin/python3 check_pytorch_import.py NETSHAPE WORK_DIR MODEL [MODEL ...]

For each torchvision model (built with random weights, no download): print(model) is written to a
file and read by `netshape import --from pytorch-print --input 3x224x224`; the design's summary
(`netshape summary --format json`) must have no error, PyTorch's total parameter count, and, for
every layer named after a module that holds no other module, that module's parameters and the
shape it gives on a 224×224 image (modules PyTorch calls more than once are compared on their
first call). Every expected value comes from PyTorch. Exit status 1 on a difference.
"""
import json
import os
import subprocess
import sys

import torch
import torchvision


def check(netshape, work, model_name):
    model = getattr(torchvision.models, model_name)().eval()
    repr_path = os.path.join(work, model_name + ".txt")
    with open(repr_path, "w", encoding="utf-8") as file:
        print(model, file=file)
    imported = subprocess.run([netshape, "import", "--from", "pytorch-print", "--input", "3x224x224", repr_path],
                              capture_output=True, text=True)
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
            if name not in first_shapes and isinstance(output, torch.Tensor):
                first_shapes[name] = list(output.shape[1:])
        return hook

    for name, module in modules.items():
        if name and not list(module.children()):
            module.register_forward_hook(record(name))
    with torch.no_grad():
        output = model(torch.zeros(1, 3, 224, 224))

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
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
