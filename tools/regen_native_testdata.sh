#!/usr/bin/env bash
# Rebuilds testdata/native/*.vmfb from *.mlir with the pinned iree-compile
# (same flags as tools/regen_testdata.sh) and writes the disassembly M.dis.
# These modules import from native modules that only the C tests define, so
# the reference iree-run-module cannot run them and they stay out of
# testdata/vm/.
#
# The C test that runs M embeds M.vmfb as a byte array between the lines
# `// BEGIN GENERATED <M>.vmfb` and `// END GENERATED <M>.vmfb`; this script
# rewrites that region (xxd -i style, 12 bytes a line) in every c_tests/*.c
# that has one. tests/native_testdata.rs checks the two stay equal.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/native"
flags=(--compile-mode=vm --iree-vm-target-extension-f32 --iree-vm-target-extension-f64)
cd "$dir"
for src in *.mlir; do
  m="${src%.mlir}"
  "$bin/iree-compile" "${flags[@]}" "$src" -o "$m.vmfb"
  "$bin/iree-dump-module" --output=disassembly --bytecode_offsets "$m.vmfb" > "$m.dis" 2>&1
  python3 - "$root" "$m" <<'PY'
import glob, os, re, sys
root, m = sys.argv[1], sys.argv[2]
data = open(os.path.join(root, "testdata", "native", m + ".vmfb"), "rb").read()
ident = re.sub(r"\W", "_", m) + "_vmfb"
lines = ["static const uint8_t %s[%d] = {" % (ident, len(data))]
for i in range(0, len(data), 12):
    lines.append("    " + " ".join("0x%02x," % b for b in data[i:i + 12]))
lines.append("};")
begin, end = "// BEGIN GENERATED %s.vmfb" % m, "// END GENERATED %s.vmfb" % m
pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.S)
for path in sorted(glob.glob(os.path.join(root, "c_tests", "*.c"))):
    text = open(path).read()
    if begin not in text:
        continue
    text = pattern.sub(lambda _: "\n".join([begin] + lines + [end]), text)
    open(path, "w").write(text)
    print("updated %s (%s.vmfb, %d bytes)" % (os.path.relpath(path, root), m, len(data)))
PY
done
