#!/usr/bin/env bash
# TfLiteInterpreterInvoke through our TFLite C API against LiteRT's invoke
# (ai-edge-litert, its default XNNPACK delegate) on the same models and
# inputs, 1 and 2 threads, in one run (issue 14). Per model it times:
#   ours .tflite  the original .tflite given to TfLiteModelCreateFromFile,
#                 compiled on first use with the library's default flags
#                 for the host CPU (compile time is not timed; the cache is
#                 a fresh folder unless --cache says otherwise);
#   ours .vmfb    the checked-in testdata/tflite_capi module (compiled for
#                 x86-64-v3, the project's test-data target);
#   LiteRT        the original .tflite.
# Every configuration runs once per round, rounds interleaved so that load
# changes hit all alike; each run does WARMUP untimed and ITERATIONS timed
# invokes in a fresh process. Reported: medians over all timed invokes in
# microseconds, and ratios ours/LiteRT (below 1 = ours is faster). The last
# round's outputs of ours and LiteRT are compared: float elements within
# 1e-4 * max(1, |litert|), quantized ones counted when they differ.
# Nothing is asserted; it only reports. Timings on a shared machine are
# noisy: quote the machine line with the table.
#
# Usage: tools/bench_tflite.sh [options]
#   --lib DIR         folder with libiree_runtime.so (default target/release,
#                     built with cargo when missing)
#   --venv DIR        Python environment with ai-edge-litert==2.3.0, and
#                     tosa-converter-for-tflite and iree-compile for the
#                     .tflite path (default .venv)
#   --tflite-dir DIR  folder with MODEL.tflite (default testdata/tflite)
#   --vmfb-dir DIR    folder with MODEL.vmfb, its .tensors.tsv and
#                     data/MODEL.0.in0.bin inputs (default testdata/tflite_capi)
#   --models "A B"    default: face_detection_short_range hand_recrop okay_nabu
#   --threads "1 2"   thread counts (default "1 2")
#   --rounds N        default 5
#   --iterations N    timed invokes per run (default 40)
#   --warmup N        untimed invokes per run (default 10)
#   --cache DIR       compiled-.tflite cache (default: a fresh temporary one)
#   --no-tflite       skip ours on the .tflite (no compiler toolchain)
#   --no-vmfb         skip ours on the .vmfb
# Needs a C compiler and no network: the three models' .tflite files are
# checked in under testdata/tflite (from the PyPI wheels named in
# testdata/tflite/models.tsv; tools/gen-tflite-models.sh downloads them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lib="$root/target/release"
venv="$root/.venv"
tflite_dir="$root/testdata/tflite"
vmfb_dir="$root/testdata/tflite_capi"
models="face_detection_short_range hand_recrop okay_nabu"
threads="1 2"
rounds=5
iterations=40
warmup=10
cache=""
with_tflite=1
with_vmfb=1
while (($#)); do
  case "$1" in
    --lib) lib="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    --tflite-dir) tflite_dir="$2"; shift 2 ;;
    --vmfb-dir) vmfb_dir="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --no-tflite) with_tflite=0; shift ;;
    --no-vmfb) with_vmfb=0; shift ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -n "$cache" ] || cache="$work/cache"
python="$venv/bin/python"
[ -x "$python" ] || { echo "no Python at $python (--venv)" >&2; exit 1; }
if [ ! -f "$lib/libiree_runtime.so" ]; then
  [ "$lib" = "$root/target/release" ] || { echo "no $lib/libiree_runtime.so" >&2; exit 1; }
  (cd "$root" && cargo build --release --quiet --lib)
fi
driver="$work/bench_tflite_driver"
cc -std=c11 -O2 -Wall -Werror -I"$root/include" "$root/tools/bench_tflite_driver.c" \
  -o "$driver" -L"$lib" -Wl,-rpath,"$lib" -liree_runtime
if ((with_tflite)); then
  export IREE_TFLITE_CONVERTER="$venv/bin/tosa-converter-for-tflite"
  export IREE_COMPILE="$venv/bin/iree-compile"
  export IREE_TFLITE_CACHE_DIR="$cache"
  for tool in "$IREE_TFLITE_CONVERTER" "$IREE_COMPILE"; do
    [ -x "$tool" ] || { echo "no $tool: pass --no-tflite or a --venv with it" >&2; exit 1; }
  done
fi

# The configurations: kind|model|threads|runner|model file|sidecar.
configs=()
for m in $models; do
  [ -f "$tflite_dir/$m.tflite" ] || { echo "no $tflite_dir/$m.tflite" >&2; exit 1; }
  for t in $threads; do
    ((with_tflite)) && configs+=("ours .tflite|$m|$t|ours|$tflite_dir/$m.tflite")
    ((with_vmfb)) && configs+=("ours .vmfb|$m|$t|ours|$vmfb_dir/$m.vmfb")
    configs+=("LiteRT|$m|$t|litert|$tflite_dir/$m.tflite")
  done
