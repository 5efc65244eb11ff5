#!/usr/bin/env python3
"""`netshape diagram` on every preset, read back by independent readers: the SVG must parse as XML
(Python's xml.etree) with every layer's output shape and name in its text, the blocks style's too
(with the input's and the output's shapes), and the DOT must hold an edge for every read the
design makes (from `netshape summary --format json`'s inputs).

Usage: diagram_export_test.py NETSHAPE_CLI PRESETS_DIR
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def run(cli, *args, stdin=None):
    return subprocess.run([cli, *args], input=stdin, capture_output=True, text=True)


def shape_text(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def check_preset(cli, path, failures):
    summary = json.loads(run(cli, "summary", "--format", "json", path).stdout)
    layers = summary["layers"]
    inputs = summary["inputs"]
    input_names = [entry["name"] for entry in inputs] if isinstance(inputs, list) else list(inputs)

    for theme in ("auto", "light", "dark"):
        for expand in ((), ("--expand",)):
            made = run(cli, "diagram", "--format", "svg", "--theme", theme, *expand, path)
            if made.returncode != 0:
                failures.append(f"{path} {theme} {expand}: exit {made.returncode}: {made.stderr}")
                continue
            try:
                root = ET.fromstring(made.stdout)
            except ET.ParseError as error:
                failures.append(f"{path} {theme} {expand}: not XML: {error}")
                continue
            if root.tag != SVG + "svg":
                failures.append(f"{path}: root element is {root.tag}")
            texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
            text = "\n".join(texts)
            for layer in layers:
                if shape_text(layer["output_shape"]) not in texts:
                    failures.append(f"{path} {expand}: no text {shape_text(layer['output_shape'])} ({layer['name']})")
            if expand:  # every layer has its own box, titled with its name
                for layer in layers:
                    if not re.search(r"(^|\s)" + re.escape(layer["name"]) + r"$", text, re.M):
                        failures.append(f"{path}: no box titled with {layer['name']}")
            fonts = root.get("font-family", "")
            if "monospace" not in fonts:
                failures.append(f"{path}: fonts not named ({fonts!r})")
            style = "".join(s.text or "" for s in root.iter(SVG + "style"))
            if theme == "auto" and "prefers-color-scheme:dark" not in style:
                failures.append(f"{path}: the automatic theme has no dark rules")

    # The blocks style: XML too, from the model input's shape to the last layer's.
    made = run(cli, "diagram", "--style", "blocks", path)
    try:
        texts = ["".join(t.itertext()) for t in ET.fromstring(made.stdout).iter(SVG + "text")]
        for shape in (summary["input_shape"], layers[-1]["output_shape"]):
            if shape_text(shape) not in texts:
                failures.append(f"{path} blocks: no text {shape_text(shape)}")
    except ET.ParseError as error:
        failures.append(f"{path} blocks: not XML: {error}")

    dot = run(cli, "diagram", "--format", "dot", "--expand", path).stdout
    # Node ids by the name at the end of each node's first label line.
    names = {}
    for node, label in re.findall(r'^\s*(n\d+) \[label="([^"]*)"', dot, re.M):
        names[label.split("\\n")[0].split(" ")[-1]] = node
    edges = set(re.findall(r"^\s*(n\d+) -> (n\d+) ", dot, re.M))
    for layer in layers:
        for source in layer["inputs"]:
            if (names.get(source), names.get(layer["name"])) not in edges:
                failures.append(f"{path}: DOT has no edge {source} -> {layer['name']}")
    for name in input_names + [layer["name"] for layer in layers]:
        if name not in names:
            failures.append(f"{path}: DOT has no node {name}")


def check_hostile_title(cli, failures):
    # A title with markup, quotes and a control character stays text in the SVG.
    design = json.dumps({"name": "<script>alert('x')</script> & \"q\" \u0001",
                         "input": [4], "layers": [{"type": "linear", "out_features": 2}]})
    made = run(cli, "diagram", "-", stdin=design)
    try:
        root = ET.fromstring(made.stdout)
        title = root.find(SVG + "title").text
        if title != "<script>alert('x')</script> & \"q\"  ":
            failures.append(f"hostile title read back as {title!r}")
    except ET.ParseError as error:
        failures.append(f"hostile title: not XML: {error}")
    dot = run(cli, "diagram", "--format", "dot", "-", stdin=design).stdout
    if not dot.startswith('digraph "<script>alert(\'x\')</script> & \\"q\\"  " {'):
        failures.append(f"hostile title in DOT: {dot.splitlines()[0]!r}")


def main():
    cli, presets = sys.argv[1], sys.argv[2]
    failures = []
    for file in sorted(os.listdir(presets)):
        check_preset(cli, os.path.join(presets, file), failures)
    check_hostile_title(cli, failures)
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
