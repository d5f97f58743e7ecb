//! The library users link carries only the runtime: no code of the
//! command-line tools (`crates/iree-tools`) and no test hook (the
//! `test-hooks` feature, `src/capi/testing.rs`). Checks the exported
//! symbols of `libiree_runtime.so` (`nm -D --defined-only`) and every symbol
//! defined in `libiree_runtime.a` (`nm --defined-only`, demangled), in both
//! places a build leaves them (`target/<profile>` and its `deps/`).
//!
//! To show that the patterns would catch a hook, the `test-hooks` build is
//! checked to export every hook the header declares.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{library_artifact, on_path, profile_dir, test_hooks_library_dir, test_include_dir};

/// Every function `runtime_hooks.h` declares: the identifiers that open a
/// parenthesis on a line that is not a comment.
fn hook_names() -> Vec<String> {
    let header = test_include_dir().join("iree/testing/runtime_hooks.h");
    let text = std::fs::read_to_string(&header).expect("read runtime_hooks.h");
    let names: Vec<String> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//") && !line.starts_with('#'))
        .filter_map(|line| {
            let before = &line[..line.find('(')?];
            let name = before
                .rsplit(|c: char| !c.is_alphanumeric() && c != '_')
                .next()?;
            name.starts_with("iree_").then(|| name.to_owned())
        })
        .collect();
    assert!(
        !names.is_empty(),
        "no hook declarations found in {header:?}"
    );
    names
}

/// `nm` with `args` on `library`: one defined symbol name per entry.
fn defined_symbols(args: &[&str], library: &Path) -> Vec<String> {
    assert!(
        on_path("nm"),
        "nm is not on PATH; install binutils (apt-get install binutils)"
    );
    let out = Command::new("nm")
        .args(args)
        .arg(library)
        .output()
        .expect("run nm");
    // Objects of the archive without symbols make nm warn on stderr.
    assert!(out.status.success(), "nm {args:?} {library:?} failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        // "ADDRESS TYPE NAME", where a demangled NAME may contain spaces;
        // archive member headers ("file.o:") and blank lines are skipped.
        .filter_map(|line| line.splitn(3, ' ').nth(2))
        .map(str::to_owned)
        .collect()
}

/// The places a library file of this build can be.
fn shipped(name: &str) -> Vec<PathBuf> {
    let profile = profile_dir();
    let mut found: Vec<PathBuf> = [profile.join(name), profile.join("deps").join(name)]
        .into_iter()
        .filter(|p| p.exists())
        .collect();
    if found.is_empty() {
        found.push(library_artifact(name));
    }
    found
}

/// `cargo test` refreshes only `deps/`; the copy one level up is whatever
/// `cargo build` made last.
const STALE: &str =
    "\n(if this is target/<profile>/, not deps/, it may be an old `cargo build` output: rebuild)";

/// Exports of the `.so` are C names only, so any mention of these is a leak.
const SHARED_RULES: [&str; 3] = ["tools", "testing", "hook"];

/// The archive also holds the Rust standard library (which has its own
/// `panic::set_hook`), so its symbols are matched by the crates' own paths,
/// demangled.
const STATIC_RULES: [&str; 3] = [
    "iree_tools::",
    "iree_runtime::tools::",
    "iree_runtime::capi::testing",
];

/// Symbols that are a hook by name or contain one of `rules` (any case).
fn offending<'a>(symbols: &'a [String], hooks: &[String], rules: &[&str]) -> Vec<&'a str> {
    symbols
        .iter()
        .filter(|symbol| {
            let lower = symbol.to_lowercase();
            hooks.iter().any(|hook| symbol.as_str() == hook)
                || rules.iter().any(|rule| lower.contains(rule))
        })
        .map(String::as_str)
        .collect()
}

#[test]
fn shared_library_exports_no_tool_or_hook_symbol() {
    let hooks = hook_names();
    for library in shipped("libiree_runtime.so") {
        let symbols = defined_symbols(&["-D", "--defined-only"], &library);
        assert!(
            symbols.iter().any(|s| s == "iree_vm_instance_create"),
            "{library:?} does not export the runtime (nm output unreadable?)"
        );
        let bad = offending(&symbols, &hooks, &SHARED_RULES);
        assert!(bad.is_empty(), "{library:?} exports {bad:?}{STALE}");
    }
}

#[test]
fn static_library_defines_no_tool_or_hook_symbol() {
    let hooks = hook_names();
    for library in shipped("libiree_runtime.a") {
        let symbols = defined_symbols(&["-C", "--defined-only"], &library);
        assert!(
            symbols.iter().any(|s| s == "iree_vm_instance_create"),
            "{library:?} does not define the runtime (nm output unreadable?)"
        );
        let bad = offending(&symbols, &hooks, &STATIC_RULES);
        assert!(bad.is_empty(), "{library:?} defines {bad:?}{STALE}");
    }
}

/// The same checks must fail on the `test-hooks` build, which has the hooks
/// back in: otherwise the two tests above could pass vacuously.
#[test]
fn checks_catch_the_hooks_of_the_test_hooks_build() {
    let hooks = hook_names();
    let library = test_hooks_library_dir().join("libiree_runtime.so");
    let symbols = defined_symbols(&["-D", "--defined-only"], &library);
    for hook in &hooks {
        assert!(
            symbols.contains(hook),
            "{library:?} (built with test-hooks) does not export {hook}"
        );
    }
    assert!(!offending(&symbols, &hooks, &SHARED_RULES).is_empty());
    let archive = test_hooks_library_dir().join("libiree_runtime.a");
    let symbols = defined_symbols(&["-C", "--defined-only"], &archive);
    let caught = offending(&symbols, &[], &STATIC_RULES);
    assert!(
        caught
            .iter()
            .any(|s| s.contains("iree_runtime::capi::testing")),
        "{archive:?} (built with test-hooks): no capi::testing symbol caught"
    );
}
