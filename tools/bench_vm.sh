#!/usr/bin/env bash
# Runs the reference iree-benchmark-module (from .venv, or IREE_BIN) and
# ours (cargo release build) on the same .vmfb files and prints the mean
# time per call of each and their ratio (ours / reference; above 1 = ours is
# slower). Nothing here is asserted: it only reports.
#
# Usage: tools/bench_vm.sh [repetitions] [min_time]
#   defaults: 3 repetitions, 0.5s per repetition.
#   OURS_BIN=path/to/iree-benchmark-module measures that build instead of
#   building this tree (e.g. an older checkout's, to compare before/after
#   in one run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${IREE_BIN:-$root/.venv/bin}"
reps="${1:-3}"
min_time="${2:-0.5s}"
cd "$root"
if [ -n "${OURS_BIN:-}" ]; then
  ours="$OURS_BIN"
else
  cargo build --release --quiet --bin iree-benchmark-module
  ours="$root/target/release/iree-benchmark-module"
fi
ref="$bin/iree-benchmark-module"
[ -x "$ref" ] || { echo "missing $ref (run tools/setup_toolchain.sh)" >&2; exit 1; }
[ -f testdata/bench/loop_heavy.vmfb ] || tools/regen_bench.sh

# name | modules (comma-separated, loaded in order) | function | input
cases=(
  "loop_heavy|testdata/bench/loop_heavy.vmfb|loop|100000"
  "calls|testdata/bench/call_heavy.vmfb|calls|100000"
  "chain|testdata/bench/call_heavy.vmfb|chain|20000"
  "test_basic|testdata/vm/arith_i32.vmfb|test_basic|"
  "import_call|testdata/vm/calls_callee.vmfb,testdata/vm/calls.vmfb|test_import_call|"
)

mean_us() {
  # The `_mean` row's Time column, in microseconds.
  "$@" --benchmark_repetitions="$reps" --benchmark_min_time="$min_time" \
       --time_unit=us 2>/dev/null | awk '
    /_mean/ {
      v = $2; u = $3
      if (u == "ns") v /= 1000; else if (u == "ms") v *= 1000; else if (u == "s") v *= 1e6
      printf "%.3f\n", v; exit
    }'
}

printf '%-12s %14s %14s %8s\n' benchmark "reference(us)" "ours(us)" ratio
for c in "${cases[@]}"; do
  IFS='|' read -r name modules fn input <<<"$c"
  args=()
  IFS=',' read -ra module_list <<<"$modules"
  for m in "${module_list[@]}"; do args+=(--module="$m"); done
  args+=(--function="$fn")
  [ -n "$input" ] && args+=(--input="$input")
  r="$(mean_us "$ref" "${args[@]}")"
  o="$(mean_us "$ours" "${args[@]}")"
  ratio="$(awk -v o="$o" -v r="$r" 'BEGIN { if (r > 0) printf "%.2f", o / r; else print "n/a" }')"
  printf '%-12s %14s %14s %8s\n' "$name" "$r" "$o" "$ratio"
done
