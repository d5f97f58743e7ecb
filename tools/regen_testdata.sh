#!/usr/bin/env bash
# Rebuilds testdata/vm/*.vmfb from *.mlir with the pinned iree-compile (and
# from *.vmasm, disassembly-syntax sources for opcodes the compiler cannot
# emit, with the pinned iree-as-module) and records the reference runtime's
# behaviour for every exported function.
#
# Outputs per module M:
#   M.vmfb       compiled module
#   M.expected   one block per export (format in testdata/vm/README.md)
#   M.dump       `iree-dump-module --output=metadata` output
#   M.dis        `iree-dump-module --output=disassembly --bytecode_offsets`
# and testdata/vm/OPCODES.txt (tools/opcodes_report.py).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/vm"
flags=(--compile-mode=vm --iree-vm-target-extension-f32 --iree-vm-target-extension-f64)
cd "$dir"
for src in *.mlir; do
  m="${src%.mlir}"
  "$bin/iree-compile" "${flags[@]}" "$src" -o "$m.vmfb" || { echo "compile failed: $src" >&2; exit 1; }
done
for src in *.vmasm; do
  m="${src%.vmasm}"
  "$bin/iree-as-module" --output="$m.vmfb" "$src" || { echo "assemble failed: $src" >&2; exit 1; }
done
for src in *.mlir *.vmasm; do
  m="${src%.*}"
  # calls and call_forms import from calls_callee, which must load first.
  mods=(--module="$m.vmfb")
  case "$m" in
    calls|call_forms) mods=(--module=calls_callee.vmfb --module="$m.vmfb") ;;
  esac
  "$bin/iree-dump-module" --output=metadata "$m.vmfb" > "$m.dump"
  "$bin/iree-dump-module" --output=disassembly --bytecode_offsets "$m.vmfb" > "$m.dis" 2>&1
  : > "$m.expected"
  for fn in $(grep -oE '^vm\.export @[A-Za-z0-9_]+' "$m.dis" | sed 's/.*@//'); do
    out="$(timeout 10 "$bin/iree-run-module" "${mods[@]}" --function="$fn" 2>/tmp/regen_stderr.$$)"
    rc=$?
    {
      echo "function: $fn"
      echo "exit: $rc"
      echo "$out" | sed 's/^/stdout: /'
      # Only the first line of the status carries the message; later ones
      # hold source paths of the reference build.
      head -1 /tmp/regen_stderr.$$ | sed 's/^/stderr: /'
      echo "end"
    } >> "$m.expected"
  done
done
rm -f /tmp/regen_stderr.$$
python3 "$root/tools/opcodes_report.py" "$dir" > "$dir/OPCODES.txt.new" && mv "$dir/OPCODES.txt.new" "$dir/OPCODES.txt"
echo "regenerated $(ls "$dir"/*.vmfb | wc -l) modules"
