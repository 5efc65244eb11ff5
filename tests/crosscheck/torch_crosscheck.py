#!/usr/bin/python3
"""netshape's PyTorch convention checked against PyTorch itself, on random architectures.

Every design is grown layer by layer with real torch modules: a layer is proposed (its kind
picked for the current tensor's rank, sometimes for another rank on purpose, its fields drawn
with the edge cases that matter — padding, stride, dilation, groups, ceil_mode, bidirectional,
projections), built and run forward on the tensor it reads. What PyTorch gives — the output
shape, sum(p.numel()) over the module's parameters, sum(b.numel()) over its buffers — is the
expected value; when PyTorch refuses the layer (its constructor or its forward raises, or the
output has an empty dimension), the design may end there and netshape must refuse that layer too.
The design is then written as netshape JSON, `netshape summary --format json` reads it, and
every layer is compared. Graphs: layers read earlier layers (branches, residual adds, concats,
broadcasting merges), several model inputs, and layers called again with `shares`. Recurrent
states: an rnn_state layer takes h_n (or an LSTM's c_n) as the module returned it, and a later
recurrent layer is often started from such states (or from any sample, which PyTorch refuses
unless its shape is h_0's or c_0's).

Expected values come from PyTorch only; nothing here computes a shape or a count.

    /usr/bin/python3 tests/crosscheck/torch_crosscheck.py --netshape build/release/netshape \
        --designs 300 --seed 1 [--presets assets/presets] [--show SEED] [--from SEED]

Needs PyTorch 1.13 and torchvision 0.14 (Debian's python3-torch, python3-torchvision).
"""
import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings

import torch
from torch import nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.set_grad_enabled(False)


class Refused(Exception):
    """PyTorch refused a layer (its constructor or forward raised, or the output is empty)."""


# [SECTION] What PyTorch gives for a module

def param_count(module):
    return sum(p.numel() for p in module.parameters())


def buffer_count(module):
    return sum(b.numel() for b in module.buffers())


# Every tensor is a batch of two samples, run in training mode: batch norm's statistics then
# have at least two values per channel, while instance norm's, which are each sample's own, still
# need two positions (PyTorch refuses one, as netshape does).
BATCH = 2


def sample_shape(tensor):
    """One sample's shape: the batch that every tensor here carries, left out."""
    return list(tensor.shape[1:])


def run(make, *tensors):
    """Builds a module with make() and runs it; any exception or an empty output is a refusal."""
    try:
        module = make()
        out = module(*tensors)
    except Exception as error:  # PyTorch reports bad arguments as several exception types
        raise Refused(f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    if any(size == 0 for size in out.shape):
        raise Refused(f"empty output {list(out.shape)}")
    return module, out


class Lambda(nn.Module):
    """A torch function as a module (merges, reshapes, global pooling): no parameters."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, *tensors):
        return self.function(*tensors)


class Fused(nn.Module):
    """A layer followed by its fused activation."""

    def __init__(self, layer, activation):
        super().__init__()
        self.layer = layer
        self.activation = activation

    def forward(self, *tensors):
        return self.activation(self.layer(*tensors))


class Recurrent(nn.Module):
    """nn.RNN/LSTM/GRU giving the output sequence, or its last step (netshape's return_sequences=false).
    Initial states come batch first, as every tensor here (PyTorch's h_0 and c_0 have the batch
    second); the final states the module returned are kept in `states`, for rnn_state layers."""

    def __init__(self, rnn, last_step):
        super().__init__()
        self.rnn = rnn
        self.last_step = last_step
        self.states = None

    def forward(self, x, *initial):
        hx = [t.transpose(0, 1).contiguous() for t in initial]
        out, self.states = self.rnn(x, (tuple(hx) if len(hx) > 1 else hx[0]) if hx else None)
        return out[:, -1] if self.last_step else out


class Attention(nn.Module):
    def __init__(self, attention):
        super().__init__()
        self.attention = attention

    def forward(self, query, key, value):
        return self.attention(query, key, value, need_weights=False)[0]


# [SECTION] Activations (a layer of their own, or fused after another layer)

def activation_module(name, rng, channels=None):
    """(module, netshape fields) for an activation kind."""
    if name == "leaky_relu":
        slope = rng.choice([0.01, 0.2])
        return nn.LeakyReLU(slope), {"negative_slope": slope}
    if name == "elu":
        return nn.ELU(1.0), {}
    if name == "gelu":
        approximate = rng.choice(["none", "tanh"])
        return nn.GELU(approximate=approximate), {"approximate": approximate}
    if name in ("softmax", "log_softmax"):
        dim = rng.choice([-1, 1, -1])
        module = nn.Softmax(dim) if name == "softmax" else nn.LogSoftmax(dim)
        return module, {"dim": dim}
    if name == "softplus":
        return nn.Softplus(), {}
    if name == "prelu":
        count = rng.choice([1, channels if channels else 1, 3])
        return nn.PReLU(count), {"num_parameters": count}
    modules = {"relu": nn.ReLU, "relu6": nn.ReLU6, "silu": nn.SiLU, "mish": nn.Mish,
               "hardswish": nn.Hardswish, "hardsigmoid": nn.Hardsigmoid, "sigmoid": nn.Sigmoid,
               "tanh": nn.Tanh, "identity": nn.Identity}
    return modules[name](), {}


ACTIVATIONS = ["relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "mish", "hardswish",
               "hardsigmoid", "softplus", "sigmoid", "tanh", "softmax", "log_softmax", "identity", "prelu"]
FUSED = ["relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "mish", "hardswish", "hardsigmoid",
         "softplus", "sigmoid", "tanh", "softmax", "log_softmax", "identity"]


# [SECTION] Field values, edge cases included

def size_or_list(rng, dims, low, high):
    values = [rng.randint(low, high) for _ in range(dims)]
    if dims == 1 or rng.random() < 0.5:
        return values[0], [values[0]] * dims
    return values, values


def window_fields(rng, dims, pooling):
    """kernel/stride/padding/dilation as netshape JSON and as PyTorch arguments."""
    kernel_json, kernel = size_or_list(rng, dims, 1, 5)
    fields, arguments = {"kernel_size": kernel_json}, {"kernel_size": tuple(kernel)}
    if rng.random() < 0.6:
        stride_json, stride = size_or_list(rng, dims, 1, 3)
        fields["stride"], arguments["stride"] = stride_json, tuple(stride)
    roll = rng.random()
    if roll < (0.04 if pooling else 0.15):
        fields["padding"] = arguments["padding"] = rng.choice(["same", "valid"])
    elif roll < 0.6:
        padding_json, padding = size_or_list(rng, dims, 0, 3)
        fields["padding"], arguments["padding"] = padding_json, tuple(padding)
    if rng.random() < 0.3:
        dilation_json, dilation = size_or_list(rng, dims, 1, 3)
        fields["dilation"], arguments["dilation"] = dilation_json, tuple(dilation)
    return fields, arguments


# [SECTION] The layer kinds: each proposes netshape fields and the torch module for them

def batched(x, rank, kind, also=None):
    """Refuses a tensor that is not a batch of samples of this kind's rank. Every tensor here is a
    batch; PyTorch would read a batch of samples one rank short as one unbatched sample (Conv2d
    takes (C, H, W) as well as (N, C, H, W)), which is not the design's meaning. (`also`: a rank
    where that reading is the design's: pooling a batch of channel-less samples pools each.)"""
    if x.dim() != rank and x.dim() != also:
        raise Refused(f"{kind} takes a batch of rank {rank}; the batch here is {list(x.shape)}")


def spatial_dims(shape):
    return len(shape) - 1


def propose_conv(rng, x, kind):
    dims = {"conv1d": 1, "conv2d": 2, "conv3d": 3}.get(kind, spatial_dims(sample_shape(x)))
    if dims < 1:
        raise Refused(f"no convolution over {dims} dimensions")
    channels = x.shape[1] if x.dim() > 1 else 1
    fields, arguments = window_fields(rng, dims, pooling=False)
    groups = 1
    if rng.random() < 0.3:
        groups = rng.choice([g for g in (1, 2, 3, 4, channels) if g >= 1])
        fields["groups"] = groups
    out_channels = rng.choice([1, 2, 3, 4, 6, 8, 12, 16])
    if groups > 1 and rng.random() < 0.8:
        out_channels = groups * rng.randint(1, 3)
    fields["out_channels"] = out_channels
    bias = rng.random() < 0.8
    if not bias:
        fields["bias"] = False
    if rng.random() < 0.1:
        fields["in_channels"] = channels
    module_type = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}.get(dims)
    if module_type is None:
        raise Refused(f"no convolution over {dims} dimensions")
    batched(x, dims + 2, kind)
    return fields, lambda: module_type(channels, out_channels, groups=groups, bias=bias, **arguments)


def propose_conv_transpose(rng, x, kind):
    dims = {"conv_transpose1d": 1, "conv_transpose2d": 2, "conv_transpose3d": 3}[kind]
    channels = x.shape[1] if x.dim() > 1 else 1
    fields, arguments = window_fields(rng, dims, pooling=False)
    if rng.random() < 0.3:
        output_padding_json, output_padding = size_or_list(rng, dims, 0, 2)
        fields["output_padding"], arguments["output_padding"] = output_padding_json, tuple(output_padding)
    groups = rng.choice([1, 1, 1, 2])
    if groups > 1:
        fields["groups"] = groups
    out_channels = rng.choice([1, 2, 4, 6, 8])
    fields["out_channels"] = out_channels
    bias = rng.random() < 0.8
    if not bias:
        fields["bias"] = False
    module_type = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims]
    batched(x, dims + 2, kind)
    return fields, lambda: module_type(channels, out_channels, groups=groups, bias=bias, **arguments)


