#!/usr/bin/env python3
"""The CLI as a whole process (issue 9's goals): time and peak memory of `netshape summary` as a
table and as JSON, from 100 to 100,000 layers, and ResNet-50's JSON run against its table run.
Measured and reported, never asserted. Peak memory is the process's maximum resident set
(wait4's ru_maxrss), so it includes the program and its libraries (a few MB).

    python3 tests/benchmarks/cli_scale.py [build/release/netshape]
"""
import os
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1] if len(sys.argv) > 1 else "build/release/netshape"
PRESETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "presets")


def design(layers):
    """Conv / batch-norm / ReLU blocks, then linear / dropout / ReLU blocks, sizes varying so that
    nothing folds into a repeat (as the scale benchmark's varied_network)."""
    parts = ["ns1;16x16x16"]
    convolutions = layers // 2
    for i in range(layers):
        if i < convolutions:
            parts.append(("conv2d(%d,3,padding=1)" % (8 + i % 7), "batchnorm2d", "relu")[i % 3])
        elif i == convolutions:
            parts.append("flatten")
        else:
            parts.append(("linear(%d)" % (64 + i % 11), "dropout(0.1)", "relu")[i % 3])
    return "/".join(parts)


def run(arguments, repeats):
    """Best wall time (s) and largest peak RSS (MB) of `netshape arguments` over `repeats` runs."""
    best, peak = float("inf"), 0.0
    for _ in range(repeats):
        with open(os.devnull, "wb") as null:
            start = time.perf_counter()
            process = subprocess.Popen([CLI] + arguments, stdout=null, stderr=null)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("netshape %s failed" % " ".join(arguments))
        best = min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak


def main():
    resnet = os.path.join(PRESETS, "resnet50.ns")
    table, _ = run(["summary", resnet], 20)
    json, _ = run(["summary", "--format", "json", resnet], 20)
    print("ResNet-50, whole process (best of 20): table %.1f ms, JSON %.1f ms: JSON/table %.2f (goal 1.3)"
          % (table * 1e3, json * 1e3, json / table))
    print()
    print("| layers | table: time | table: peak | JSON: time | JSON: peak | JSON/table peak |")
    print("|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as directory:
        for layers in (100, 1000, 10000, 100000):
            path = os.path.join(directory, "design.ns")
            with open(path, "w") as file:
                file.write(design(layers))
            repeats = 5 if layers < 100000 else 3
            table_time, table_peak = run(["summary", path], repeats)
            json_time, json_peak = run(["summary", "--format", "json", path], repeats)
            print("| %s | %.0f ms | %.0f MB | %.0f ms | %.0f MB | %.2f |"
                  % ("{:,}".format(layers), table_time * 1e3, table_peak, json_time * 1e3, json_peak,
                     json_peak / table_peak))


main()
