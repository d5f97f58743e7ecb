//! The bytecode pipeline runs one way: load (`module_def.rs`) -> `Program`
//! -> verify -> translate -> the passes over the translation, with
//! `interp/mod.rs` on top running them. Each stage file may name only
//! stages before it; this test reads the files' paths (`use` trees and
//! inline `super::`/`crate::` paths, test modules excluded) and fails on a
//! path to the same-or-later stage, so no import loop comes back.

use std::path::Path;

/// The stages in pipeline order: file under `src/vm/bytecode`, and its
/// module path under the crate root.
const STAGES: &[(&str, &[&str])] = &[
    ("module_def.rs", &["vm", "bytecode", "module_def"]),
    (
        "interp/opcodes.rs",
        &["vm", "bytecode", "interp", "opcodes"],
    ),
    ("interp/op.rs", &["vm", "bytecode", "interp", "op"]),
    ("interp/code.rs", &["vm", "bytecode", "interp", "code"]),
    (
        "interp/program.rs",
        &["vm", "bytecode", "interp", "program"],
    ),
    ("verifier.rs", &["vm", "bytecode", "verifier"]),
    (
        "interp/translate.rs",
        &["vm", "bytecode", "interp", "translate"],
    ),
    (
        "interp/coalesce.rs",
        &["vm", "bytecode", "interp", "coalesce"],
    ),
    ("interp/invert.rs", &["vm", "bytecode", "interp", "invert"]),
    ("interp/mod.rs", &["vm", "bytecode", "interp"]),
];

/// Submodules of `interp` that are not stages (a path into one of them
/// does not name `interp/mod.rs`).
const INTERP_HELPERS: &[&str] = &["fast", "host_interface", "math", "tests"];

/// The source without comments and without its `#[cfg(test)]` tail.
fn code_of(source: &str) -> String {
    let source = source.split("#[cfg(test)]").next().unwrap_or("");
    source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands a `use` tree (`a::{b, c::{self, d}}`) into its paths.
fn expand(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    let (head, group) = match tree.find('{') {
        Some(open) => (
            &tree[..open],
            Some(&tree[open + 1..tree.rfind('}').unwrap()]),
        ),
        None => (tree, None),
    };
    let mut path = prefix.to_vec();
    for seg in head.split("::").map(str::trim).filter(|s| !s.is_empty()) {
        // `x as y` imports `x`; `self` in a group is the group's prefix.
        let seg = seg.split_whitespace().next().unwrap();
        if seg != "self" || path.is_empty() {
            path.push(seg.to_string());
        }
    }
    let Some(group) = group else {
        out.push(path);
        return;
    };
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&group[start..i], &path, out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand(&group[start..], &path, out);
}

/// Every crate-relative path the code names, as written.
fn paths_of(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = String::new();
    let mut text = code;
    while let Some(at) = text.find("use ") {
        let starts_word = at == 0 || !text[..at].ends_with(is_ident);
        let Some(end) = text[at..].find(';').filter(|_| starts_word) else {
            rest.push_str(&text[..at + 4]);
            text = &text[at + 4..];
            continue;
        };
        rest.push_str(&text[..at]);
        expand(&text[at + 4..at + end], &[], &mut out);
        text = &text[at + end + 1..];
    }
    rest.push_str(text);
    // Inline paths (`super::coalesce::f(..)`) never have groups.
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || !is_ident(chars[i - 1])) {
            let mut j = i;
            while j < chars.len() && (is_ident(chars[j]) || chars[j] == ':') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let segs: Vec<String> = word
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if segs.len() > 1 {
                out.push(segs);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The absolute module path of `path` as written in module `module`, or
/// `None` for a path outside the crate (`std::`, an enum's variants).
fn resolve(module: &[&str], path: &[String]) -> Option<Vec<String>> {
    if !matches!(path.first()?.as_str(), "crate" | "self" | "super") {
        return None;
    }
    let mut abs: Vec<String> = module.iter().map(|s| s.to_string()).collect();
    for seg in path {
        match seg.as_str() {
            "crate" => abs.clear(),
            "self" => {}
            "super" => {
                abs.pop()?;
            }
            _ => abs.push(seg.clone()),
        }
    }
    Some(abs)
}

/// The stage an absolute path points into, if any.
fn stage_of(abs: &[String]) -> Option<usize> {
    STAGES
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| abs.len() >= m.len() && abs.iter().zip(m.iter()).all(|(a, b)| a == b))
        .max_by_key(|(_, (_, m))| m.len())
        .map(|(i, _)| i)
        .filter(|&i| {
            let m = STAGES[i].1;
            // A path into a helper submodule of `interp` is not `interp/mod.rs`.
            m != ["vm", "bytecode", "interp"]
                || abs
                    .get(m.len())
                    .is_none_or(|s| !INTERP_HELPERS.contains(&s.as_str()))
        })
}

/// The backwards (or sideways) paths of stage `index`'s source.
fn violations(index: usize, source: &str) -> Vec<String> {
    let (file, module) = STAGES[index];
    paths_of(&code_of(source))
        .into_iter()
        .filter_map(|p| {
            let abs = resolve(module, &p)?;
            let to = stage_of(&abs)?;
            (to > index).then(|| {
                format!(
                    "{} names {} (stage {}, after stage {}): {}",
                    file,
                    STAGES[to].0,
                    to,
                    index,
                    p.join("::")
                )
            })
        })
        .collect()
}

#[test]
fn each_pipeline_stage_names_only_earlier_stages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/vm/bytecode");
    let mut found = Vec::new();
    for (i, (file, _)) in STAGES.iter().enumerate() {
        let source = std::fs::read_to_string(root.join(file))
            .unwrap_or_else(|e| panic!("reading {file}: {e}"));
        found.extend(violations(i, &source));
    }
    assert!(found.is_empty(), "backwards imports:\n{}", found.join("\n"));
}

#[test]
fn a_backwards_import_is_caught() {
    let translate = STAGES
        .iter()
        .position(|s| s.0 == "interp/translate.rs")
        .unwrap();
    let verifier = STAGES.iter().position(|s| s.0 == "verifier.rs").unwrap();
    let program = STAGES
        .iter()
        .position(|s| s.0 == "interp/program.rs")
        .unwrap();
    let bad = [
        (translate, "use super::invert::invert_loops;"),
        (
            translate,
            "fn f() { super::coalesce::coalesce_moves(a, b, c) }",
        ),
        (
            verifier,
            "use super::interp::{code::Inst, translate::{self, Translation}};",
        ),
        (
            program,
            "use crate::vm::bytecode::verifier::verify_program;",
        ),
        (program, "use super::Globals;"),
    ];
    for (stage, source) in bad {
        assert!(!violations(stage, source).is_empty(), "{source}");
    }
    let fine = [
        (
            translate,
            "use super::program::{bank_of, Program};\nuse super::host_interface::Host;",
        ),
        (
            verifier,
            "use super::interp::program::Program; use super::isa::{self, core};",
        ),
        (
            program,
            "// use super::translate;\nuse crate::vm::cconv::Cconv;",
        ),
    ];
    for (stage, source) in fine {
        assert_eq!(violations(stage, source), Vec::<String>::new(), "{source}");
    }
}
