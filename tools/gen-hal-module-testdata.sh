#!/usr/bin/env bash
# Rebuilds testdata/modules/hal/*.vmfb from *.mlir with the pinned
# iree-compile (llvm-cpu, x86-64-v3: programs that need no dispatch) and
# records what the reference iree-run-module returns for every case of
# cases.tsv (module, function, inputs; tab-separated) as one .npy per
# result: expected/<module>.<function>.<case>.<result>.npy, plus
# expected/<module>.<function>.<case>.txt with its printed output.
# tests/modules_hal.rs runs the same cases through our hal module and
# compares the .npy files byte for byte. testdata/modules/check/*.mlir
# (self-checking programs for the check module) are compiled the same way;
# the reference has no iree-check-module, so tests/modules_check.rs says
# what each must do.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/modules/hal"
flags=(
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
  --iree-input-demote-f64-to-f32=false
)
for src in "$root"/testdata/modules/check/*.mlir; do
  "$bin/iree-compile" "${flags[@]}" "$src" -o "${src%.mlir}.vmfb"
done
cd "$dir"
for src in *.mlir; do
  "$bin/iree-compile" "${flags[@]}" "$src" -o "${src%.mlir}.vmfb"
done
rm -rf expected
mkdir expected
declare -A seen=()
while IFS=$'\t' read -r -a fields; do
  [[ ${#fields[@]} -eq 0 || ${fields[0]} == \#* ]] && continue
  module="${fields[0]}"
  function="${fields[1]}"
  key="$module.$function"
  case_index="${seen[$key]:-0}"
  seen[$key]=$((case_index + 1))
  inputs=()
  for input in "${fields[@]:2}"; do
    inputs+=("--input=$input")
  done
  base="expected/$key.$case_index"
  run=("$bin/iree-run-module" --device=local-sync --module="$module.vmfb" --function="$function" "${inputs[@]}")
  "${run[@]}" > "$base.txt"
  results="$(grep -c '^result\[' "$base.txt" || true)"
  outputs=()
  for ((i = 0; i < results; i++)); do
    outputs+=("--output=@$base.$i.npy")
  done
  if ((results > 0)); then
    "${run[@]}" "${outputs[@]}" > /dev/null
  fi
done < cases.tsv
echo "recorded $(ls expected/*.txt | wc -l) cases"