def propose_depthwise(rng, x, kind):
    channels = x.shape[1] if x.dim() > 1 else 1
    fields, arguments = window_fields(rng, 2, pooling=False)
    batched(x, 4, kind)
    multiplier = rng.choice([1, 1, 2, 3])
    if multiplier > 1:
        fields["depth_multiplier"] = multiplier
    bias = rng.random() < 0.8
    if not bias:
        fields["bias"] = False
    if kind == "depthwise_conv2d":
        return fields, lambda: nn.Conv2d(channels, channels * multiplier, groups=channels, bias=bias, **arguments)
    out_channels = rng.choice([2, 4, 8])
    fields["out_channels"] = out_channels
    # Keras's SeparableConv2D, the layer this kind is: a depthwise step without a bias, then a
    # 1×1 convolution with the layer's one bias.
    return fields, lambda: nn.Sequential(
        nn.Conv2d(channels, channels * multiplier, groups=channels, bias=False, **arguments),
        nn.Conv2d(channels * multiplier, out_channels, 1, bias=bias))


def propose_pool(rng, x, kind):
    generic = kind in ("maxpool", "avgpool")
    dims = spatial_dims(sample_shape(x)) if generic else int(kind[-2])
    if dims < 1:
        raise Refused(f"no pooling over {dims} dimensions")
    fields, arguments = window_fields(rng, dims, pooling=True)
    if rng.random() < 0.35:
        fields["ceil_mode"] = arguments["ceil_mode"] = True
    maximum = kind.startswith("max")
    if not maximum:
        arguments.pop("dilation", None)
        fields.pop("dilation", None)
        if rng.random() < 0.2:
            fields["count_include_pad"] = arguments["count_include_pad"] = False
    types = {1: (nn.MaxPool1d, nn.AvgPool1d), 2: (nn.MaxPool2d, nn.AvgPool2d), 3: (nn.MaxPool3d, nn.AvgPool3d)}
    if dims not in types:
        raise Refused(f"no pooling over {dims} dimensions")
    module_type = types[dims][0 if maximum else 1]
    batched(x, dims + 2, kind, also=dims + 1)
    return fields, lambda: module_type(**arguments)


def propose_global_pool(rng, x, kind):
    dims = int(kind[-2])
    keepdims = rng.random() < 0.3
    fields = {"keepdims": True} if keepdims else {}
    adaptive = {("max", 1): nn.AdaptiveMaxPool1d, ("max", 2): nn.AdaptiveMaxPool2d, ("max", 3): nn.AdaptiveMaxPool3d,
                ("avg", 1): nn.AdaptiveAvgPool1d, ("avg", 2): nn.AdaptiveAvgPool2d, ("avg", 3): nn.AdaptiveAvgPool3d}
    module_type = adaptive[("max" if "max" in kind else "avg", dims)]
    batched(x, dims + 2, kind)
    # PyTorch's way: AdaptiveXPoolNd(1), then flattened from the channel axis unless kept.
    return fields, lambda: nn.Sequential(module_type(1), nn.Identity() if keepdims else nn.Flatten(1))


