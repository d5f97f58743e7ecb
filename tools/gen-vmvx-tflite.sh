#!/usr/bin/env bash
# Rebuilds testdata/vmvx/tflite (issue 13): the real LiteRT models of
# testdata/tflite/models.tsv whose .tflite is kept in testdata/tflite,
# converted to TOSA as tools/gen-tflite-models.sh does and compiled by the
# pinned iree-compile for VMVX with microkernels. For each model that
# builds, it records what the reference runtime (its Python bindings,
# local-sync, whose device loads VMVX) returns for the recorded inputs of
# testdata/tflite/inputs, calling `main` `calls` times in one context as
# the llvm-cpu data does. tests/tflite_models.rs compares ours with that
# byte for byte. A model that does not build or run is listed in
# skipped.tsv with the reason.
#
# Needs tools/setup_toolchain.sh run (no network).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
models="$root/testdata/tflite"
out="$root/testdata/vmvx/tflite"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out/expected"
: >"$out/skipped.tsv"
flags=(
  --iree-input-type=tosa
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=vmvx
  --iree-vmvx-enable-microkernels
)

while IFS=$'\t' read -r name _package _member form calls; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ ! -e "$models/$name.tflite" ]]; then
    printf '%s\tsource\tits .tflite is not kept in testdata/tflite (over 2 MB)\n' "$name" >>"$out/skipped.tsv"
    continue
  fi
  if [[ "$form" == text ]]; then
    "$bin/tosa-converter-for-tflite" "$models/$name.tflite" --text -o "$work/$name.new.mlir" >/dev/null
    "$bin/python" "$root/tools/tosa_text_to_generic.py" "$work/$name.new.mlir" "$work/$name.mlir"
  else
    "$bin/tosa-converter-for-tflite" "$models/$name.tflite" --bytecode -o "$work/$name.mlirbc" >/dev/null
    "$bin/iree-opt" "$work/$name.mlirbc" -o "$work/$name.mlir"
  fi
  # From inside the work folder: a relative source path keeps reruns
  # byte-identical.
  if ! err="$(cd "$work" && "$bin/iree-compile" "${flags[@]}" "$name.mlir" -o "$out/$name.vmfb" 2>&1)"; then
    rm -f "$out/$name.vmfb"
    printf '%s\tcompile\t%s\n' "$name" "$(grep -m1 'error' <<<"$err" | cut -c1-200)" >>"$out/skipped.tsv"
    continue
  fi
  printf '%s\t%s\n' "$name" "$calls" >>"$work/built.tsv"
  echo "$name: $(stat -c %s "$out/$name.vmfb") bytes of VMVX vmfb"
done <"$models/models.tsv"

[[ -e "$work/built.tsv" ]] || exit 0
"$bin/python" - "$work/built.tsv" "$models" "$out" <<'PY'
import sys
from pathlib import Path

import iree.runtime as rt
import numpy as np

built, models, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
for line in built.read_text().splitlines():
    name, calls = line.split("\t")
    context = rt.SystemContext(config=rt.Config("local-sync"))
    vmfb = (out / f"{name}.vmfb").read_bytes()
    context.add_vm_module(rt.VmModule.copy_buffer(context.instance, vmfb))
    main = context.modules.module["main"]
    for call in range(int(calls)):
        inputs = sorted(models.glob(f"inputs/{name}.{call}.*.npy"),
                        key=lambda p: int(p.name.split(".")[-2]))
        try:
            results = main(*[np.load(p) for p in inputs])
        except Exception as e:  # recorded, not fatal: the test skips it
            with open(out / "skipped.tsv", "a") as f:
                f.write(f"{name}\trun\t{str(e).splitlines()[0][:200]}\n")
            for p in out.glob(f"expected/{name}.*"):
                p.unlink()
            (out / f"{name}.vmfb").unlink()
            break
        if not isinstance(results, (tuple, list)):
            results = (results,)
        for i, result in enumerate(results):
            np.save(out / f"expected/{name}.{call}.{i}.npy", np.asarray(result.to_host()))
    print(f"{name}: reference results of {calls} call(s) recorded")
PY