done

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "machine: $cpu, $(nproc) CPUs available, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((with_tflite)); then
  # First use compiles (not timed): once per model, before the rounds.
  for m in $models; do
    start=$(date +%s)
    "$driver" "$tflite_dir/$m.tflite" 1 0 1 >/dev/null
    echo "compiled $m.tflite in $(($(date +%s) - start)) s"
  done
fi
for ((r = 0; r < rounds; r++)); do
  for i in "${!configs[@]}"; do
    IFS='|' read -r kind m t runner file <<<"${configs[$i]}"
    inputs=()
    for f in "$vmfb_dir/data/$m.0.in"*.bin; do inputs+=("$f"); done
    out=""
    ((r == rounds - 1)) && out="$work/out.$i"
    if [ "$runner" = ours ]; then
      OUT_PREFIX="$out" "$driver" "$file" "$t" "$warmup" "$iterations" "${inputs[@]}" \
        >>"$work/times.$i"
    else
      OUT_PREFIX="$out" SIDECAR="$vmfb_dir/$m.vmfb.tensors.tsv" "$python" \
        "$root/tools/bench_tflite_litert.py" "$file" "$t" "$warmup" "$iterations" \
        "${inputs[@]}" >>"$work/times.$i" 2>/dev/null
    fi
  done
  echo "round $((r + 1))/$rounds done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
printf '%s\n' "${configs[@]}" >"$work/configs"

"$python" - "$work" "$threads" "$vmfb_dir" <<'PY'
import sys
from pathlib import Path

import numpy as np

work, threads, vmfb_dir = Path(sys.argv[1]), sys.argv[2].split(), Path(sys.argv[3])
configs = [line.split("|") for line in (work / "configs").read_text().splitlines()]
median, outputs = {}, {}
for i, (kind, model, t, _runner, _file) in enumerate(configs):
    samples = [float(x) for x in (work / f"times.{i}").read_text().split()]
    median[kind, model, t] = float(np.median(samples))
    outputs[kind, model, t] = sorted(work.glob(f"out.{i}.out*.bin"),
                                     key=lambda p: int(p.name.split(".out")[-1][:-4]))
kinds = [k for k in ("ours .tflite", "ours .vmfb") if any(c[0] == k for c in configs)]
models = list(dict.fromkeys(c[1] for c in configs))

head = ["Model"] + [f"LiteRT {t}t" for t in threads]
for k in kinds:
    head += [f"{k} {t}t" for t in threads] + [f"{k}/LiteRT {t}t" for t in threads]
print()
print("| " + " | ".join(head) + " |")
print("| " + " | ".join("---" for _ in head) + " |")
for m in models:
    row = [f"`{m}`"] + [f"{median['LiteRT', m, t]:.0f}" for t in threads]
    for k in kinds:
        row += [f"{median[k, m, t]:.0f}" for t in threads]
        row += [f"{median[k, m, t] / median['LiteRT', m, t]:.2f}" for t in threads]
    print("| " + " | ".join(row) + " |")
print("\n(medians in microseconds per TfLiteInterpreterInvoke / LiteRT invoke)")

# Outputs of the last round, ours against LiteRT on the same thread count.
dtypes = {}
for line in vmfb_dir.glob("*.vmfb.tensors.tsv"):
    name = line.name.split(".vmfb")[0]
    for row in line.read_text().splitlines():
        f = row.split("\t")
        if f[0] == "output":
            dtypes[name, int(f[1])] = np.dtype(f[3])
print("\noutputs, ours vs LiteRT (last round):")
for k in kinds:
    for m in models:
        for t in threads:
            notes = []
            for n, (a, b) in enumerate(zip(outputs[k, m, t], outputs["LiteRT", m, t])):
                dt = dtypes.get((m, n), np.dtype("float32"))
                ours, theirs = np.fromfile(a, dt), np.fromfile(b, dt)
                if ours.shape != theirs.shape:
                    notes.append(f"out{n}: {ours.size} vs {theirs.size} elements")
                elif dt.kind == "f":
                    bad = np.abs(ours - theirs) > 1e-4 * np.maximum(1, np.abs(theirs))
                    notes.append(f"out{n}: {int(bad.sum())} of {ours.size} outside 1e-4"
                                 f" (max diff {float(np.max(np.abs(ours - theirs))):.2g})")
                else:
                    diff = np.abs(ours.astype(np.int64) - theirs.astype(np.int64))
                    notes.append(f"out{n}: {int((diff > 0).sum())} of {ours.size} differ"
                                 f" (largest by {int(diff.max())})")
            print(f"  {k} {m} {t}t: " + "; ".join(notes))
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
