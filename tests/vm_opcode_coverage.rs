//! Every opcode of the VM ISA (the constants of `src/vm/bytecode/isa.rs`,
//! modules `core`, `f32op`, `f64op`, less the two extension prefixes) must be
//! exercised by a testdata/vm module, as listed in `testdata/vm/OPCODES.txt`,
//! or be listed with a reason in `testdata/vm/UNEMITTED.txt`
//! (`<prefix> <hex> <NAME>: <reason>`, prefix `-`, `E0` or `E1`).
//!
//! The lists are kept honest both ways: an opcode listed as unemitted that
//! a module contains fails (stale list), and the opcode lines of
//! OPCODES.txt must be exactly what the committed `*.vmfb` files contain
//! (decoded here with the crate's operand layouts; modules the reference
//! rejects at load, with an `M.expected` without blocks, do not count).
//! Regenerate with `tools/regen_testdata.sh`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use iree_runtime::vm::bytecode::isa::{self, Field};
use iree_runtime::vm::bytecode::module_def::ModuleDef;

/// `None` for core opcodes, else the extension prefix byte.
type Key = (Option<u8>, u8);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fmt_key(k: Key) -> String {
    match k.0 {
        None => format!("- {:02X}", k.1),
        Some(p) => format!("{p:02X} {:02X}", k.1),
    }
}

fn parse_prefix(s: &str) -> Option<Option<u8>> {
    match s {
        "-" => Some(None),
        "E0" | "e0" => Some(Some(isa::core::PREFIX_EXT_F32)),
        "E1" | "e1" => Some(Some(isa::core::PREFIX_EXT_F64)),
        _ => None,
    }
}

/// `pub const NAME: u8 = 0xNN;` lines of `pub mod <name> { ... }`.
fn isa_opcodes(src: &str) -> BTreeMap<Key, String> {
    let mut out = BTreeMap::new();
    for (module, prefix) in [
        ("core", None),
        ("f32op", Some(isa::core::PREFIX_EXT_F32)),
        ("f64op", Some(isa::core::PREFIX_EXT_F64)),
    ] {
        let head = format!("pub mod {module} {{");
        let start = src
            .find(&head)
            .unwrap_or_else(|| panic!("isa.rs has no `{head}`"));
        let body = &src[start + head.len()..];
        let body = &body[..body.find("\n}").expect("end of module")];
        let mut n = 0;
        for line in body.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else {
                continue;
            };
            let (name, value) = rest.split_once(": u8 = ").expect("u8 constant");
            let hex = value.trim_end_matches(';').trim_start_matches("0x");
            let op = u8::from_str_radix(hex, 16).expect("hex opcode");
            if name.starts_with("PREFIX_") {
                continue;
            }
            let old = out.insert((prefix, op), name.to_owned());
            assert!(old.is_none(), "isa.rs: {module} opcode {op:#04x} twice");
            n += 1;
        }
        assert!(n > 50, "isa.rs: only {n} opcodes in `{module}`");
    }
    out
}

/// Opcode lines of OPCODES.txt: `<prefix> <hex> <NAME> <module,...>`.
fn observed(text: &str) -> BTreeMap<Key, (String, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut it = line.split_whitespace();
        let (Some(p), Some(h), Some(name), Some(mods)) =
            (it.next(), it.next(), it.next(), it.next())
        else {
            continue;
        };
        let Some(prefix) = parse_prefix(p) else {
            continue;
        };
        let op = u8::from_str_radix(h, 16).unwrap_or_else(|_| panic!("OPCODES.txt: `{line}`"));
        let mods = mods.split(',').map(str::to_owned).collect();
        assert!(
            out.insert((prefix, op), (name.to_owned(), mods)).is_none(),
            "OPCODES.txt lists {p} {h} twice"
        );
    }
    out
}

/// UNEMITTED.txt entries: `<prefix> <hex> <NAME>: <reason>`; `#` comments.
fn unemitted(text: &str) -> Result<BTreeMap<Key, (String, String)>, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("UNEMITTED.txt: malformed line `{line}`");
        let (head, reason) = line.split_once(": ").ok_or_else(bad)?;
        let mut it = head.split_whitespace();
        let (Some(p), Some(h), Some(name), None) = (it.next(), it.next(), it.next(), it.next())
        else {
            return Err(bad());
        };
        let prefix = parse_prefix(p).ok_or_else(bad)?;
        let op = u8::from_str_radix(h, 16).map_err(|_| bad())?;
        if reason.trim().is_empty() {
            return Err(format!("UNEMITTED.txt: `{head}` gives no reason"));
        }
        if out
            .insert((prefix, op), (name.to_owned(), reason.trim().to_owned()))
            .is_some()
        {
            return Err(format!("UNEMITTED.txt lists {p} {h} twice"));
        }
    }
    Ok(out)
}

