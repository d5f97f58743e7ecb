#!/usr/bin/env python3
"""Writes testdata/vm/OPCODES.txt: which ISA opcodes the test modules contain.

Every function body of every testdata/vm/*.vmfb is decoded instruction by
instruction with the operand layouts of src/vm/bytecode/isa.rs (read from the
Rust source, so there is one table). The reference disassembly (`M.dis`) is
only a cross-check: the 3.13 disassembler stops at some opcodes ("unhandled
ext opcode"), loses sync after others (the padding before vm.switch.ref's
list) and misnames some, so it cannot be the source of the list itself.
Each offset it prints must be an instruction start of our decode with the
same opcode, up to the first point where it goes wrong; such points are
listed at the end. Modules the reference rejects at load (an M.expected
without blocks) are decoded but not counted: their code never runs.

Opcodes that no module contains must be listed, with a reason, in
testdata/vm/UNEMITTED.txt; tests/vm_opcode_coverage.rs checks both files.
Usage: opcodes_report.py testdata/vm > testdata/vm/OPCODES.txt
"""
import glob, json, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
d = sys.argv[1]
dump = os.path.join(root, ".venv", "bin", "iree-dump-module")
isa_src = open(os.path.join(root, "src", "vm", "bytecode", "isa.rs")).read()

# --- ISA tables from isa.rs -------------------------------------------------
SETS = (("core", None), ("f32op", 0xE0), ("f64op", 0xE1))
names = {}  # (prefix, op) -> constant name
consts = {}  # set -> {NAME: op}
for mod, prefix in SETS:
    body = re.search(r"pub mod %s \{(.*?)\n\}" % mod, isa_src, re.S).group(1)
    consts[mod] = {}
    for name, val in re.findall(r"pub const (\w+): u8 = 0x([0-9A-Fa-f]+);", body):
        consts[mod][name] = int(val, 16)
        if not name.startswith("PREFIX_"):
            names[(prefix, int(val, 16))] = name

aliases = dict(re.findall(r"const (\w+): &\[Field\] = &\[([^\]]*)\];", isa_src))


def fields(text):
    text = text.strip().strip("{}").strip()
    if text.startswith("&["):
        text = text[2:-1]
    elif text in aliases:
        text = aliases[text]
    elif text == "&[]":
        text = ""
    return [f.strip() for f in re.split(r",\s*(?![^()]*\))", text) if f.strip()]


layouts = {}  # (prefix, op) -> [field]
for fn, (mod, prefix) in zip(("core_layout", "f32_layout", "f64_layout"), SETS):
    body = re.search(r"pub fn %s\(op: u8\).*?Some\(match op \{(.*?)_ => return None" % fn, isa_src, re.S).group(1)
    arm = re.compile(r"((?:\|?\s*[A-Z][A-Z0-9_]*\s*)+)=>\s*(\{\s*[A-Z0-9_]+\s*\}|&\[[^\]]*\]|[A-Z][A-Z0-9_]*)\s*,?")
    for lhs, rhs in arm.findall(body):
        for name in re.findall(r"[A-Z][A-Z0-9_]*", lhs):
            layouts[(prefix, consts[mod][name])] = fields(rhs)
BLOCK = consts["core"]["BLOCK"]


def decode(code):
    """Yields (offset, prefix, op) for every instruction of one function body."""
    pc = 0

    def u16():
        nonlocal pc
        v = code[pc] | code[pc + 1] << 8
        pc += 2
        return v

    def align():
        nonlocal pc
        pc = (pc + 1) & ~1

    while pc < len(code):
        start, op, prefix = pc, code[pc], None
        pc += 1
        if op in (0xE0, 0xE1):
            prefix, op = op, code[pc]
            pc += 1
        if prefix is None and op == BLOCK:
            yield start, None, BLOCK
            continue
        lay = layouts.get((prefix, op))
        if lay is None:
            raise ValueError("unknown opcode %s %02X at %08X" % (prefix, op, start))
        for f in lay:
            if f in ("R32", "R64", "RRef", "W32", "W64", "WRef"):
                pc += 2
            elif f == "Imm64":
                pc += 8
            elif f in ("Imm32", "GlobalRef", "Rodata", "Func", "Type", "Target") or f.startswith("GlobalOffset"):
                pc += 4
            elif f == "Str":
                n = u16()
                pc += n
            elif f == "Remap":
                align()
                n = u16()
                pc += 4 * n
            elif f in ("List", "List32", "List64", "ListRef", "Results"):
                align()
                n = u16()
                pc += 2 * n
            elif f == "Cases":
                for _ in range(u16()):
                    pc += 4
                    align()
                    n = u16()
                    pc += 4 * n
            else:
                raise ValueError("unknown field " + f)
        if pc > len(code):
            raise ValueError("instruction at %08X runs past the function end" % start)
        yield start, prefix, op


