"""Runs netshape's PyTorch export of a design in real PyTorch and compares it with netshape's summary.

    /usr/bin/python3 check_pytorch_export.py MODEL.py SUMMARY.json [MODEL.py SUMMARY.json ...]

Each MODEL.py is `netshape export --to pytorch DESIGN`, SUMMARY.json `netshape summary --format json DESIGN`.
Every expected value comes from PyTorch: each layer's output shape (forward() keeps one local
variable per layer, in the design's order, and a recurrent module's returned tuple where its states
are read; they are read when forward() returns), each layer's
parameters and buffers (from its module: PyTorch's own count), and the model's total. Exit status 1
on a difference, with every difference listed.
"""
import importlib.util
import json
import sys

import torch


def check(model_path, summary_path):
    spec = importlib.util.spec_from_file_location("exported", model_path)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    summary = json.load(open(summary_path, encoding="utf-8"))
    classes = [c for c in vars(exported).values()
               if isinstance(c, type) and issubclass(c, torch.nn.Module) and c.__module__ == "exported"]
    assert len(classes) == 1, f"one nn.Module class expected, found {classes}"
    model = classes[0]().eval()
    forward = classes[0].forward.__code__
    captured = {}

    def watch(frame, event, arg):
        if event == "return" and frame.f_code is forward:
            captured.update(frame.f_locals)

    batch = 2  # a batch of two: a layer that mixed samples up would show it in the shapes

    def run(device):
        captured.clear()
        sys.setprofile(watch)
        try:
            with torch.no_grad():
                model.to(device)(*[x.to(device) for x in exported.example_inputs(batch)])
        finally:
            sys.setprofile(None)

    # Shapes are all this compares: PyTorch's meta device works them out without the arithmetic
    # (GPT-2's forward takes minutes on a CPU, its shapes a second). An operation with no meta
    # version in PyTorch 1.13 runs on the CPU instead.
    counts = {name: (sum(p.numel() for p in m.parameters()), sum(b.numel() for b in m.buffers()))
              for name, m in model.named_children()}
    total = sum(p.numel() for p in model.parameters())
    try:
        run("meta")
    except (NotImplementedError, RuntimeError):
        model = classes[0]().eval()
        run("cpu")
    # A recurrent module's returned tuple, kept where a layer reads its final states, is no layer's.
    variables = [name for name in forward.co_varnames[forward.co_argcount:forward.co_nlocals]
                 if not isinstance(captured.get(name), tuple)]
    layers = summary["layers"]
    problems = []
    if len(variables) < len(layers):
        problems.append(f"forward() has {len(variables)} variables for {len(layers)} layers")
    for layer, variable in zip(layers, variables):
        where = f"{summary['name'] or 'design'}: layer {layer['name']} ({layer['type']}) as `{variable}`"
        shape = list(captured[variable].shape)
        if shape[0] != batch or shape[1:] != layer["output_shape"]:
            problems.append(f"{where}: PyTorch gives {shape[1:]} (batch {shape[0]}), netshape {layer['output_shape']}")
        module = getattr(model, variable, None)
        if isinstance(module, torch.nn.Module) and not layer["shares"]:
            params, buffers = counts[variable]
        else:
            params = buffers = 0
        if params != layer["params"]:
            problems.append(f"{where}: PyTorch counts {params} parameters, netshape {layer['params']}")
        if buffers != layer["buffer_elements"]:
            problems.append(f"{where}: PyTorch has {buffers} buffer elements, netshape {layer['buffer_elements']}")
    if total != summary["total_params"]:
        problems.append(f"total: PyTorch counts {total} parameters, netshape {summary['total_params']}")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{summary['name'] or 'design'}: {len(layers)} layers and {total} parameters agree with PyTorch")
    return 1 if problems else 0


if __name__ == "__main__":
    paths = sys.argv[1:]
    if not paths or len(paths) % 2:
        sys.exit(__doc__)
    failed = [check(paths[i], paths[i + 1]) for i in range(0, len(paths), 2)]
    sys.exit(1 if any(failed) else 0)