/// Problems with the three lists: ISA opcodes neither observed nor
/// unemitted, stale unemitted entries, unknown opcodes, wrong names.
fn coverage_problems(
    isa: &BTreeMap<Key, String>,
    seen: &BTreeMap<Key, (String, BTreeSet<String>)>,
    skipped: &BTreeMap<Key, (String, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (&k, name) in isa {
        match (seen.contains_key(&k), skipped.contains_key(&k)) {
            (false, false) => problems.push(format!(
                "{} {name}: in no test module and not in UNEMITTED.txt",
                fmt_key(k)
            )),
            (true, true) => problems.push(format!(
                "{} {name}: listed in UNEMITTED.txt but exercised by {:?} (stale entry)",
                fmt_key(k),
                seen[&k].1
            )),
            _ => {}
        }
    }
    for (file, names) in [
        (
            "OPCODES.txt",
            seen.iter().map(|(k, v)| (*k, &v.0)).collect::<Vec<_>>(),
        ),
        (
            "UNEMITTED.txt",
            skipped.iter().map(|(k, v)| (*k, &v.0)).collect(),
        ),
    ] {
        for (k, name) in names {
            match isa.get(&k) {
                None => problems.push(format!(
                    "{file}: {} {name} is not an ISA opcode",
                    fmt_key(k)
                )),
                Some(n) if n != name => problems.push(format!(
                    "{file}: {} is {n} in isa.rs, not {name}",
                    fmt_key(k)
                )),
                _ => {}
            }
        }
    }
    problems
}

/// Walks one function body with the crate's operand layouts and returns the
/// opcodes of its instructions (block markers included).
fn decode(code: &[u8]) -> Result<Vec<Key>, String> {
    let mut ops = Vec::new();
    let mut pc = 0usize;
    let u16_at = |pc: &mut usize| -> Result<usize, String> {
        let v = isa::read_u16(code, *pc).ok_or("truncated u16")?;
        *pc += 2;
        Ok(v as usize)
    };
    while pc < code.len() {
        let start = pc;
        let mut op = code[pc];
        pc += 1;
        let mut prefix = None;
        if op == isa::core::PREFIX_EXT_F32 || op == isa::core::PREFIX_EXT_F64 {
            prefix = Some(op);
            op = *code.get(pc).ok_or("truncated prefix")?;
            pc += 1;
        }
        let layout = match prefix {
            None => isa::core_layout(op),
            Some(isa::core::PREFIX_EXT_F32) => isa::f32_layout(op),
            Some(_) => isa::f64_layout(op),
        }
        .ok_or_else(|| format!("unknown opcode {:?} {op:#04x} at {start:#x}", prefix))?;
        for field in layout {
            match field {
                Field::R32 | Field::R64 | Field::RRef | Field::W32 | Field::W64 | Field::WRef => {
                    pc += 2
                }
                Field::Imm64 => pc += 8,
                Field::Imm32
                | Field::GlobalOffset(_)
                | Field::GlobalRef
                | Field::Rodata
                | Field::Func
                | Field::Type
                | Field::Target => pc += 4,
                Field::Str => pc += u16_at(&mut pc)?,
                Field::Remap => {
                    pc = (pc + 1) & !1;
                    pc += 4 * u16_at(&mut pc)?;
                }
                Field::List | Field::List32 | Field::List64 | Field::ListRef | Field::Results => {
                    pc = (pc + 1) & !1;
                    pc += 2 * u16_at(&mut pc)?;
                }
                Field::Cases => {
                    for _ in 0..u16_at(&mut pc)? {
                        pc += 4;
                        pc = (pc + 1) & !1;
                        pc += 4 * u16_at(&mut pc)?;
                    }
                }
            }
        }
        if pc > code.len() {
            return Err(format!("instruction at {start:#x} runs past the end"));
        }
        ops.push((prefix, op));
    }
    Ok(ops)
}

/// Opcodes contained in the committed modules, with the modules holding each.
fn decoded_modules(dir: &Path) -> BTreeMap<Key, BTreeSet<String>> {
    let mut out: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    let mut modules = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("vmfb") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let expected = fs::read_to_string(path.with_extension("expected")).unwrap_or_default();
        if !expected.contains("function: ") {
            continue; // rejected by the reference at load: never runs
        }
        let bytes = fs::read(&path).unwrap();
        let def = ModuleDef::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for i in 0..def.functions.len() {
            let code = def.function_bytecode(&bytes, i).expect("function bytecode");
            for k in decode(code).unwrap_or_else(|e| panic!("{name} function {i}: {e}")) {
                out.entry(k).or_default().insert(name.clone());
            }
        }
        modules += 1;
    }
    assert!(modules >= 15, "only {modules} runnable modules");
    out
}

