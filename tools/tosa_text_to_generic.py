#!/usr/bin/env python3
"""Rewrites tosa-converter-for-tflite's textual TOSA into a form that the
pinned iree-compile (an older MLIR) parses: the converter prints ops in the
newer MLIR's custom syntax (`tosa.concat %a, %b {axis = 1 : i32} : ...`),
which the older parser rejects, so every `tosa.*` op with operands and an
attribute dictionary is written in the generic form
(`"tosa.concat"(%a, %b) <{axis = 1 : i32}> : ...`) that both versions read.
Ops whose syntax did not change (tosa.variable*, func, return, generic ops)
pass through unchanged.

Usage: tosa_text_to_generic.py IN.mlir OUT.mlir
"""
import re
import sys

# `%r = tosa.op %a, %b {attrs} : (types) -> type` (attrs optional).
OP = re.compile(
    r"^(?P<indent>\s*)(?P<result>%\S+ = )?tosa\.(?P<op>\w+)"
    r"(?P<operands>(?: %[\w#]+,?)*)"
    r"(?: +\{(?P<attrs>.*)\})? : (?P<types>.*)$"
)
# Enum values printed bare inside the attribute dictionary.
ENUMS = ("rounding_mode", "nan_mode")
UNCHANGED = {"variable", "variable_read", "variable_write"}


def fix_attrs(attrs):
    for name in ENUMS:
        attrs = re.sub(rf"\b{name} = ([A-Z_]+)\b", rf"{name} = #tosa<{name}<\1>>", attrs)
    return attrs


def rewrite(line):
    match = OP.match(line)
    if not match or match["op"] in UNCHANGED:
        return line
    operands = ", ".join(o.strip().rstrip(",") for o in match["operands"].split() if o)
    types = match["types"]
    if "->" not in types:
        # Same-type ops print one type; the generic form needs the function type.
        count = len(operands.split(", ")) if operands else 0
        types = f"({', '.join([types] * count)}) -> {types}"
    attrs = match["attrs"]
    props = f" <{{{fix_attrs(attrs)}}}>" if attrs else ""
    return (f'{match["indent"]}{match["result"] or ""}"tosa.{match["op"]}"'
            f"({operands}){props} : {types}")


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source) as f:
        lines = f.read().split("\n")
    with open(target, "w") as f:
        f.write("\n".join(rewrite(line) for line in lines))


if __name__ == "__main__":
    main()
