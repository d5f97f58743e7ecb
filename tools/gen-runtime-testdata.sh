#!/usr/bin/env bash
# Rebuilds testdata/runtime/*.vmfb from *.mlir with the pinned iree-compile
# (local device, llvm-cpu for x86-64-v3) and records what the reference
# iree-run-module (--device=local-sync) returns for every case of
# cases.tsv (module, function, inputs; tab-separated): one .npy per result,
# expected/<module>.<function>.<case>.<result>.npy, and the printed output
# as expected/<module>.<function>.<case>.txt. tests/runtime_session.rs and
# c_tests/runtime_session.c call the same programs through the runtime API
# and compare against these files (no Python at test time).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
cd "$root/testdata/runtime"
flags=(
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
  --iree-input-demote-f64-to-f32=false
)
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