#[test]
fn every_isa_opcode_is_exercised_or_explained() {
    let isa_src = fs::read_to_string(root().join("src/vm/bytecode/isa.rs")).unwrap();
    let isa = isa_opcodes(&isa_src);
    let dir = root().join("testdata/vm");
    let seen = observed(&fs::read_to_string(dir.join("OPCODES.txt")).unwrap());
    let skipped = unemitted(&fs::read_to_string(dir.join("UNEMITTED.txt")).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = coverage_problems(&isa, &seen, &skipped);
    assert!(
        problems.is_empty(),
        "opcode coverage:\n{}",
        problems.join("\n")
    );
    eprintln!(
        "{} ISA opcodes: {} exercised, {} listed as unemitted",
        isa.len(),
        seen.len(),
        skipped.len()
    );
}

#[test]
fn opcodes_txt_matches_the_modules() {
    let dir = root().join("testdata/vm");
    let listed = observed(&fs::read_to_string(dir.join("OPCODES.txt")).unwrap());
    let decoded = decoded_modules(&dir);
    let mut diffs = Vec::new();
    for (k, mods) in &decoded {
        match listed.get(k) {
            None => diffs.push(format!(
                "{}: in {mods:?}, missing from OPCODES.txt",
                fmt_key(*k)
            )),
            Some((_, l)) if l != mods => diffs.push(format!(
                "{}: OPCODES.txt says {l:?}, modules {mods:?}",
                fmt_key(*k)
            )),
            _ => {}
        }
    }
    for k in listed.keys().filter(|k| !decoded.contains_key(k)) {
        diffs.push(format!(
            "{}: in OPCODES.txt but in no runnable module",
            fmt_key(*k)
        ));
    }
    assert!(
        diffs.is_empty(),
        "OPCODES.txt is stale (run tools/regen_testdata.sh):\n{}",
        diffs.join("\n")
    );
}

#[test]
fn isa_constants_and_layouts_agree() {
    let isa = isa_opcodes(&fs::read_to_string(root().join("src/vm/bytecode/isa.rs")).unwrap());
    for op in 0..=255u8 {
        for (prefix, layout) in [
            (None, isa::core_layout(op)),
            (Some(isa::core::PREFIX_EXT_F32), isa::f32_layout(op)),
            (Some(isa::core::PREFIX_EXT_F64), isa::f64_layout(op)),
        ] {
            assert_eq!(
                layout.is_some(),
                isa.contains_key(&(prefix, op)),
                "{}: constant and layout disagree",
                fmt_key((prefix, op))
            );
        }
    }
}

#[test]
fn the_checks_catch_missing_and_stale_entries() {
    let isa: BTreeMap<Key, String> = [
        ((None, 0x00), "A".to_owned()),
        ((None, 0x01), "B".to_owned()),
        ((Some(0xE0), 0x02), "C".to_owned()),
    ]
    .into();
    let seen = observed("# c\n- 00 A m1,m2\nE0 02 C m2\n");
    assert_eq!(seen[&(Some(0xE0), 0x02)].1.len(), 1);
    let none = unemitted("# nothing\n").unwrap();
    let missing = coverage_problems(&isa, &seen, &none);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].starts_with("- 01 B: in no test module"));
    let listed = unemitted("- 01 B: the compiler folds it\n").unwrap();
    assert!(coverage_problems(&isa, &seen, &listed).is_empty());
    let stale = unemitted("- 01 B: folded\nE0 02 C: never emitted\n").unwrap();
    let p = coverage_problems(&isa, &seen, &stale);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("stale"));
    let wrong = unemitted("- 01 X: folded\n- 7F Y: nope\n").unwrap();
    assert_eq!(coverage_problems(&isa, &seen, &wrong).len(), 2);
    assert!(unemitted("- 01 B:    \n").is_err());
    assert!(unemitted("- 01 B no colon\n").is_err());
    assert!(unemitted("- 01 B: a\n- 01 B: b\n").is_err());
}
