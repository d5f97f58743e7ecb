#!/usr/bin/env bash
# Rebuilds testdata/hal/text_cases.txt: every input in
# testdata/hal/text_inputs.txt is given to the reference `iree-run-module`
# (from .venv, see tools/setup_toolchain.sh) as `--input=` of an identity
# function of the matching tensor type, and what it prints with `--output=-`
# is recorded; inputs it rejects are recorded as `!error CODE`, outputs it
# cannot print as `!format-error CODE`. tests/hal_text_cases.rs checks our
# parser and printer against every line.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import os, re, subprocess, sys, tempfile

VENV = os.path.abspath(".venv/bin")
INPUTS = "testdata/hal/text_inputs.txt"
OUTPUT = "testdata/hal/text_cases.txt"

MLIR_TYPES = {"cf64": "complex<f32>", "cf128": "complex<f64>"}
SIMPLE = re.compile(r"^((i|si|ui|f|bf)(1|4|8|16|32|64)|f8E5M2|f8E4M3FN|f8E5M2FNUZ|f8E4M3FNUZ|f8E8M0FNU)$")

def tensor_type(value):
    """The MLIR tensor type an input names, or None if it names none."""
    head = value.strip().strip('"').split("=", 1)[0]
    shape, _, ty = head.rpartition("x")
    if ty not in MLIR_TYPES and not SIMPLE.match(ty):
        return None
    if shape and not re.fullmatch(r"\d+(x\d+)*", shape):
        return None
    ty = MLIR_TYPES.get(ty, ty)
    return "tensor<%s%s>" % (shape + "x" if shape else "", ty)

def main():
    inputs = []
    with open(INPUTS, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line:
                continue
            inputs.append(line)
    types = sorted({t for t in map(tensor_type, inputs) if t} | {"tensor<f32>"})
    names = {t: "f%d" % i for i, t in enumerate(types)}
    with tempfile.TemporaryDirectory() as tmp:
        mlir = os.path.join(tmp, "id.mlir")
        with open(mlir, "w") as f:
            for t, n in names.items():
                f.write("func.func @%s(%%a: %s) -> %s { return %%a : %s }\n" % (n, t, t, t))
        vmfb = os.path.join(tmp, "id.vmfb")
        subprocess.run([os.path.join(VENV, "iree-compile"), "--iree-hal-target-device=local",
                        "--iree-hal-local-target-device-backends=vmvx",
                        "--iree-input-demote-f64-to-f32=false",
                        "--iree-input-demote-i64-to-i32=false", mlir, "-o", vmfb], check=True)
        lines = []
        for value in inputs:
            fn = names[tensor_type(value) or "tensor<f32>"]
            run = subprocess.run([os.path.join(VENV, "iree-run-module"), "--module=" + vmfb,
                                  "--function=" + fn, "--input=" + value, "--output=-"],
                                 capture_output=True, text=True)
            if run.returncode == 0:
                out = run.stdout.split("\n")
                # stdout: "EXEC @fn", "hal.buffer_view", the value, "".
                expected = out[2]
            else:
                m = re.search(r"\b([A-Z_]{4,}); ", run.stderr + " ")
                code = m.group(1) if m else "UNKNOWN"
                if "parsing input" in run.stderr:
                    expected = "!error " + code
                elif "printing results" in run.stderr or "outputting results" in run.stderr:
                    expected = "!format-error " + code
                else:
                    sys.exit("unexpected failure for %r: %s" % (value, run.stderr))
            lines.append(value + "\t" + expected)
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write("# Made by tools/regen_hal_text_cases.sh from text_inputs.txt with the\n")
        f.write("# reference iree-run-module (iree-base-runtime 3.13.0): input<TAB>output.\n")
        for line in lines:
            f.write(line + "\n")
    print("wrote %d cases to %s" % (len(lines), OUTPUT))

main()
PY