# --- decode every module ------------------------------------------------------
seen = {}  # (prefix, op) -> set(modules)
notes = []
for vmfb in sorted(glob.glob(os.path.join(d, "*.vmfb"))):
    m = os.path.basename(vmfb)[:-5]
    expected = os.path.join(d, m + ".expected")
    rejected = os.path.exists(expected) and "function: " not in open(expected).read()
    if rejected:
        notes.append("%s: rejected by the reference at load; its opcodes are not counted" % m)
    fbj = json.loads(subprocess.run([dump, "--output=flatbuffer-json", vmfb], capture_output=True, text=True).stdout)
    data = fbj.get("bytecode_data", [])
    descs = fbj.get("function_descriptors", [])
    starts = []  # per function: {offset: (prefix, op)}
    for desc in descs:
        off = desc.get("bytecode_offset", 0)
        code = data[off:off + desc.get("bytecode_length", 0)]
        insts = {}
        try:
            for at, prefix, op in decode(code):
                insts[at] = (prefix, op)
                if not rejected:
                    seen.setdefault((prefix, op), set()).add(m)
        except (ValueError, IndexError) as e:
            notes.append("%s function %d: decode stopped: %s" % (m, len(starts), e))
        starts.append(insts)
    # Cross-check against the reference disassembly, function by function.
    dis = open(os.path.join(d, m + ".dis")).read().splitlines()
    fn, fname, broken = -1, "", False
    for line in dis:
        if line.startswith("vm.func "):
            fn += 1
            fname = re.match(r"vm\.func @(\w+)", line).group(1)
            broken = False
            continue
        if re.match(r"\S+\.c:\d+: ", line):
            if not broken:
                notes.append("%s.%s: disassembler stopped: %s" % (m, fname or "?", line.split(": ", 1)[1][:100]))
            broken = True
            continue
        if fn < 0 or fn >= len(starts) or broken:
            continue
        x = re.match(r"\[([0-9A-F]{8})\]\s+(?:.*= )?(vm\.[a-z0-9_.]+)", line)
        if not x:
            continue
        at = int(x.group(1), 16)
        if starts[fn].get(at) is None:
            notes.append("%s.%s: disassembler lost sync at %08X (%s is not an instruction start)" % (m, fname, at, x.group(2)))
            broken = True

# --- output ---------------------------------------------------------------------
unemitted = {}
upath = os.path.join(d, "UNEMITTED.txt")
for line in open(upath) if os.path.exists(upath) else []:
    x = re.match(r"([-0-9A-Fa-f]+) ([0-9A-Fa-f]{2}) (\S+): (.*)", line)
    if x:
        p = None if x.group(1) == "-" else int(x.group(1), 16)
        unemitted[(p, int(x.group(2), 16))] = x.group(4)


def order(key):
    return (-1 if key[0] is None else key[0], key[1])


def pfx(p):
    return "-" if p is None else "%02X" % p


print("# ISA opcodes contained in the testdata/vm modules (iree-compile 3.13, and")
print("# iree-as-module 3.13 for *.vmasm), decoded with the layouts of")
print("# src/vm/bytecode/isa.rs by tools/opcodes_report.py; checked by")
print("# tests/vm_opcode_coverage.rs.")
print("# prefix opcode name modules   (prefix '-' = core, E0 = ExtF32, E1 = ExtF64;")
print("# name = the constant in isa.rs)")
for key in sorted(seen, key=order):
    print("%s %02X %s %s" % (pfx(key[0]), key[1], names.get(key, "?"), ",".join(sorted(seen[key]))))
print()
print("# ISA opcodes no module contains; reasons from testdata/vm/UNEMITTED.txt.")
for key in sorted(names, key=order):
    if key not in seen:
        print("unemitted %s %02X %s: %s" % (pfx(key[0]), key[1], names[key], unemitted.get(key, "MISSING FROM UNEMITTED.txt")))
print()
print("# Where the reference disassembly (M.dis) stops or disagrees with the decode.")
for n in notes:
    print("note " + n)
