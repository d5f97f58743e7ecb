//! testdata/native/*.vmfb are bytecode modules that import from native
//! modules defined only by C tests, so unlike testdata/vm/ no reference run
//! records their behaviour: the C test that embeds each one checks it.
//! This keeps the pieces in step: every module loads and verifies with our
//! loader, its committed disassembly (M.dis, from the reference
//! iree-dump-module) shows the call opcodes it is there for, and the array
//! embedded in the C test between `// BEGIN GENERATED M.vmfb` and
//! `// END GENERATED M.vmfb` is byte for byte the committed M.vmfb.
//! Regenerate with `tools/regen_native_testdata.sh`.

use iree_runtime::vm::bytecode::module::BytecodeModule;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bytes of the `0x..` literals between the markers, if present.
fn embedded_bytes(source: &str, module: &str) -> Option<Vec<u8>> {
    let begin = format!("// BEGIN GENERATED {module}.vmfb\n");
    let end = format!("// END GENERATED {module}.vmfb");
    let start = source.find(&begin)? + begin.len();
    let body = &source[start..start + source[start..].find(&end)?];
    let array = &body[body.find('{').expect("array body")..];
    Some(
        array
            .split(|c: char| c == ',' || c.is_whitespace() || c == '{' || c == '}' || c == ';')
            .filter(|t| !t.is_empty())
            .map(|t| {
                let hex = t
                    .strip_prefix("0x")
                    .unwrap_or_else(|| panic!("token `{t}`"));
                u8::from_str_radix(hex, 16).unwrap()
            })
            .collect(),
    )
}

fn c_tests_embedding(module: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root().join("c_tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        if let Some(bytes) = embedded_bytes(&text, module) {
            out.push((path, bytes));
        }
    }
    out
}

fn modules(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("vmfb"))
        .collect();
    out.sort();
    out
}

#[test]
fn embedded_modules_match_the_committed_files() {
    let all = modules(&root().join("testdata/native"));
    assert!(!all.is_empty(), "no testdata/native/*.vmfb");
    for path in all {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let bytes = fs::read(&path).unwrap();
        BytecodeModule::from_vec(bytes.clone())
            .unwrap_or_else(|e| panic!("{name}.vmfb does not load: {}", e.message()));
        let embedders = c_tests_embedding(&name);
        assert!(!embedders.is_empty(), "no c_tests/*.c embeds {name}.vmfb");
        for (c_file, embedded) in embedders {
            assert!(
                embedded == bytes,
                "{} embeds a {}-byte {name}.vmfb, the file has {} bytes or differs; \
                 run tools/regen_native_testdata.sh",
                c_file.display(),
                embedded.len(),
                bytes.len()
            );
        }
    }
}

#[test]
fn variadic_module_contains_both_variadic_call_opcodes() {
    let dir = root().join("testdata/native");
    let dis = fs::read_to_string(dir.join("variadic.dis")).unwrap();
    let count = |needle: &str| dis.matches(needle).count();
    // 0x59 CALL_VARIADIC and 0x88 CALL_VARIADIC_YIELDABLE.
    assert!(count("vm.call.variadic @") >= 10, "{dis}");
    assert_eq!(count("vm.call.variadic.yieldable @"), 1, "{dis}");
    let bytes = fs::read(dir.join("variadic.vmfb")).unwrap();
    let module = BytecodeModule::from_vec(bytes).unwrap();
    let imports: Vec<(String, String)> = module
        .def()
        .imports
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                i.signature.cconv.clone().unwrap_or_default(),
            )
        })
        .collect();
    let want = [
        ("native.sum", "0CiD_i"),
        ("native.dot", "0CiiD_i"),
        ("native.scaled_sum", "0iCiD_i"),
        ("native.mix", "0CiDiCiD_i"),
        ("native.sum64", "0CID_I"),
        ("native.lengths", "0CrD_i"),
        ("native.fail", "0iCiD_i"),
        ("native.sum_yieldable", "0CiD_i"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect();
    assert_eq!(imports, want, "the C module exports these signatures");
}
