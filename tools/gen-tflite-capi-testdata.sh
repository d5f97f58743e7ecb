#!/usr/bin/env bash
# Rebuilds testdata/tflite_capi (issue 14): the real .tflite models of
# testdata/tflite (listed in MODELS below) converted to TOSA, their tensor
# names put on `main` as `ml_program.identifier` (so the TFLite bindings'
# `tfl.io.names` carries them), compiled with the TFLite bindings, and a
# sidecar `<model>.vmfb.tensors.tsv` with each tensor's name, element type
# and quantization as LiteRT reports them. Inputs are those of
# testdata/tflite/inputs written as raw bytes; expected outputs are the
# reference iree-run-module's (testdata/tflite/expected, made from the same
# .tflite with the same flags) and LiteRT's on the same inputs, raw.
# tiny_dynamic.mlir (a hand-written test program with a dynamic dimension)
# is compiled the same way; its sidecar is hand-written.
#
# Needs tools/setup_toolchain.sh run (no network).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
src="$root/testdata/tflite"
dir="$root/testdata/tflite_capi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
MODELS=(face_detection_short_range hand_recrop okay_nabu)
flags=(
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
  --iree-native-bindings-support=false
  --iree-tflite-bindings-support
)
cd "$dir"
rm -rf data && mkdir data
(cd "$dir" && "$bin/iree-compile" "${flags[@]}" tiny_dynamic.mlir -o tiny_dynamic.vmfb)

for name in "${MODELS[@]}"; do
  form=$(awk -F'\t' -v n="$name" '$1 == n {print $4}' "$src/models.tsv")
  if [[ "$form" == text ]]; then
    "$bin/tosa-converter-for-tflite" "$src/$name.tflite" --text -o "$work/$name.new.mlir" >/dev/null
    "$bin/python" "$root/tools/tosa_text_to_generic.py" "$work/$name.new.mlir" "$work/$name.plain.mlir"
  else
    "$bin/tosa-converter-for-tflite" "$src/$name.tflite" --bytecode -o "$work/$name.mlirbc" >/dev/null
    "$bin/iree-opt" "$work/$name.mlirbc" -o "$work/$name.plain.mlir"
  fi
  # Names from tf.entry_function onto main's arguments and results.
  "$bin/python" - "$work/$name.plain.mlir" "$work/$name.mlir" "$work/$name.names" <<'PY'
import sys
from iree.compiler import ir
ctx = ir.Context()
ctx.allow_unregistered_dialects = True
module = ir.Module.parse(open(sys.argv[1]).read(), ctx)
with ctx, ir.Location.unknown():
    for op in module.body.operations:
        if "tf.entry_function" not in op.attributes:
            continue
        entry = ir.DictAttr(op.attributes["tf.entry_function"])
        def names(key):
            return ir.StringAttr(entry[key]).value.split(",")
        def attrs(key):
            return ir.ArrayAttr.get([
                ir.DictAttr.get({"ml_program.identifier": ir.StringAttr.get(n)})
                for n in names(key)])
        op.attributes["arg_attrs"] = attrs("inputs")
        op.attributes["res_attrs"] = attrs("outputs")
        open(sys.argv[3], "w").write(";".join(names("inputs") + names("outputs")))
open(sys.argv[2], "w").write(str(module))
PY
  (cd "$work" && "$bin/iree-compile" --iree-input-type=tosa "${flags[@]}" "$name.mlir" -o "$dir/$name.vmfb")
  echo "$name: $(stat -c %s "$name.vmfb") bytes of vmfb"
done

# Sidecars, raw inputs and expected outputs; LiteRT runs each model's calls
# in one interpreter (the streaming model keeps its variables across them).
"$bin/python" - "$src" "$work" "${MODELS[@]}" <<'PY'
import sys
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

src, work, models = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
manifest = ["# name\tcalls\tinputs\toutputs (tools/gen-tflite-capi-testdata.sh)"]
for name in models:
    interp = Interpreter(model_path=str(src / f"{name}.tflite"))
    interp.allocate_tensors()
    ins, outs = interp.get_input_details(), interp.get_output_details()
    # The module's order is tf.entry_function's (its tfl.io.names), which
    # may differ from LiteRT's detail order: match by name.
    io_names = (work / f"{name}.names").read_text().split(";")
    by_name = {d["name"]: d for d in ins + outs}
    ordered_in = [by_name[n] for n in io_names[:len(ins)]]
    ordered_out = [by_name[n] for n in io_names[len(ins):]]
    lines = ["# From the .tflite via LiteRT (tools/gen-tflite-capi-testdata.sh).",
             "# direction\tindex\tname\ttype\tscale\tzero_point\tshape"]
    for direction, details in (("input", ordered_in), ("output", ordered_out)):
        for i, d in enumerate(details):
            scale, zero = d["quantization"]
            shape = ",".join(str(int(x)) for x in d["shape_signature"])
            lines.append(f"{direction}\t{i}\t{d['name']}\t{np.dtype(d['dtype']).name}\t"
                         f"{float(np.float32(scale))!r}\t{int(zero)}\t{shape}")
    Path(f"{name}.vmfb.tensors.tsv").write_text("\n".join(lines) + "\n")
    calls = 0
    while (src / "inputs" / f"{name}.{calls}.0.npy").exists():
        calls += 1
    for call in range(calls):
        for i, d in enumerate(ordered_in):
            array = np.load(src / "inputs" / f"{name}.{call}.{i}.npy").astype(d["dtype"])
            interp.set_tensor(d["index"], array)
            Path(f"data/{name}.{call}.in{i}.bin").write_bytes(array.tobytes())
        interp.invoke()
        for i, d in enumerate(ordered_out):
            theirs = interp.get_tensor(d["index"])
            Path(f"data/{name}.{call}.out{i}.litert.bin").write_bytes(theirs.tobytes())
            ours = np.load(src / "expected" / f"{name}.{call}.{i}.npy")
            Path(f"data/{name}.{call}.out{i}.iree.bin").write_bytes(ours.tobytes())
    manifest.append(f"{name}\t{calls}\t{len(ins)}\t{len(outs)}")
Path("models.tsv").write_text("\n".join(manifest) + "\n")
print("\n".join(manifest))
PY
