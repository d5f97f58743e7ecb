//! The layer rules of docs/DESIGN.md ("Layers"), checked on the sources.
//!
//! Each top-level module of the library is a layer, and a layer may name
//! only the layers listed for it below (through `crate::layer` paths,
//! grouped `use crate::{...}` imports included). In particular the core
//! (`base`, `vm`, `hal`, `modules`, `runtime`, `tflite`, and `abi` beneath
//! it) never names `capi`, `vm` and `hal` never name each other, and `base`
//! names nothing above it. Comments and string literals are not code and
//! are skipped. A new top-level module fails the test until it has a rule.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Every layer and the layers its files may name (besides itself).
/// Kept consistent with /work/shared/architecture.json's arrows and
/// "never" pairs.
const RULES: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("abi", &["base"]),
    ("vm", &["base", "abi"]),
    ("hal", &["base", "abi"]),
    ("modules", &["base", "abi", "vm", "hal"]),
    ("runtime", &["base", "abi", "vm", "hal", "modules"]),
    (
        "tflite",
        &["base", "abi", "vm", "hal", "modules", "runtime"],
    ),
    (
        "capi",
        &["base", "abi", "vm", "hal", "modules", "runtime", "tflite"],
    ),
];

fn layer_names() -> BTreeSet<&'static str> {
    RULES.iter().map(|(name, _)| *name).collect()
}

/// The source with comments and string/char literals blanked out (kept
/// the same length so line numbers stay right).
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, b: u8| out.push(if b == b'\n' { b'\n' } else { b' ' });
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                blank(&mut out, bytes[i]);
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, bytes[i]);
                    i += 1;
                }
            }
        } else if rest.starts_with(b"r#") || rest.starts_with(b"r\"") {
            // Raw string: r#*"..."#*, closed by the same number of hashes.
            let hashes = rest[1..].iter().take_while(|&&b| b == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                out.push(bytes[i]);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let start = i + 2 + hashes;
            let end = bytes[start..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(bytes.len(), |p| start + p + close.len());
            for &b in &bytes[i..end] {
                blank(&mut out, b);
            }
            i = end;
        } else if bytes[i] == b'"' {
            blank(&mut out, bytes[i]);
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                let step = if bytes[i] == b'\\' { 2 } else { 1 };
                for &b in &bytes[i..(i + step).min(bytes.len())] {
                    blank(&mut out, b);
                }
                i += step;
            }
            if i < bytes.len() {
                blank(&mut out, bytes[i]);
                i += 1;
            }
        } else if bytes[i] == b'\'' {
            // A char literal ('x', '\n', '"'); anything else is a lifetime.
            let len = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&b| b == b'\'').map(|p| p + 3)
            } else {
                let c = source[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + c) == Some(&b'\'')).then_some(c + 2)
            };
            match len {
                Some(len) => {
                    for &b in &bytes[i..i + len] {
                        blank(&mut out, b);
                    }
                    i += len;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The layers a file's code names, with the 1-based line of each mention:
/// `crate::name` paths, the first names of grouped `crate::{...}` imports,
/// and any word `capi` at all (the core must not name it in any form).
fn named_layers(code: &str) -> Vec<(usize, String)> {
    let layers = layer_names();
    let bytes = code.as_bytes();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(p) = code[search..].find("crate::") {
        let at = search + p;
        search = at + "crate::".len();
        if at > 0 && is_ident_byte(bytes[at - 1]) {
            continue;
        }
        let mut names = Vec::new();
        if bytes.get(search) == Some(&b'{') {
            // Top-level items of the group: split at depth-1 commas.
            let mut depth = 0;
            let mut item_start = search + 1;
            for (offset, &b) in bytes[search..].iter().enumerate() {
                let here = search + offset;
                match b {
                    b'{' => depth += 1,
                    b'}' | b',' if depth == 1 => {
                        names.push((item_start, &code[item_start..here]));
                        item_start = here + 1;
                        if b == b'}' {
                            break;
                        }
                    }
                    b'}' => depth -= 1,
                    _ => {}
                }
            }
        } else {
            names.push((search, &code[search..]));
        }
        for (start, item) in names {
            let item = item.trim_start();
            let name: String = item
                .bytes()
                .take_while(|&b| is_ident_byte(b))
                .map(char::from)
                .collect();
            if layers.contains(name.as_str()) {
                found.push((line_of(start), name));
            }
        }
    }
    let mut search = 0;
    while let Some(p) = code[search..].find("capi") {
        let at = search + p;
        search = at + 4;
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 4).copied();
        if !before.is_some_and(is_ident_byte) && !after.is_some_and(is_ident_byte) {
            found.push((line_of(at), "capi".to_owned()));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Violations of `layer`'s rule in one file's source.
fn violations(layer: &str, file: &str, source: &str) -> Vec<String> {
    let allowed = RULES
        .iter()
        .find(|(name, _)| *name == layer)
        .map(|(_, allowed)| *allowed)
        .unwrap_or_else(|| panic!("no rule for layer {layer}"));
    named_layers(&code_only(source))
        .into_iter()
        .filter(|(_, name)| name != layer && !allowed.contains(&name.as_str()))
        .map(|(line, name)| format!("{file}:{line}: layer `{layer}` names `{name}`"))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_layer_follows_its_rule() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for (layer, _) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        for file in files {
            let source = fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(&src).unwrap().display().to_string();
            problems.extend(violations(layer, &format!("src/{shown}"), &source));
        }
    }
    assert!(
        problems.is_empty(),
        "layer rules (docs/DESIGN.md, \"Layers\") broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_rule() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let layers = layer_names();
    for line in code_only(&lib).lines() {
        let line = line.trim();
        if let Some(rest) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
        {
            let name = rest.trim_end_matches(';').trim();
            assert!(
                layers.contains(name),
                "src/lib.rs declares module `{name}`, which tests/layering.rs has no rule for"
            );
        }
    }
}

#[test]
fn the_scanner_sees_paths_and_skips_comments() {
    let source = r#"
        //! The engine lives in `capi::base::loop_inline` (a comment).
        use crate::abi::iree_status_t;
        use crate::{hal::Buffer, iree_err, Result};
        const NAME: &str = "crate::capi::x";
        fn f<'a>(c: char) -> bool { c == '"' && crate::vm::cconv::ok() }
        /* crate::hal::nothing */
        use crate::capi::handle;
    "#;
    let found: Vec<String> = violations("base", "x.rs", source);
    assert_eq!(
        found,
        [
            "x.rs:3: layer `base` names `abi`",
            "x.rs:4: layer `base` names `hal`",
            "x.rs:6: layer `base` names `vm`",
            "x.rs:8: layer `base` names `capi`",
        ]
    );
    assert!(violations("vm", "x.rs", "use crate::base::status;\n").is_empty());
    assert_eq!(
        violations("hal", "x.rs", "use crate::vm::list::List;\n"),
        ["x.rs:1: layer `hal` names `vm`"]
    );
}