def propose_adaptive_pool(rng, x, kind):
    dims = int(kind[-2])
    size_json, size = size_or_list(rng, dims, 1, 6)
    types = {"adaptive_maxpool1d": nn.AdaptiveMaxPool1d, "adaptive_maxpool2d": nn.AdaptiveMaxPool2d,
             "adaptive_maxpool3d": nn.AdaptiveMaxPool3d, "adaptive_avgpool1d": nn.AdaptiveAvgPool1d,
             "adaptive_avgpool2d": nn.AdaptiveAvgPool2d, "adaptive_avgpool3d": nn.AdaptiveAvgPool3d}
    batched(x, dims + 2, kind)
    return {"output_size": size_json}, lambda: types[kind](size[0] if dims == 1 else tuple(size))


def propose_linear(rng, x, kind):
    out_features = rng.choice([1, 2, 5, 8, 10, 16, 32])
    bias = rng.random() < 0.85
    fields = {"out_features": out_features}
    if not bias:
        fields["bias"] = False
    if rng.random() < 0.1:
        fields["in_features"] = x.shape[-1]
    return fields, lambda: nn.Linear(x.shape[-1], out_features, bias=bias)


def propose_flatten(rng, x, kind):
    fields, arguments = {}, {}
    if rng.random() < 0.4:
        fields["start_dim"] = arguments["start_dim"] = rng.randint(1, max(1, x.dim() - 1))
    if rng.random() < 0.3:
        fields["end_dim"] = arguments["end_dim"] = rng.choice([-1, x.dim() - 1, -2])
    return fields, lambda: nn.Flatten(**arguments)


def propose_batchnorm(rng, x, kind):
    channels = x.shape[1] if x.dim() > 1 else 1
    fields, arguments = {}, {}
    if rng.random() < 0.2:
        fields["affine"] = arguments["affine"] = False
    if rng.random() < 0.2:
        fields["track_running_stats"] = arguments["track_running_stats"] = False
    rank = x.dim()
    types = {"batchnorm1d": nn.BatchNorm1d, "batchnorm2d": nn.BatchNorm2d, "batchnorm3d": nn.BatchNorm3d,
             "batchnorm": {2: nn.BatchNorm1d, 3: nn.BatchNorm1d, 4: nn.BatchNorm2d, 5: nn.BatchNorm3d}.get(rank)}
    module_type = types[kind]
    if module_type is None:
        raise Refused(f"no batch norm for rank {rank}")
    if kind != "batchnorm":  # BatchNorm1d takes (N, C) and (N, C, L)
        batched(x, int(kind[-2]) + 2, kind, also=2 if kind == "batchnorm1d" else None)
    return fields, lambda: module_type(channels, **arguments)


def propose_instancenorm(rng, x, kind):
    channels = x.shape[1] if x.dim() > 1 else 1
    fields, arguments = {}, {}
    if rng.random() < 0.4:
        fields["affine"] = arguments["affine"] = True
    if rng.random() < 0.2:
        fields["track_running_stats"] = arguments["track_running_stats"] = True
    module_type = {"instancenorm1d": nn.InstanceNorm1d, "instancenorm2d": nn.InstanceNorm2d,
                   "instancenorm3d": nn.InstanceNorm3d}[kind]
    batched(x, int(kind[-2]) + 2, kind)
    return fields, lambda: module_type(channels, **arguments)


def layer_norm_without_bias(shape):
    """PyTorch 2.1's LayerNorm(bias=False) in 1.13: the weight only (the bias parameter removed)."""
    module = nn.LayerNorm(shape)
    module.register_parameter("bias", None)
    return module


def propose_layernorm(rng, x, kind):
    shape = sample_shape(x)
    fields = {}
    trailing = rng.randint(1, len(shape)) if rng.random() < 0.4 else 1
    normalized = shape[-trailing:]
    if rng.random() < 0.1:  # a shape that does not end the input's: refused by PyTorch
        normalized = [size + 1 for size in normalized]
    if trailing > 1 or normalized != shape[-1:] or rng.random() < 0.5:
        fields["normalized_shape"] = normalized
    choice = rng.random()
    if choice < 0.15:
        fields["elementwise_affine"] = False
        return fields, lambda: nn.LayerNorm(normalized, elementwise_affine=False)
    if choice < 0.3:
        fields["bias"] = False
        return fields, lambda: layer_norm_without_bias(normalized)
    return fields, lambda: nn.LayerNorm(normalized)


def propose_groupnorm(rng, x, kind):
    channels = x.shape[1] if x.dim() > 1 else 1
    groups = rng.choice([1, 2, 3, 4, channels])
    fields = {"num_groups": groups}
    affine = rng.random() < 0.8
    if not affine:
        fields["affine"] = False
    return fields, lambda: nn.GroupNorm(groups, channels, affine=affine)


def propose_embedding(rng, x, kind):
    count, dim = rng.choice([10, 50, 100]), rng.choice([4, 8, 16])
    return {"num_embeddings": count, "embedding_dim": dim}, lambda: nn.Embedding(count, dim)


def propose_recurrent(rng, x, kind):
    hidden = rng.choice([2, 4, 8, 16])
    fields, arguments = {"hidden_size": hidden}, {}
    if rng.random() < 0.3:
        fields["num_layers"] = arguments["num_layers"] = rng.randint(2, 3)
    if rng.random() < 0.4:
        fields["bidirectional"] = arguments["bidirectional"] = True
    if rng.random() < 0.15:
        fields["bias"] = arguments["bias"] = False
    if kind == "lstm" and rng.random() < 0.25:
        fields["proj_size"] = arguments["proj_size"] = rng.randint(1, hidden + 1)  # hidden + 1: refused
    last_step = rng.random() < 0.3
    if last_step:
        fields["return_sequences"] = False
    module_type = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    batched(x, 3, kind)
    features = x.shape[-1]
    return fields, lambda: Recurrent(module_type(features, hidden, batch_first=True, **arguments), last_step)


