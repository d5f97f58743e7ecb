#!/usr/bin/env bash
# Rebuilds testdata/hal/text_cases.txt and testdata/hal/npy_cases.txt.
#
# text_cases.txt: every input in
# testdata/hal/text_inputs.txt is given to the reference `iree-run-module`
# (from .venv, see tools/setup_toolchain.sh) as `--input=` of an identity
# function of the matching tensor type, and what it prints with `--output=-`
# is recorded; inputs it rejects are recorded as `!error CODE`, outputs it
# cannot print as `!format-error CODE`. tests/hal_text_cases.rs checks our
# parser and printer against every line.
#
# npy_cases.txt: arrays written by numpy (testdata/hal/npy/*.npy, every dtype
# the reference reads, header versions 1.0 to 3.0, a multi-array file) with
# the text the reference prints after reading them (`--input=@file.npy`), and
# files the reference writes (`--output=@file.npy`, `+file.npy` appends) from
# text inputs. tests/hal_npy_cases.rs reads and writes them with ours.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python - "$@" <<'PY'
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

def compile_identities(tmp, signatures):
    """One identity function per signature (a list of tensor types)."""
    mlir = os.path.join(tmp, "npy.mlir")
    with open(mlir, "w") as f:
        for i, sig in enumerate(signatures):
            args = ", ".join("%%a%d: %s" % (j, t) for j, t in enumerate(sig))
            rets = ", ".join("%%a%d" % j for j in range(len(sig)))
            f.write("func.func @g%d(%s) -> (%s) { return %s : %s }\n"
                    % (i, args, ", ".join(sig), rets, ", ".join(sig)))
    vmfb = os.path.join(tmp, "npy.vmfb")
    subprocess.run([os.path.join(VENV, "iree-compile"), "--iree-hal-target-device=local",
                    "--iree-hal-local-target-device-backends=vmvx",
                    "--iree-input-demote-f64-to-f32=false",
                    "--iree-input-demote-i64-to-i32=false", mlir, "-o", vmfb], check=True)
    return vmfb

def numpy_cases():
    import numpy as np
    from numpy.lib import format as npf
    d = "testdata/hal/npy"
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        os.remove(os.path.join(d, name))
    arrays = {
        "f32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
        "f64_2": np.array([0.1, -1e300]),
        "f16_3": np.array([1.5, 0.1, -65504], dtype=np.float16),
        "i8_scalar": np.array(-5, dtype=np.int8),
        "u8_4": np.array([0, 1, 254, 255], dtype=np.uint8),
        "i16_2x2": np.array([[-32768, 1], [2, 32767]], dtype=np.int16),
        "u16_3": np.array([1, 2, 65535], dtype=np.uint16),
        "i32_1x0": np.zeros((1, 0), dtype=np.int32),
        "u32_2": np.array([4294967295, 7], dtype=np.uint32),
        "i64_2": np.array([-9223372036854775808, 9223372036854775807], dtype=np.int64),
        "u64_1": np.array([18446744073709551615], dtype=np.uint64),
        "bool_4": np.array([True, False, True, True]),
        "c64_2": np.array([1 + 2j, -3.5j], dtype=np.complex64),
        "c128_1": np.array([0.25 - 1j], dtype=np.complex128),
        "f32_1x1x1x2": np.array([[[[1.5, -2]]]], dtype=np.float32),
    }
    mlir_types = {"bool": "i1", "int8": "i8", "uint8": "i8", "int16": "i16", "uint16": "i16",
                  "int32": "i32", "uint32": "i32", "int64": "i64", "uint64": "i64",
                  "float16": "f16", "float32": "f32", "float64": "f64",
                  "complex64": "complex<f32>", "complex128": "complex<f64>"}
    def ttype(a):
        return "tensor<%s%s>" % ("".join("%dx" % n for n in a.shape), mlir_types[str(a.dtype)])
    files = []  # (file, [arrays])
    for name, a in arrays.items():
        path = os.path.join(d, name + ".npy")
        np.save(path, a)
        files.append((path, [a]))
    for version in [(2, 0), (3, 0)]:
        path = os.path.join(d, "f32_2x3_v%d.npy" % version[0])
        with open(path, "wb") as f:
            npf.write_array(f, arrays["f32_2x3"], version=version)
        files.append((path, [arrays["f32_2x3"]]))
    multi = os.path.join(d, "multi.npy")
    with open(multi, "wb") as f:
        np.save(f, arrays["i16_2x2"])
        np.save(f, arrays["bool_4"])
    files.append((multi, [arrays["i16_2x2"], arrays["bool_4"]]))
    writes = ["2x3xf32=1 2 3 4 5 6", "f32=1.5", "4xi8=1 -2 3 -4", "2xi1=01 00",
              "3xui16=1 2 65535", "2xcf64=0000803F00000040 0000404000008040", "0xf64="]
    with tempfile.TemporaryDirectory() as tmp:
        sigs = [[ttype(a) for a in arrs] for _, arrs in files]
        sigs += [[tensor_type(w)] for w in writes]
        sigs.append([tensor_type(writes[0]), tensor_type(writes[2])])
        vmfb = compile_identities(tmp, sigs)
        lines = []
        printed = {}
        for i, (path, arrs) in enumerate(files):
            if len(arrs) > 1:
                # The reference reads one array per --input=@file (it reopens
                # the file), so a multi-array file's expected arrays are the
                # reference's prints of the same arrays saved alone.
                out = [printed[a.tobytes() + str(a.dtype).encode()] for a in arrs]
            else:
                run = subprocess.run([os.path.join(VENV, "iree-run-module"), "--module=" + vmfb,
                                      "--function=g%d" % i, "--input=@" + path, "--output=-"],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    sys.exit("reference failed reading %s: %s" % (path, run.stderr))
                out = [l for l in run.stdout.split("\n")[1:] if l and l != "hal.buffer_view"]
                printed[arrs[0].tobytes() + str(arrs[0].dtype).encode()] = out[0]
            lines.append("\t".join(["read", path] + out))
        for k, w in enumerate(writes):
            path = os.path.join(d, "written_%d.npy" % k)
            subprocess.run([os.path.join(VENV, "iree-run-module"), "--module=" + vmfb,
                            "--function=g%d" % (len(files) + k), "--input=" + w,
                            "--output=@" + path], check=True, capture_output=True)
            np.load(path)  # numpy must read what the reference wrote
            lines.append("\t".join(["write", path, w]))
        path = os.path.join(d, "written_pair.npy")
        subprocess.run([os.path.join(VENV, "iree-run-module"), "--module=" + vmfb,
                        "--function=g%d" % (len(sigs) - 1), "--input=" + writes[0],
                        "--input=" + writes[2], "--output=@" + path, "--output=+" + path],
                       check=True, capture_output=True)
        lines.append("\t".join(["write", path, writes[0], writes[2]]))
    with open("testdata/hal/npy_cases.txt", "w") as f:
        f.write("# Made by tools/regen_hal_text_cases.sh with numpy and the reference\n")
        f.write("# iree-run-module 3.13.0. read<TAB>file<TAB>printed arrays...;\n")
        f.write("# write<TAB>file the reference wrote<TAB>text inputs it wrote...\n")
        for line in lines:
            f.write(line + "\n")
    print("wrote %d npy cases" % len(lines))

main()
numpy_cases()
PY
