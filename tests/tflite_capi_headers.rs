//! The TFLite headers (include/tensorflow/lite/c/*.h) are written by hand,
//! so this keeps them honest: the functions they declare (outside the
//! `IREE_TFLITE_DECLARE_UNIMPLEMENTED` guard) are exactly the `TfLite*`
//! functions src/capi/tflite exports, and the built shared library exports
//! each of them.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use support::{library_artifact, on_path, repo_root};

/// The name of every `TfLite*` function declared in the headers, skipping
/// the guarded block of unimplemented ones.
fn declared() -> BTreeSet<String> {
    let dir = repo_root().join("include/tensorflow/lite/c");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut guarded = false;
        let mut declaration = String::new();
        let mut in_declaration = false;
        for line in text.lines() {
            if line.starts_with("#if defined(IREE_TFLITE_DECLARE_UNIMPLEMENTED)") {
                guarded = true;
            } else if guarded && line.starts_with("#endif") {
                guarded = false;
            }
            if guarded {
                continue;
            }
            if line.starts_with("TFL_CAPI_EXPORT extern") {
                in_declaration = true;
                declaration.clear();
            }
            if !in_declaration {
                continue;
            }
            declaration.push_str(line);
            declaration.push(' ');
            if let Some(open) = declaration.find('(') {
                let name = declaration[..open]
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .rfind(|w| !w.is_empty())
                    .unwrap_or_default();
                assert!(name.starts_with("TfLite"), "odd declaration: {declaration}");
                names.insert(name.to_owned());
                in_declaration = false;
            }
        }
    }
    names
}

/// The name of every `extern "C" fn TfLite*` in src/capi/tflite.
fn exported() -> BTreeSet<String> {
    let dir = repo_root().join("src/capi/tflite");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(rest) = line.split("extern \"C\" fn ").nth(1) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.starts_with("TfLite") {
                    names.insert(name);
                }
            }
        }
    }
    names
}

#[test]
fn headers_declare_exactly_what_the_library_exports() {
    let (declared, exported) = (declared(), exported());
    assert!(
        declared.len() >= 30,
        "only {} declarations found",
        declared.len()
    );
    let missing: Vec<_> = declared.difference(&exported).collect();
    let undeclared: Vec<_> = exported.difference(&declared).collect();
    assert!(
        missing.is_empty() && undeclared.is_empty(),
        "declared but not exported: {missing:?}; exported but not declared: {undeclared:?}"
    );
    // The dlopen example resolves every declared function by name.
    let example =
        std::fs::read_to_string(repo_root().join("examples/tflite_dlopen/main.c")).unwrap();
    let unresolved: Vec<_> = declared
        .iter()
        .filter(|n| !example.contains(&format!("X({n})")))
        .collect();
    assert!(
        unresolved.is_empty(),
        "examples/tflite_dlopen/main.c does not resolve {unresolved:?}"
    );
    if !on_path("nm") {
        return;
    }
    let library = library_artifact("libiree_runtime.so");
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&library)
        .output()
        .unwrap();
    let symbols = String::from_utf8_lossy(&out.stdout);
    let dynamic: BTreeSet<&str> = symbols
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let absent: Vec<_> = declared
        .iter()
        .filter(|n| !dynamic.contains(n.as_str()))
        .collect();
    assert!(
        absent.is_empty(),
        "{} does not export {absent:?}",
        library.display()
    );
}
