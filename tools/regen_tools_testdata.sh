#!/usr/bin/env bash
# Records what the reference iree-run-module does for each case in
# testdata/tools/results.cases (one line of flags per case, run against
# results.vmfb) into testdata/tools/results.expected, after recompiling
# results.mlir with the pinned iree-compile. tests/vm_differential.rs
# replays the cases against our tool.
#
# Block format:
#   args: <flags>
#   exit: <exit code>
#   stdout: <one line per stdout line, blank lines included>
#   stderr: <first stderr line, if any>
#   end
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/tools"
cd "$dir"
"$bin/iree-compile" --compile-mode=vm --iree-vm-target-extension-f32 \
  --iree-vm-target-extension-f64 results.mlir -o results.vmfb || exit 1
err="$(mktemp)"
: > results.expected
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  read -r -a args <<< "$line"
  out="$(timeout 10 "$bin/iree-run-module" --module=results.vmfb "${args[@]}" 2>"$err"; echo "rc=$?")"
  rc="${out##*rc=}"
  out="${out%rc=*}"
  {
    echo "args: $line"
    echo "exit: $rc"
    # printf keeps blank lines; the final newline before rc= is dropped.
    printf '%s' "$out" | sed 's/^/stdout: /'
    head -1 "$err" | sed 's/^/stderr: /'
    echo "end"
  } >> results.expected
done < results.cases
rm -f "$err"
echo "recorded $(grep -c '^args:' results.expected) cases"
