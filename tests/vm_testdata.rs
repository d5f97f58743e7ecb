//! Loads every compiled test module with our loader and compares names,
//! imports and exports with what the reference `iree-dump-module` printed
//! (recorded in testdata/vm/*.dump by tools/regen_testdata.sh).

use iree_runtime::vm::bytecode::module_def::ModuleDef;
use std::fs;
use std::path::Path;

/// Entries `[  i] name(...)` of one section of a metadata dump.
fn section(dump: &str, title: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in dump.lines() {
        if line.trim_end() == title {
            inside = true;
            continue;
        }
        if inside {
            let t = line.trim();
            if t.is_empty() {
                break;
            }
            if let Some(rest) = t.strip_prefix('[').and_then(|r| r.split_once(']')) {
                let entry = rest.1.trim();
                out.push(entry.split('(').next().unwrap_or(entry).to_string());
            }
        }
    }
    out
}

#[test]
fn loader_matches_reference_dump() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/vm");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("vmfb") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let def = ModuleDef::parse(&bytes)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message()));
        let dump = fs::read_to_string(path.with_extension("dump")).unwrap();
        let header = format!("// @{} : version {}", def.name, def.version);
        assert!(
            dump.contains(&header),
            "{}: missing '{}'",
            path.display(),
            header
        );
        let exports: Vec<String> = def.exports.iter().map(|e| e.name.clone()).collect();
        assert_eq!(
            exports,
            section(&dump, "Exported Functions:"),
            "{}",
            path.display()
        );
        let imports: Vec<String> = def
            .imports
            .iter()
            .map(|i| format!("{}{}", if i.optional { "?" } else { "" }, i.name))
            .collect();
        assert_eq!(
            imports,
            section(&dump, "Imported Functions:"),
            "{}",
            path.display()
        );
        assert_eq!(
            def.types,
            section(&dump, "Required Types:"),
            "{}",
            path.display()
        );
        for (i, f) in def.functions.iter().enumerate() {
            assert!(def
                .function_bytecode(&bytes, i)
                .is_some_and(|b| !b.is_empty()));
            assert!(f.block_count >= 1);
        }
        for i in 0..def.rodata.len() {
            assert!(def.rodata_bytes(&bytes, i).is_some());
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} modules found");
}
