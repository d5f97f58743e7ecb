#!/usr/bin/env bash
# Compiles the HAL programs of testdata/tools/hal (llvm-cpu, x86-64-v3) and
# records what the reference iree-run-module does for each case of
# testdata/tools/hal/cases.txt into testdata/tools/hal/expected/NN/:
#   args    the case's arguments, one a line ($DATA/ unexpanded)
#   exit    the exit code
#   stdout  stdout, byte for byte
#   stderr  stderr's first line
#   files/  every file the case wrote in its working directory
# crates/iree-tools/tests/hal_differential.rs replays them against ours.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
data="$root/testdata/tools/hal"
cd "$data"
for program in arith matmul check_pass check_fail; do
  "$bin/iree-compile" --iree-hal-target-device=local \
    --iree-hal-local-target-device-backends=llvm-cpu \
    --iree-llvmcpu-target-cpu=x86-64-v3 "$program.mlir" -o "$program.vmfb"
done
# npy inputs, written by the reference itself: pair.npy holds two arrays.
mkdir -p inputs
"$bin/iree-run-module" --module=arith.vmfb --function=two_results \
  --input=3xf32=1,2,3 --output=@inputs/pair.npy --output=+inputs/pair.npy >/dev/null
"$bin/iree-run-module" --module=arith.vmfb --function=add \
  --input="2x2xf32=[1 2][3 4]" --input=2x2xf32=0 --output=@inputs/m.npy >/dev/null
rm -rf expected
n=0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  dir="expected/$(printf %02d "$n")"
  mkdir -p "$dir/files"
  args=()
  rest="$line"
  while :; do
    arg="${rest%% | *}"
    args+=("${arg//\$DATA/$data}")
    printf '%s\n' "$arg" >> "$dir/args"
    [ "$arg" = "$rest" ] && break
    rest="${rest#* | }"
  done
  set +e
  (cd "$dir/files" && timeout 20 "$bin/iree-run-module" "${args[@]}" \
    > ../stdout 2> ../stderr.full)
  echo $? > "$dir/exit"
  set -e
  # Paths are recorded as the case names them.
  head -1 "$dir/stderr.full" | sed "s|$data/|\$DATA/|g" > "$dir/stderr"
  rm "$dir/stderr.full"
done < cases.txt
echo "recorded $n cases"