def propose_reshape(rng, x, kind):
    shape = sample_shape(x)
    count = 1
    for size in shape:
        count *= size
    divisors = [d for d in range(1, min(count, 64) + 1) if count % d == 0]
    roll = rng.random()
    if roll < 0.4:
        target = [count]
    elif roll < 0.8:
        first = rng.choice(divisors)
        target = [first, count // first]
        if rng.random() < 0.3:
            target[rng.randint(0, 1)] = -1
    elif roll < 0.9:
        target = list(reversed(shape))
    else:
        target = [count + 1]  # refused: the element counts differ
    return {"shape": target}, lambda: Lambda(lambda t: t.reshape([BATCH] + target))


def propose_permute(rng, x, kind):
    dims = list(range(x.dim() - 1))
    rng.shuffle(dims)
    return {"dims": dims}, lambda: Lambda(lambda t: t.permute([0] + [d + 1 for d in dims]))


def propose_upsample(rng, x, kind):
    dims = x.dim() - 2
    if dims < 1:
        raise Refused(f"upsample takes a batch of rank 3 to 5; here {list(x.shape)}")
    mode = rng.choice(["nearest", "nearest", "linear", "bilinear", "bicubic", "trilinear", "nearest-exact"])
    fields, arguments = {}, {}
    if mode != "nearest":
        fields["mode"] = arguments["mode"] = mode
    if rng.random() < 0.5:
        factor = rng.choice([2, 3, 2.0, 1.5])
        fields["scale_factor"] = arguments["scale_factor"] = factor
    else:
        size_json, size = size_or_list(rng, max(dims, 1), 1, 12)
        fields["size"] = size_json
        arguments["size"] = size[0] if dims == 1 else tuple(size)
    if mode in ("linear", "bilinear", "bicubic", "trilinear") and rng.random() < 0.3:
        fields["align_corners"] = arguments["align_corners"] = True
    return fields, lambda: nn.Upsample(**arguments)


def side_pairs(rng, dims, low, high, shape):
    """One value, one per dimension, or before/after per dimension; as PyTorch's F.pad list."""
    roll = rng.random()
    if roll < 0.3:
        value = rng.randint(low, high)
        pairs = [(value, value)] * dims
        written = value
    elif roll < 0.6:
        values = [rng.randint(low, high) for _ in range(dims)]
        pairs = [(v, v) for v in values]
        written = values if dims > 1 else values[0]
    else:
        pairs = [(rng.randint(low, high), rng.randint(low, high)) for _ in range(dims)]
        written = [v for pair in pairs for v in pair]
    torch_pad = []
    for before, after in reversed(pairs):  # F.pad runs from the last dimension
        torch_pad += [before, after]
    return written, pairs, torch_pad


def propose_zero_pad(rng, x, kind):
    dims = int(kind[-2])
    written, _, torch_pad = side_pairs(rng, dims, 0, 3, sample_shape(x))
    # PyTorch's ZeroPad2d is F.pad with zeros; F.pad itself for 1-D and 3-D.
    batched(x, dims + 2, kind)
    return {"padding": written}, lambda: Lambda(lambda t: F.pad(t, torch_pad))


def propose_crop(rng, x, kind):
    dims = int(kind[-2])
    written, pairs, _ = side_pairs(rng, dims, 0, 4, sample_shape(x))

    batched(x, dims + 2, kind)

    def crop(t):
        index = [slice(None)] * (t.dim() - dims)
        for (before, after), size in zip(pairs, t.shape[-dims:]):
            if size - after <= before:  # (a negative end would count from the end in Python)
                raise ValueError(f"cropping {before} + {after} from {size} leaves an empty tensor")
            index.append(slice(before, size - after))
        return t[tuple(index)]
    return {"cropping": written}, lambda: Lambda(crop)


def propose_dropout(rng, x, kind):
    p = rng.choice([0.1, 0.5])
    if kind[-2:] in ("1d", "2d", "3d"):
        batched(x, int(kind[-2]) + 2, kind)
    types = {"dropout": nn.Dropout, "dropout1d": nn.Dropout1d, "dropout2d": nn.Dropout2d,
             "dropout3d": nn.Dropout3d, "alpha_dropout": nn.AlphaDropout}
    return {"p": p}, lambda: types[kind](p)


def propose_activation(rng, x, kind):
    module, fields = activation_module(kind, rng, x.shape[1] if x.dim() > 1 else None)
    return fields, lambda: module


def propose_attention(rng, x, kind):
    heads = rng.choice([1, 2, 4, 3])  # 3 rarely divides embed_dim: PyTorch refuses it
    bias = rng.random() < 0.85
    fields = {"num_heads": heads}
    if not bias:
        fields["bias"] = False
    return fields, heads, bias


def propose_encoder(rng, x, kind):
    heads = rng.choice([1, 2, 4, 3])
    feedforward = rng.choice([8, 16, 32, 2048])
    fields = {"nhead": heads, "dim_feedforward": feedforward}
    norm_first = rng.random() < 0.3
    if norm_first:
        fields["norm_first"] = True
    batched(x, 3, kind)
    module_type = nn.TransformerEncoderLayer if kind == "transformer_encoder_layer" else nn.TransformerDecoderLayer
    return fields, lambda: module_type(x.shape[-1], heads, feedforward, dropout=0.1, batch_first=True,
                                       norm_first=norm_first)


def torch_dim(axis):
    """A sample axis (netshape's, no batch) as torch counts it, the batch being 0."""
    return axis + 1 if axis >= 0 else axis


def propose_select(rng, x, kind):
    rank = x.dim() - 1
    axis = rng.randint(-rank, rank - 1)
    size = x.shape[torch_dim(axis)]
    index = rng.randint(-size - 1, size)  # one past either end: refused
    return {"axis": axis, "index": index}, lambda: Lambda(lambda t: t.select(torch_dim(axis), index))


def propose_scale(rng, x, kind):
    factor, offset = rng.choice([0.5, -2.0, 0.125]), rng.choice([0.0, 1.0])
    fields = {"factor": factor}
    if offset:
        fields["offset"] = offset
    return fields, lambda: Lambda(lambda t: t * factor + offset)


def propose_drop_path(rng, x, kind):
    import torchvision
    p, mode = rng.choice([0.0, 0.1, 0.5]), rng.choice(["row", "batch"])
    return {"p": p, "mode": mode}, lambda: torchvision.ops.StochasticDepth(p, mode)


def propose_chunk(rng, x, kind):
    rank = x.dim() - 1
    chunks = rng.randint(1, 5)
    index = rng.randint(0, chunks)  # past the last piece now and then: refused
    fields = {"chunks": chunks, "index": index}
    axis = 0  # the channel axis under pytorch
    if rng.random() < 0.5:
        axis = rng.randint(-rank, rank - 1)
        fields["axis"] = axis
    return fields, lambda: Lambda(lambda t: torch.chunk(t, chunks, dim=torch_dim(axis))[index])


def propose_channel_shuffle(rng, x, kind):
    groups = rng.choice([1, 2, 3, 4])
    return {"groups": groups}, lambda: nn.ChannelShuffle(groups)


def propose_window_attention(rng, x, kind):
    from torchvision.models.swin_transformer import ShiftedWindowAttention
    batched(x, 4, kind)  # [H, W, C] samples
    heads = rng.choice([1, 2, 3, 4])
    window = [rng.randint(1, 8)] * 2 if rng.random() < 0.6 else [rng.randint(1, 8), rng.randint(1, 8)]
    shift = [0, 0] if rng.random() < 0.4 else [rng.randint(0, window[0]), rng.randint(0, window[1])]
    qkv_bias, proj_bias = rng.random() < 0.8, rng.random() < 0.8
    fields = {"num_heads": heads, "window_size": window, "shift_size": shift}
    if not qkv_bias:
        fields["qkv_bias"] = False
    if not proj_bias:
        fields["proj_bias"] = False
    return fields, lambda: ShiftedWindowAttention(x.shape[-1], window, shift, heads, qkv_bias=qkv_bias,
                                                  proj_bias=proj_bias)


PROPOSERS = {
    "linear": propose_linear, "flatten": propose_flatten,
    "conv": propose_conv, "conv1d": propose_conv, "conv2d": propose_conv, "conv3d": propose_conv,
    "conv_transpose1d": propose_conv_transpose, "conv_transpose2d": propose_conv_transpose,
    "conv_transpose3d": propose_conv_transpose,
    "depthwise_conv2d": propose_depthwise, "separable_conv2d": propose_depthwise,
    "maxpool": propose_pool, "avgpool": propose_pool,
    **{f"{op}pool{d}d": propose_pool for op in ("max", "avg") for d in (1, 2, 3)},
    **{f"global_{op}pool{d}d": propose_global_pool for op in ("max", "avg") for d in (1, 2, 3)},
    **{f"adaptive_{op}pool{d}d": propose_adaptive_pool for op in ("max", "avg") for d in (1, 2, 3)},
    "batchnorm": propose_batchnorm, "batchnorm1d": propose_batchnorm, "batchnorm2d": propose_batchnorm,
    "batchnorm3d": propose_batchnorm,
    "instancenorm1d": propose_instancenorm, "instancenorm2d": propose_instancenorm,
    "instancenorm3d": propose_instancenorm,
    "layernorm": propose_layernorm, "groupnorm": propose_groupnorm,
    "rnn": propose_recurrent, "lstm": propose_recurrent, "gru": propose_recurrent,
    "reshape": propose_reshape, "permute": propose_permute, "upsample": propose_upsample,
    "zero_pad1d": propose_zero_pad, "zero_pad2d": propose_zero_pad, "zero_pad3d": propose_zero_pad,
    "crop1d": propose_crop, "crop2d": propose_crop, "crop3d": propose_crop,
    "dropout": propose_dropout, "dropout1d": propose_dropout, "dropout2d": propose_dropout,
    "dropout3d": propose_dropout, "alpha_dropout": propose_dropout,
    "transformer_encoder_layer": propose_encoder, "embedding": propose_embedding,
    **{name: propose_activation for name in ACTIVATIONS},
    "select": propose_select, "scale": propose_scale, "drop_path": propose_drop_path, "chunk": propose_chunk,
    "channel_shuffle": propose_channel_shuffle, "window_attention": propose_window_attention,
}

# Kinds that fit a sample of each rank (the rest are tried now and then, to be refused).
BY_RANK = {
    1: ["linear", "batchnorm1d", "batchnorm", "dropout", "alpha_dropout", "reshape", "layernorm", "scale",
        "drop_path", "chunk"],
    2: ["conv1d", "conv", "conv_transpose1d", "maxpool1d", "avgpool1d", "maxpool", "avgpool",
        "global_maxpool1d", "global_avgpool1d", "adaptive_maxpool1d", "adaptive_avgpool1d", "batchnorm1d",
        "batchnorm", "instancenorm1d", "groupnorm", "zero_pad1d", "crop1d", "upsample", "dropout1d",
        "rnn", "lstm", "gru", "multihead_attention", "transformer_encoder_layer",
        "transformer_decoder_layer", "linear", "flatten", "permute", "layernorm", "reshape", "select", "scale",
        "drop_path", "chunk", "channel_shuffle"],
    3: ["conv2d", "conv", "conv_transpose2d", "depthwise_conv2d", "separable_conv2d", "maxpool2d",
        "avgpool2d", "maxpool", "avgpool", "global_maxpool2d", "global_avgpool2d", "adaptive_maxpool2d",
        "adaptive_avgpool2d", "batchnorm2d", "batchnorm", "instancenorm2d", "groupnorm", "zero_pad2d",
        "crop2d", "upsample", "dropout2d", "flatten", "permute", "layernorm", "reshape", "linear", "select",
        "chunk", "channel_shuffle", "window_attention"],
    4: ["conv3d", "conv", "conv_transpose3d", "maxpool3d", "avgpool3d", "maxpool", "avgpool",
        "global_maxpool3d", "global_avgpool3d", "adaptive_maxpool3d", "adaptive_avgpool3d", "batchnorm3d",
        "batchnorm", "instancenorm3d", "groupnorm", "zero_pad3d", "crop3d", "upsample", "dropout3d",
        "flatten", "permute", "reshape", "select", "chunk", "channel_shuffle"],
}
ALL_KINDS = sorted(set(PROPOSERS) | {"multihead_attention", "transformer_decoder_layer", "embedding"})
ANY_RANK = {"linear", "prelu", "layernorm"}  # their weights fit a sample of any rank (the last axis, the channels)
MERGES = ["add", "subtract", "multiply", "maximum", "average", "concat", "matmul"]


# [SECTION] Growing one design

class Design:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.inputs = {}        # model input name -> sample shape
        self.layers = []        # netshape JSON layers
        self.expected = {}      # layer name -> (output shape, params, buffers) or None for a refusal
        self.tensors = {}       # node name -> batched tensor
        self.modules = {}       # layer name -> (kind, module) for layers with weights, to share
        self.counted = {}       # id(parameter) -> numel: the model's parameters, each once
        self.buffers = {}
        self.last = None
        self.refused = None     # (layer name, PyTorch's message) when the design ends on a refusal
        self.kept = []          # every module, alive until the end (ids of parameters stay unique)
        self.final_states = {}  # recurrent layer name -> (kind, the states its module returned)
        self.state_layers = set()  # rnn_state layers: what a recurrent layer may take as initial states

    def add_input(self, name, tensor):
        self.inputs[name] = sample_shape(tensor)
        self.tensors[name] = tensor
        self.last = name

    def record(self, fields, module, out, shares=None):
        name = fields["name"]
        self.layers.append(fields)
        self.kept.append(module)
        own = 0 if shares else param_count(module)
        self.expected[name] = (sample_shape(out), own, 0 if shares else buffer_count(module))
        for p in module.parameters():
            self.counted[id(p)] = p.numel()
        for b in module.buffers():
            self.buffers[id(b)] = b.numel()
        self.tensors[name] = out
        self.last = name

    def refuse(self, fields, message):
        self.layers.append(fields)
        self.expected[fields["name"]] = None
        self.refused = (fields["name"], message)

    def to_json(self):
        design = {"netshape": 1, "convention": "pytorch", "name": f"crosscheck seed {self.seed}",
                  "layers": self.layers}
        if list(self.inputs) == ["input"]:
            design["input"] = self.inputs["input"]
        else:
            design["inputs"] = self.inputs
            if self.layers and "inputs" not in self.layers[0]:  # which input the first layer reads
                self.layers[0]["inputs"] = ["input"]
        return design


def first_input(rng):
    roll = rng.random()
    if roll < 0.35:
        return [rng.choice([1, 3, 4, 8]), rng.randint(1, 20), rng.randint(1, 20)]  # image
    if roll < 0.5:
        return [rng.choice([1, 2, 4, 6]), rng.randint(1, 40)]  # signal [C, L]
    if roll < 0.6:
        return [rng.choice([1, 2, 3]), rng.randint(1, 8), rng.randint(1, 8), rng.randint(1, 8)]  # volume
    if roll < 0.72:
        return [rng.choice([1, 8, 16, 64])]  # features
    if roll < 0.9:
        return [rng.randint(1, 12), rng.choice([4, 6, 8, 12, 16])]  # sequence [seq_len, features]
    return None  # token indices, read by an embedding


def try_layer(design, kind, source, allow_refusal):
    """Proposes one layer of `kind` reading `source`; records it, or its refusal (or neither)."""
    rng = design.rng
    x = design.tensors[source]
    name = f"l{len(design.layers)}"
    fields = {"type": kind, "name": name}
    if source != design.last or len(design.inputs) > 1 or rng.random() < 0.3:
        fields["inputs"] = [source]
    extra = []
    try:
        if kind == "multihead_attention":
            more, heads, bias = propose_attention(rng, x, kind)
            batched(x, 3, kind)
            fields.update(more)
            others = [n for n, t in design.tensors.items() if t.dim() == 3 and n != source]
            key = value = x
            if others and rng.random() < 0.4:
                key_name = rng.choice(others)
                key = value = design.tensors[key_name]
                fields["inputs"] = [source, key_name]
                if rng.random() < 0.5:
                    value_name = rng.choice(others)
                    value = design.tensors[value_name]
                    fields["inputs"].append(value_name)
            extra = [key, value]
            make = lambda: Attention(nn.MultiheadAttention(x.shape[-1], heads, bias=bias, batch_first=True,
                                                           kdim=key.shape[-1], vdim=value.shape[-1]))
        elif kind == "transformer_decoder_layer":
            others = [n for n, t in design.tensors.items() if t.dim() == 3]
            batched(x, 3, kind)
            memory_name = rng.choice(others) if others else source
            more, make = propose_encoder(rng, x, kind)
            fields.update(more)
            fields["inputs"] = [source, memory_name]
            extra = [design.tensors[memory_name]]
        else:
            more, make = PROPOSERS[kind](rng, x, kind)
            fields.update(more)
        pool = sorted(n for n in design.tensors if n in design.state_layers)
        if kind in ("rnn", "lstm", "gru") and rng.random() < (0.7 if pool else 0.1):
            # Initial states: mostly states read from another recurrent layer, the layer sized to
            # take them (num_layers and hidden_size from h_n's [num_layers, H]); now and then any
            # sample of rank 2, which PyTorch refuses unless its shape is h_0's or c_0's.
            if pool and rng.random() < 0.8:
                h = rng.choice(pool)
                stacked, hidden = design.tensors[h].shape[1:]
                names = [h] + ([rng.choice([n for n in pool if design.tensors[n].shape == design.tensors[h].shape])]
                               if kind == "lstm" else [])
                last_step = rng.random() < 0.3
                for key in ("hidden_size", "num_layers", "bidirectional", "bias", "proj_size", "return_sequences"):
                    fields.pop(key, None)
                fields.update({"hidden_size": hidden, "num_layers": stacked})
                if last_step:
                    fields["return_sequences"] = False
                module_type = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
                make = lambda: Recurrent(module_type(x.shape[-1], hidden, num_layers=stacked, batch_first=True),
                                         last_step)
            else:
                pool = sorted(n for n, t in design.tensors.items() if t.dim() == 3 and n != source)
                names = [rng.choice(pool) for _ in range(2 if kind == "lstm" else 1)] if pool else []
            if names:
                fields["inputs"] = [source] + names
                extra = [design.tensors[n] for n in names]
        fused = None
        if kind not in ACTIVATIONS and rng.random() < 0.15:
            fused = rng.choice(FUSED)
            fields["activation"] = fused
            inner = make
            if fused in ("softmax", "log_softmax"):  # a fused softmax takes its default dim, -1
                make = lambda: Fused(inner(), nn.Softmax(-1) if fused == "softmax" else nn.LogSoftmax(-1))
            else:
                make = lambda: Fused(inner(), activation_module(fused, random.Random(0))[0])
        module, out = run(make, x, *extra)
    except Refused as refusal:
        if allow_refusal:
            design.refuse(fields, str(refusal))
        return False
    design.record(fields, module, out)
    recurrent = module.layer if isinstance(module, Fused) else module
    if isinstance(recurrent, Recurrent):
        design.final_states[name] = (kind, recurrent.states)
    if param_count(module) > 0 and not extra and fields.get("activation") is None and kind != "embedding":
        ranks = None if kind in ANY_RANK else {x.dim()}
        if isinstance(module, nn.BatchNorm1d):
            ranks = {2, 3}  # (N, C) and (N, C, L)
        design.modules[name] = (module, ranks)
    return True


def try_merge(design, allow_refusal):
    rng = design.rng
    kind = rng.choice(MERGES)
    a = design.last
    x = design.tensors[a]
    candidates = [n for n in design.tensors if n != a]
    if not candidates:
        return False
    fitting = []
    for n in candidates:
        t = design.tensors[n]
        if kind == "concat":
            if t.dim() == x.dim():
                fitting.append(n)
        elif kind == "matmul":
            if t.dim() == x.dim() and t.dim() >= 3 and t.shape[-2] == x.shape[-1]:
                fitting.append(n)
        else:
            try:
                torch.broadcast_shapes(x.shape[1:], t.shape[1:])
                fitting.append(n)
            except RuntimeError:
                pass
    pool = fitting if fitting and rng.random() < 0.85 else candidates
    if kind == "matmul":
        # Samples of one rank only: with the batch in front, torch.matmul would align the batch
        # axis of one with a sample axis of the other (netshape refuses such a pair by design).
        pool = [n for n in pool if design.tensors[n].dim() == x.dim() and x.dim() >= 3]
        if not pool:
            return False
    names = [a, rng.choice(pool)]
    if kind not in ("subtract", "matmul") and rng.random() < 0.2:
        names.append(rng.choice(pool))
    # Samples broadcast as NumPy does, the batch axis aside: a sample of lower rank gets its
    # size-1 axes after the batch axis, not before it.
    rank = max(design.tensors[n].dim() for n in names)
    tensors = [design.tensors[n] for n in names]
    if kind not in ("concat", "matmul"):
        tensors = [t.reshape([BATCH] + [1] * (rank - t.dim()) + list(t.shape[1:])) for t in tensors]
    fields = {"type": kind, "name": f"l{len(design.layers)}", "inputs": names}
    if kind == "concat":
        if rng.random() < 0.5:
            axis = rng.randint(-(x.dim() - 1), x.dim() - 2)
            fields["axis"] = axis
        else:
            axis = 0  # the channel axis under pytorch
        dim = axis + 1 if axis >= 0 else axis
        function = lambda *ts: torch.cat(ts, dim=dim)
    elif kind == "matmul":
        transpose_a, transpose_b = rng.random() < 0.2, rng.random() < 0.3
        if transpose_a:
            fields["transpose_a"] = True
        if transpose_b:
            fields["transpose_b"] = True
        function = lambda a_, b_: torch.matmul(a_.transpose(-2, -1) if transpose_a else a_,
                                               b_.transpose(-2, -1) if transpose_b else b_)
    elif kind == "add":
        function = lambda *ts: sum(ts[1:], ts[0])
    elif kind == "subtract":
        function = lambda a_, b_: torch.sub(a_, b_)
    elif kind == "multiply":
        def function(*ts):
            out = ts[0]
            for t in ts[1:]:
                out = torch.mul(out, t)
            return out
    elif kind == "maximum":
        def function(*ts):
            out = ts[0]
            for t in ts[1:]:
                out = torch.maximum(out, t)
            return out
    else:
        function = lambda *ts: sum(ts[1:], ts[0]) / len(ts)
    try:
        module, out = run(lambda: Lambda(function), *tensors)
    except Refused as refusal:
        if allow_refusal:
            design.refuse(fields, str(refusal))
        return False
    design.record(fields, module, out)
    return True


def try_state(design, source):
    """An rnn_state layer reading a recurrent layer: h_n, or an LSTM's c_n, as the module returned
    it, with the batch moved first."""
    kind, states = design.final_states[source]
    which = "c" if kind == "lstm" and design.rng.random() < 0.5 else "h"
    state = (states[0] if which == "h" else states[1]) if kind == "lstm" else states
    fields = {"type": "rnn_state", "name": f"l{len(design.layers)}", "inputs": [source], "which": which}
    module, out = run(lambda: Lambda(lambda t: t.transpose(0, 1)), state)
    design.record(fields, module, out)
    design.state_layers.add(fields["name"])


def try_share(design, allow_refusal):
    rng = design.rng
    if not design.modules:
        return False
    shared = rng.choice(sorted(design.modules))
    module, rank = design.modules[shared]
    source = rng.choice(sorted(design.tensors))
    fields = {"name": f"l{len(design.layers)}", "shares": shared, "inputs": [source]}
    try:
        if rank is not None and design.tensors[source].dim() not in rank:
            raise Refused(f"the shared layer takes a batch of rank {sorted(rank)}")
        out = module(design.tensors[source])
        if any(size == 0 for size in out.shape):
            raise Refused("empty output")
    except Exception as error:
        if allow_refusal:
            design.refuse(fields, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        return False
    design.record(fields, module, out, shares=shared)
    if isinstance(module, Recurrent):
        design.final_states[fields["name"]] = (design.layers[[l["name"] for l in design.layers].index(shared)]["type"],
                                               module.states)
    return True


def grow(seed):
    design = Design(seed)
    rng = design.rng
    shape = first_input(rng)
    if shape is None:
        # Token indices: read by an embedding only (netshape has no element types; PyTorch's
        # other layers refuse integer tensors).
        length = rng.randint(1, 12)
        design.add_input("input", torch.zeros([BATCH, length], dtype=torch.long))
        try_layer(design, "embedding", "input", allow_refusal=False)
        del design.tensors["input"]
    else:
        design.add_input("input", torch.zeros([BATCH] + shape))
    if rng.random() < 0.15:  # a second model input, for merges and attention to read
        last = design.last
        design.add_input("side", torch.zeros([BATCH] + sample_shape(design.tensors[last])))
        design.last = last
    steps = rng.randint(1, 10)
    tries = 0
    while len(design.layers) < steps and design.refused is None and tries < 60:
        tries += 1
        allow_refusal = rng.random() < 0.25
        roll = rng.random()
        if roll < 0.1:
            try_merge(design, allow_refusal)
            continue
        if roll < 0.14:
            try_share(design, allow_refusal)
            continue
        source = design.last
        if rng.random() < 0.12:
            source = rng.choice(sorted(design.tensors))
        rank = design.tensors[source].dim() - 1
        if rng.random() < 0.08:
            kind = rng.choice(ALL_KINDS)
        elif rng.random() < 0.2:
            kind = rng.choice(ACTIVATIONS)
        else:
            kind = rng.choice(BY_RANK.get(rank, ["flatten"]))
        if kind == "embedding":
            continue
        if kind == "select" and rank < 2:
            continue  # PyTorch would leave a number per sample ([N, n] → [N]); netshape refuses it by design
        if design.tensors[source].numel() > 60000 and kind not in ("maxpool2d", "global_avgpool2d", "flatten"):
            continue  # keep the forward passes small
        try_layer(design, kind, source, allow_refusal)
        if design.refused is None and design.last in design.final_states and rng.random() < 0.5:
            try_state(design, design.last)
            # A decoder: a recurrent layer over a sequence, often started from those states.
            sequences = sorted(n for n, t in design.tensors.items() if t.dim() == 3 and n not in design.state_layers)
            if sequences and rng.random() < 0.5:
                try_layer(design, rng.choice(["rnn", "lstm", "gru"]), rng.choice(sequences), rng.random() < 0.25)
    return design


# [SECTION] Comparing with netshape

def netshape_summary(netshape, design_json):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(design_json, file)
        path = file.name
    try:
        result = subprocess.run([netshape, "summary", "--format", "json", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"netshape exited {result.returncode}: {result.stderr}")
    return json.loads(result.stdout)


def compare(design, summary):
    """The disagreements between PyTorch (design.expected) and netshape's summary, as text."""
    problems = []
    layers = {layer["name"]: layer for layer in summary.get("layers", [])}
    if "error" in summary and not layers:
        return [f"netshape refused the design: {summary['error']['message']}"]
    for name, expected in design.expected.items():
        layer = layers.get(name)
        if layer is None:
            problems.append(f"{name}: missing from netshape's summary")
            continue
        if expected is None:
            if layer["status"] == "ok":
                problems.append(f"{name}: PyTorch refuses it ({design.refused[1]}), netshape accepts it "
                                f"with output {layer['output_shape']}, {layer['params']} params")
            continue
        shape, params, buffers = expected
        if layer["status"] != "ok":
            problems.append(f"{name}: PyTorch accepts it (output {shape}, {params} params), "
                            f"netshape refuses it: {layer['error']}")
            continue
        got = (layer["output_shape"], layer["params"], layer["trainable_params"], layer["non_trainable_params"],
               layer["buffer_elements"])
        want = (shape, params, params, 0, buffers)
        if got != want:
            problems.append(f"{name}: (output shape, params, trainable, non-trainable, buffers) PyTorch {want}, "
                            f"netshape {got}")
    if design.refused is None:
        total = sum(design.counted.values())
        if summary.get("total_params") != total:
            problems.append(f"total params: PyTorch {total}, netshape {summary.get('total_params')}")
        if summary.get("buffer_elements") != sum(design.buffers.values()):
            problems.append(f"buffers: PyTorch {sum(design.buffers.values())}, netshape {summary.get('buffer_elements')}")
    return problems


def check_design(netshape, seed):
    design = grow(seed)
    design_json = design.to_json()
    summary = netshape_summary(netshape, design_json)
    return design, design_json, compare(design, summary)


# [SECTION] Presets against torchvision

TORCHVISION_PRESETS = {"alexnet.ns": "alexnet", "vgg16.ns": "vgg16", "resnet18.ns": "resnet18",
                       "resnet50.ns": "resnet50", "mobilenet_v2.ns": "mobilenet_v2", "swin_t.ns": "swin_t",
                       "efficientnet_b0.ns": "efficientnet_b0", "inception_v3.ns": "inception_v3"}


def layers_with_weights_in_order(model, input_shape):
    """Every convolution, linear, norm and window attention (whose forward reads its qkv and proj
    weights without calling them) in the order torchvision runs them. Inception v3's
    auxiliary head runs only in training (on a batch of two, for its batch norms on 1×1 maps), in the
    middle of the network; the preset writes it last, reading the middle layer, so it goes last."""
    order = []
    from torchvision.models.swin_transformer import ShiftedWindowAttention
    hooks = [m.register_forward_hook(lambda m, i, o: order.append(m)) for m in model.modules()
             if isinstance(m, (nn.Conv2d, nn.Linear, nn.BatchNorm2d, nn.LayerNorm, ShiftedWindowAttention))]
    auxiliary = getattr(model, "AuxLogits", None)
    if auxiliary is not None:
        model.train()
        with torch.no_grad():
            model(torch.zeros([2] + input_shape))
        model.eval()
        head = set(auxiliary.modules())
        order = [m for m in order if m not in head] + [m for m in order if m in head]
    else:
        model(torch.zeros([1] + input_shape))
    for hook in hooks:
        hook.remove()
    return order


def check_presets(netshape, directory):
    import torchvision
    problems = []
    for preset, model_name in TORCHVISION_PRESETS.items():
        model = getattr(torchvision.models, model_name)()
        result = subprocess.run([netshape, "summary", "--format", "json", os.path.join(directory, preset)],
                                capture_output=True, text=True, check=True)
        summary = json.loads(result.stdout)
        want = (param_count(model), buffer_count(model))
        got = (summary["total_params"], summary["buffer_elements"])
        # The output of the model's own forward pass on one 224×224 image (the presets' input).
        model.eval()
        out = model(torch.zeros([1] + summary["input_shape"]))
        # Per layer: the layers with weights in the order torchvision runs them, against netshape's
        # layers with weights, in order.
        order = layers_with_weights_in_order(model, summary["input_shape"])
        torch_counts = [param_count(m) for m in order]
        netshape_counts = [layer["params"] for layer in summary["layers"] if layer["params"]]
        line = (f"{preset} vs torchvision.models.{model_name}: params {got[0]:,} (PyTorch {want[0]:,}), "
                f"buffers {got[1]:,} (PyTorch {want[1]:,}), output {summary['output_shape']} "
                f"(PyTorch {sample_shape(out)}), {len(torch_counts)} layers with weights")
        print(line)
        if got != want or summary["output_shape"] != sample_shape(out) or torch_counts != netshape_counts:
            problems.append(line + f"; per layer PyTorch {torch_counts} netshape {netshape_counts}")
    return problems


# [SECTION] Main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--netshape", required=True)
    parser.add_argument("--designs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--presets", help="assets/presets: also compare presets with torchvision's models")
    parser.add_argument("--show", type=int, help="print the design of one seed and stop")
    parser.add_argument("--from", dest="first", type=int, help="start at this design seed (a disagreement's)")
    arguments = parser.parse_args()
    if arguments.show is not None:
        print(json.dumps(grow(arguments.show).to_json()))
        return 0
    started = time.monotonic()
    problems = check_presets(arguments.netshape, arguments.presets) if arguments.presets else []
    first = arguments.first if arguments.first is not None else arguments.seed * 1_000_000
    seeds = range(first, first + arguments.designs)
    stats = {"designs": 0, "layers": 0, "refusals": 0, "kinds": set()}
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(arguments.jobs) as pool:
        for seed, (design, design_json, found) in zip(seeds, pool.map(lambda s: check_design(arguments.netshape, s), seeds)):
            stats["designs"] += 1
            stats["layers"] += len(design.layers)
            stats["refusals"] += design.refused is not None
            stats["kinds"].update(layer.get("type", "shares") for layer in design.layers)
            if found:
                failures += 1
                if failures <= 20:
                    print(f"\nDISAGREEMENT in design seed {seed} (rerun: --show {seed}):\n  "
                          + "\n  ".join(found) + f"\n  design: {json.dumps(design_json)}")
    elapsed = time.monotonic() - started
    print(f"\npytorch convention: {stats['designs']} designs, {stats['layers']} layers, "
          f"{stats['refusals']} ending on a layer PyTorch refuses, {len(stats['kinds'])} kinds, "
          f"{failures} disagreeing, {elapsed:.1f} s")
    missing = sorted((set(ALL_KINDS) | set(MERGES) | {"shares", "rnn_state"}) - stats["kinds"])
    if missing and stats["designs"] >= 300:
        print(f"kinds never generated: {missing}")
        failures += 1
    if problems:
        print("\n".join(["PRESET DISAGREEMENTS:"] + problems))
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
