//! Builds every `c_tests/*.c` as a C11 program against `include/` and the
//! crate's shared library, runs it, and runs it again under valgrind (when
//! installed) so memory errors and definite leaks fail the test too.
//!
//! A test that includes `iree/testing/runtime_hooks.h` links against the
//! library built with the `test-hooks` feature (`support::test_hooks_library_dir`),
//! whose one extra export panics on purpose inside the same `ffi_boundary`
//! every real export uses; every other test links against the library as
//! `cargo build` ships it.
//!
//! Each C file is a standalone program whose `main` returns non-zero on
//! failure. Environment knobs for local work:
//! `IREE_C_TESTS_FILTER=substr` runs only matching files;
//! `IREE_C_TESTS_NO_VALGRIND=1` skips the valgrind pass.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{
    library_artifact, on_path, parallel_map, repo_root, run, scratch_dir, test_hooks_library_dir,
    test_include_dir,
};

/// Limits per run; valgrind slows programs down by 20-50x.
const NATIVE_LIMIT: Duration = Duration::from_secs(120);
const VALGRIND_LIMIT: Duration = Duration::from_secs(600);

/// Copies the shared library into `lib_dir` under its soname, plus the
/// development symlink the linker looks for. Programs record the soname
/// (`libiree_runtime.so.0`), and the `deps/` folder where a test build
/// leaves the library has no link of that name.
fn stage_library(built: &Path, lib_dir: &Path) {
    std::fs::create_dir_all(lib_dir).unwrap();
    std::fs::copy(built, lib_dir.join("libiree_runtime.so.0")).expect("copy library");
    std::os::unix::fs::symlink("libiree_runtime.so.0", lib_dir.join("libiree_runtime.so"))
        .expect("symlink library");
}

fn c_test_sources() -> Vec<PathBuf> {
    let filter = std::env::var("IREE_C_TESTS_FILTER").unwrap_or_default();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(repo_root().join("c_tests"))
        .expect("c_tests folder")
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&filter))
        .collect();
    sources.sort();
    sources
}

/// Whether a C test calls the test hooks, so needs the `test-hooks` build.
fn uses_test_hooks(source: &Path) -> bool {
    std::fs::read_to_string(source)
        .expect("read C test")
        .contains("#include \"iree/testing/")
}

/// Compiles, runs, and optionally valgrinds one C test; `Err` holds the log.
fn check_one(source: &Path, lib_dir: &Path, work: &Path, valgrind: bool) -> Result<String, String> {
    let name = source.file_stem().unwrap().to_string_lossy().into_owned();
    let exe = work.join(&name);
    let tmp = work.join(format!("{name}.tmp"));
    std::fs::create_dir_all(&tmp).unwrap();
    // _DEFAULT_SOURCE exposes POSIX helpers (mkstemp, setenv, ...) that
    // tests use for scratch files; the headers themselves are checked in
    // strict C11 by tests/headers_compile.rs.
    let compile = run(
        Command::new("cc")
            .args([
                "-std=c11",
                "-D_DEFAULT_SOURCE",
                "-Wall",
                "-Werror",
                "-g",
                "-O1",
            ])
            .arg("-I")
            .arg(repo_root().join("include"))
            // Where tests that load files (c_tests/runtime_session.c) find
            // the repository's testdata.
            .arg(format!(
                "-DIREE_C_TESTS_TESTDATA_DIR=\"{}\"",
                repo_root().join("testdata").display()
            ))
            .arg("-I")
            .arg(test_include_dir())
            // c_tests/harness.h, the checks every test shares.
            .arg("-I")
            .arg(repo_root().join("c_tests"))
            .arg(source)
            .arg("-o")
            .arg(&exe)
            .arg("-L")
            .arg(lib_dir)
            .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
            .args(["-liree_runtime", "-lpthread", "-ldl", "-lm"]),
        NATIVE_LIMIT,
    );
    if !compile.ok {
        return Err(format!(
            "{name}: compile failed ({})\n{}",
            compile.describe(),
            compile.output
        ));
    }
    // cargo test puts target/<profile> on LD_LIBRARY_PATH, which the loader
    // searches before the run path: point it at the staged library instead.
    let native = run(
        Command::new(&exe)
            .env("LD_LIBRARY_PATH", lib_dir)
            .env("TMPDIR", &tmp)
            .current_dir(work),
        NATIVE_LIMIT,
    );
    if !native.ok {
        return Err(format!(
            "{name}: failed ({})\n{}",
            native.describe(),
            native.output
        ));
    }
    let mut log = format!("{name}: ok");
    if valgrind {
        let checked = run(
            Command::new("valgrind")
                .args([
                    "--error-exitcode=99",
                    "--leak-check=full",
                    "--errors-for-leak-kinds=definite",
                    "--show-leak-kinds=definite",
                    "--quiet",
                ])
                .arg(&exe)
                .env("LD_LIBRARY_PATH", lib_dir)
                .env("TMPDIR", &tmp)
                .current_dir(work),
            VALGRIND_LIMIT,
        );
        if !checked.ok {
            return Err(format!(
                "{name}: failed under valgrind ({})\n{}",
                checked.describe(),
                checked.output
            ));
        }
        log.push_str(", ok under valgrind");
    }
    Ok(log)
}

#[test]
fn c_tests_pass_natively_and_under_valgrind() {
    let sources = c_test_sources();
    assert!(!sources.is_empty(), "no c_tests/*.c matched");
    let work = scratch_dir("c_tests");
    let lib_dir = work.join("lib");
    stage_library(&library_artifact("libiree_runtime.so"), &lib_dir);
    let hooks_lib_dir = work.join("lib-test-hooks");
    if sources.iter().any(|source| uses_test_hooks(source)) {
        stage_library(
            &test_hooks_library_dir().join("libiree_runtime.so"),
            &hooks_lib_dir,
        );
    }
    let valgrind = std::env::var_os("IREE_C_TESTS_NO_VALGRIND").is_none() && on_path("valgrind");
    if !valgrind {
        println!("note: valgrind pass skipped (not on PATH or IREE_C_TESTS_NO_VALGRIND set)");
    }
    let results = parallel_map(&sources, |source| {
        let lib = if uses_test_hooks(source) {
            &hooks_lib_dir
        } else {
            &lib_dir
        };
        check_one(source, lib, &work, valgrind)
    });
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(line) => println!("{line}"),
            Err(log) => {
                println!("{}", log.lines().next().unwrap_or_default());
                failures.push(log);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} C tests failed:\n\n{}",
        failures.len(),
        sources.len(),
        failures.join("\n\n")
    );
}
