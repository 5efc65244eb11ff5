#!/usr/bin/env bash
# The PyTorch export checked in real PyTorch (ctest; .ci/dev installs Debian's python3-torch):
# every preset in PyTorch's conventions and every design in pytorch_designs.ns is exported, run by
# check_pytorch_export.py, and compared layer by layer with netshape's summary. The designs must
# use every layer kind in the catalog, so a new kind cannot go unchecked.
#   run_pytorch_export_check.sh NETSHAPE PRESETS_DIR WORK_DIR
set -euo pipefail
netshape=$1 presets=$2 work=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3 # Debian's, which python3-torch is for
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "PyTorch is missing for $python: install Debian's python3-torch (.ci/dev test does)" >&2
    exit 1
fi
rm -rf "$work" && mkdir -p "$work"
pairs=() n=0
add_design() { # a file holding a design
    local design=$1
    if ! "$netshape" export --to pytorch "$design" >"$work/model_$n.py" 2>"$work/error_$n.txt"; then
        if grep -q "follows Keras's conventions" "$work/error_$n.txt"; then return 0; fi
        echo "export failed for $design:" >&2
        cat "$work/error_$n.txt" >&2
        exit 1
    fi
    "$netshape" summary --format json "$design" >"$work/summary_$n.json"
    pairs+=("$work/model_$n.py" "$work/summary_$n.json")
    n=$((n + 1))
}
for preset in "$presets"/*; do add_design "$preset"; done
while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    printf '%s' "$line" >"$work/design_$n.ns"
    add_design "$work/design_$n.ns"
done <"$here/pytorch_designs.ns"

# Every kind the catalog lists is used by some design.
used=$(cat "$work"/summary_*.json | grep -o '"type": "[a-z_0-9]*"' | sort -u | sed 's/"type": "\(.*\)"/\1/')
missing=()
for kind in $("$netshape" layers | sed -n 's/^  \([a-z_0-9]*\)  \[.*/\1/p'); do
    grep -qx "$kind" <<<"$used" || missing+=("$kind")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "no design in pytorch_designs.ns uses: ${missing[*]}" >&2
    exit 1
fi
"$python" "$here/check_pytorch_export.py" "${pairs[@]}"
