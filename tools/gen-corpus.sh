#!/usr/bin/env bash
# Rebuilds the program corpus (testdata/corpus, issue 11): compiles every
# *.mlir with the pinned iree-compile for llvm-cpu (x86-64-v3, plus the
# flags named on a `// compile-flags:` line of the source), writes
# deterministic inputs for every case of cases.tsv and records what the
# reference runtime returns on local-sync. tests/corpus.rs runs the same
# cases through our VM and hal module and compares the results.
#
# Single-call cases run the reference iree-run-module; cases calling a
# function several times in one context (state in globals) run the
# reference runtime's Python bindings, since iree-run-module makes one call
# a process. bf16 values travel as raw .bin files (numpy has no bf16, and
# the reference's npy writer refuses it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/corpus"
cd "$dir"
flags=(
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
)
for src in *.mlir; do
  extra=()
  if line="$(grep -m1 '^// compile-flags:' "$src")"; then
    read -r -a extra <<<"${line#// compile-flags:}"
  fi
  "$bin/iree-compile" "${flags[@]}" "${extra[@]}" "$src" -o "${src%.mlir}.vmfb"
done
rm -rf inputs expected
mkdir inputs expected

# Inputs: values seeded by the case name, so a rerun writes the same bytes.
"$bin/python" - <<'PY'
import zlib
import numpy as np
import ml_dtypes

INT_TYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64}
FLOAT_TYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64,
               "bf16": ml_dtypes.bfloat16}

def generate(case, index, spec):
    desc, *bounds = spec.split(":")
    parts = desc.split("x")
    shape, kind = tuple(int(d) for d in parts[:-1]), parts[-1]
    rng = np.random.default_rng(zlib.crc32(f"{case}.{index}".encode()))
    if kind == "i1":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if kind in INT_TYPES:
        info = np.iinfo(INT_TYPES[kind])
        # The most negative value is left out so that a signed division
        # never overflows (x86 traps on MIN / -1).
        lo, hi = (int(b) for b in bounds) if bounds else (info.min + 1, info.max)
        return rng.integers(lo, hi, size=shape, dtype=INT_TYPES[kind], endpoint=not bounds)
    values = rng.standard_normal(size=shape) * 3.0
    return values.astype(FLOAT_TYPES[kind])

for line in open("cases.tsv"):
    fields = line.rstrip("\n").split("\t")
    if not fields[0] or fields[0].startswith("#"):
        continue
    case, specs = fields[0], fields[4:]
    for index, spec in enumerate(specs):
        array = generate(case, index, spec)
        if array.dtype == ml_dtypes.bfloat16:
            array.tofile(f"inputs/{case}.{index}.bin")
        else:
            np.save(f"inputs/{case}.{index}.npy", array)
PY

# The --input flags of one case, in iree-run-module's syntax.
input_flags() {
  local case="$1"; shift
  local index=0 spec
  for spec in "$@"; do
    if [[ -e "inputs/$case.$index.bin" ]]; then
      echo "--input=${spec%%:*}=@inputs/$case.$index.bin"
    else
      echo "--input=@inputs/$case.$index.npy"
    fi
    index=$((index + 1))
  done
}

multi_call_cases=()
while IFS=$'\t' read -r -a fields; do
  [[ ${#fields[@]} -eq 0 || ${fields[0]} == \#* ]] && continue
  case="${fields[0]}" module="${fields[1]}" function="${fields[2]}" calls="${fields[3]}"
  if ((calls > 1)); then
    multi_call_cases+=("$case")
    continue
  fi
  mapfile -t inputs < <(input_flags "$case" "${fields[@]:4}")
  run=("$bin/iree-run-module" --device=local-sync --module="$module.vmfb" --function="$function" "${inputs[@]}")
  printed="$("${run[@]}")"
  # One `result[i]: hal.buffer_view` line per result, then its
  # `SHAPExTYPE=values` line.
  mapfile -t types < <(grep -A1 '^result\[' <<<"$printed" | grep -v '^result\[\|^--$' | sed 's/=.*//')
  outputs=()
  for i in "${!types[@]}"; do
    if [[ ${types[$i]} == *bf16 ]]; then
      outputs+=("--output=@expected/$case.0.$i.bin")
      echo "${types[$i]}" > "expected/$case.0.$i.bin.type"
    else
      outputs+=("--output=@expected/$case.0.$i.npy")
    fi
  done
  "${run[@]}" "${outputs[@]}" > /dev/null
done < cases.tsv

# Cases calling a function several times in one context.
"$bin/python" - "${multi_call_cases[@]}" <<'PY'
import sys
import numpy as np
import iree.runtime as rt

wanted = set(sys.argv[1:])
for line in open("cases.tsv"):
    fields = line.rstrip("\n").split("\t")
    if fields[0] not in wanted:
        continue
    case, module, function, calls = fields[0], fields[1], fields[2], int(fields[3])
    inputs = [np.load(f"inputs/{case}.{i}.npy") for i in range(len(fields) - 4)]
    config = rt.Config("local-sync")
    context = rt.SystemContext(config=config)
    with open(f"{module}.vmfb", "rb") as f:
        context.add_vm_module(rt.VmModule.copy_buffer(context.instance, f.read()))
    entry = context.modules.module[function]
    for call in range(calls):
        results = entry(*inputs)
        if not isinstance(results, (tuple, list)):
            results = (results,)
        for i, result in enumerate(results):
            np.save(f"expected/{case}.{call}.{i}.npy", np.asarray(result.to_host()))
PY
echo "recorded $(ls expected | cut -d. -f1 | sort -u | wc -l) cases"
