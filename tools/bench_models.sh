#!/usr/bin/env bash
# Runs the reference iree-benchmark-module (from .venv, or IREE_BIN) and ours
# on the same HAL programs with --device=local-sync and --device=local-task
# and prints, per model, the median time per call of each, the ratios (ours
# / reference; above 1 = ours is slower), ours local-task / ours local-sync,
# ours local-task with 1 worker (the 1 -> N speed-up) and the peak resident
# set size of each local-sync process. The `add4` row (a 4-element add) is
# the per-call overhead. Nothing here is asserted: it only reports.
# TASK_WORKERS=N passes --task_topology_group_count=N to both local-task
# runs (default: each runtime's own default).
#
# Models: a selection of testdata/corpus cases (CASES overrides it, space
# separated case names of cases.tsv) with their inputs from
# testdata/corpus/inputs, plus every testdata/tflite/*.vmfb (TFLITE_DIR
# overrides the directory) with inputs/<name>.<n>.npy, function `main`.
# VMVX rows (`vmvx:` names, issue 13): the corpus cases of VMVX_CASES
# compiled for VMVX with microkernels (testdata/vmvx/ukernels) and every
# model of testdata/vmvx/tflite, with the same inputs; both runtimes load
# VMVX on local-sync and local-task. VMVX_CASES="" leaves them out.
#
# Usage: tools/bench_models.sh [repetitions] [min_time]
#   defaults: 5 repetitions, 0.3s per repetition.
#   OURS_BIN=path/to/iree-benchmark-module measures that build instead of
#   building this tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${IREE_BIN:-$root/.venv/bin}"
reps="${1:-5}"
min_time="${2:-0.3s}"
cd "$root"
if [ -n "${OURS_BIN:-}" ]; then
  ours="$OURS_BIN"
else
  cargo build --release --quiet --bin iree-benchmark-module
  ours="$root/target/release/iree-benchmark-module"
fi
ref="$bin/iree-benchmark-module"
[ -x "$ref" ] || { echo "missing $ref (run tools/setup_toolchain.sh)" >&2; exit 1; }
[ -f testdata/bench/add4.vmfb ] || tools/regen_bench.sh
corpus=testdata/corpus
tflite="${TFLITE_DIR:-testdata/tflite}"
cases="${CASES:-matmul_f32 batch_matmul conv2d_nhwc depthwise_conv pooling softmax reductions sort pipeline large_constant_f32 system_library_matmul}"

# name | module | function | inputs (comma-separated --input values)
models=("add4|testdata/bench/add4.vmfb|add4|4xf32=1 2 3 4,4xf32=5 6 7 8")
# Every model of a folder of TFLite .vmfb files, with the first call's
# recorded inputs (the VMVX builds share the llvm-cpu inputs).
tflite_models() {  # row-name-prefix vmfb-dir
  local m name inputs i
  for m in "$2"/*.vmfb; do
    [ -f "$m" ] || continue
    name="$(basename "$m" .vmfb)"
    inputs=()
    for i in "$tflite/inputs/$name".0.*.npy; do
      [ -f "$i" ] && inputs+=("@$i")
    done
    models+=("$1$name|$m|main|$(IFS=,; echo "${inputs[*]}")")
  done
}
[ -d "$tflite" ] && tflite_models tfl: "$tflite"

vmvx_cases="${VMVX_CASES-matmul_f32 conv2d_nhwc pooling softmax}"
corpus_model() {  # row-name-prefix case module-dir
  local line f inputs i
  line="$(awk -F'\t' -v c="$2" '$1 == c' "$corpus/cases.tsv")"
  [ -n "$line" ] || { echo "no corpus case $2" >&2; return; }
  IFS=$'\t' read -r -a f <<<"$line"
  [ -f "$3/${f[1]}.vmfb" ] || { echo "no $3/${f[1]}.vmfb" >&2; return; }
  inputs=()
  for ((i = 0; i < ${#f[@]} - 4; i++)); do
    inputs+=("@$corpus/inputs/$2.$i.npy")
  done
  models+=("$1$2|$3/${f[1]}.vmfb|${f[2]}|$(IFS=,; echo "${inputs[*]}")")
}
for c in $cases; do corpus_model "" "$c" "$corpus"; done
for c in $vmvx_cases; do corpus_model vmvx: "$c" testdata/vmvx/ukernels; done
[ -n "$vmvx_cases" ] && tflite_models vmvx:tfl: testdata/vmvx/tflite

rss_file="$(mktemp)"
trap 'rm -f "$rss_file"' EXIT
# Prints "<median us> <peak RSS KiB>" of one tool on one model.
measure() {
  local out median rss
  local timer=()
  # Without GNU time the RSS columns read "?".
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -v -o "$rss_file")
  : >"$rss_file"
  out="$("${timer[@]}" "$@" --benchmark_repetitions="$reps" \
         --benchmark_min_time="$min_time" --time_unit=us 2>/dev/null)" || true
  median="$(awk '
    /_median/ {
      v = $2; u = $3
      if (u == "ns") v /= 1000; else if (u == "ms") v *= 1000; else if (u == "s") v *= 1e6
      printf "%.2f\n", v; exit
    }' <<<"$out")"
  rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$rss_file")"
  echo "${median:-fail} ${rss:-?}"
}

task_flags=()
[ -n "${TASK_WORKERS:-}" ] && task_flags=(--task_topology_group_count="$TASK_WORKERS")
ratio() { awk -v o="$1" -v r="$2" 'BEGIN { if (r + 0 > 0 && o + 0 > 0) printf "%.2f", o / r; else print "n/a" }'; }
mb() { awk -v k="$1" 'BEGIN { if (k + 0 > 0) printf "%.1f", k / 1024; else print "?" }'; }
echo "reps=$reps min_time=$min_time; $(nproc) cores; task workers: ${TASK_WORKERS:-default}; $(date -u +%FT%TZ)"
echo "sync = local-sync, task = local-task, task1 = ours local-task with 1 worker; ratios ours/ref"
printf '%-30s %10s %10s %6s %10s %10s %6s %8s %10s %8s %8s\n' model \
  "refSync" "oursSync" ratio "refTask" "oursTask" ratio "task/syn" "oursTask1" "refMB" "oursMB"
for m in "${models[@]}"; do
  IFS='|' read -r name module fn inputs <<<"$m"
  args=(--module="$module" --function="$fn")
  if [ -n "$inputs" ]; then
    IFS=',' read -r -a list <<<"$inputs"
    for i in "${list[@]}"; do args+=(--input="$i"); done
  fi
  read -r rs r_rss <<<"$(measure "$ref" "${args[@]}" --device=local-sync)"
  read -r os o_rss <<<"$(measure "$ours" "${args[@]}" --device=local-sync)"
  read -r rt _ <<<"$(measure "$ref" "${args[@]}" --device=local-task "${task_flags[@]}")"
  read -r ot _ <<<"$(measure "$ours" "${args[@]}" --device=local-task "${task_flags[@]}")"
  read -r o1 _ <<<"$(measure "$ours" "${args[@]}" --device=local-task --task_topology_group_count=1)"
  printf '%-30s %10s %10s %6s %10s %10s %6s %8s %10s %8s %8s\n' "$name" \
    "$rs" "$os" "$(ratio "$os" "$rs")" "$rt" "$ot" "$(ratio "$ot" "$rt")" "$(ratio "$ot" "$os")" \
    "$o1" "$(mb "$r_rss")" "$(mb "$o_rss")"
done
