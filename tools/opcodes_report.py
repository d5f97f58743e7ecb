#!/usr/bin/env python3
"""Lists the opcodes the test modules exercise, read from the bytes at each
disassembled instruction offset, plus VM dialect ops never seen."""
import glob, json, os, re, subprocess, sys

d = sys.argv[1]
venv = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv")
dump = os.path.join(venv, "bin", "iree-dump-module")
seen = {}  # (prefix, opcode) -> (mnemonic, set(modules))
for vmfb in sorted(glob.glob(os.path.join(d, "*.vmfb"))):
    m = os.path.basename(vmfb)[:-5]
    fbj = json.loads(subprocess.run([dump, "--output=flatbuffer-json", vmfb], capture_output=True, text=True).stdout)
    code = fbj.get("bytecode_data", [])
    descs = fbj.get("function_descriptors", [])
    dis = open(os.path.join(d, m + ".dis")).read().splitlines()
    fn = -1
    for line in dis:
        if line.startswith("vm.func "):
            fn += 1
            continue
        x = re.match(r"\[([0-9A-F]{8})\]\s+(?:.*= )?(vm\.[a-z0-9_.]+)", line)
        if not x or fn < 0 or fn >= len(descs):
            continue
        pc = descs[fn].get("bytecode_offset", 0) + int(x.group(1), 16)
        op = code[pc]
        key = (op, code[pc + 1]) if op in (0xE0, 0xE1) else (None, op)
        seen.setdefault(key, [x.group(2), set()])[1].add(m)
print("# Opcodes emitted by iree-compile 3.13 into testdata/vm modules.")
print("# prefix opcode mnemonic modules   (prefix '-' = core, E0 = ExtF32, E1 = ExtF64)")
for (p, o), (name, mods) in sorted(seen.items(), key=lambda kv: (-1 if kv[0][0] is None else kv[0][0], kv[0][1])):
    print(f"{'-' if p is None else format(p, '02X')} {o:02X} {name} {','.join(sorted(mods))}")
names = {v[0] for v in seen.values()}
gen = os.path.join(venv, "lib")
ops = set()
for f in glob.glob(os.path.join(gen, "python3*", "site-packages", "iree", "compiler", "dialects", "_vm_ops_gen.py")):
    ops |= set(re.findall(r'OPERATION_NAME = "(vm\.[^"]*)"', open(f).read()))
print()
print("# VM dialect ops (3.13) with no opcode observed above: pseudo ops that")
print("# lower to others (cmp.gt/gte, check.*, global.address, ...), structural")
print("# ops, or ops the compiler folds away (global.*.indirect).")
for o in sorted(ops - names):
    print(f"unobserved {o}")
