//! Installs the library into a scratch prefix with `tools/install.sh` and
//! builds the examples against the install the way users would: the CMake
//! example through `find_package(IREERuntime)` (shared and static targets),
//! the same program through pkg-config, and the dlopen example, which only
//! resolves symbols at run time. Each program must exit 0.
//!
//! By default the library installed is the one this test was built with
//! (no second cargo build). `IREE_RUNTIME_INSTALL_PREFIX=DIR` points the
//! test at an existing install instead: `tools/test.sh` installs the real
//! `cargo build --release` output there first. The shipped library has no
//! test hooks, so the dlopen example also runs against the `test-hooks`
//! build of the same profile, where its deliberate panic proves that a
//! panic comes back as a status in a library loaded that way.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{
    library_artifact, on_path, repo_root, run, scratch_dir, test_hooks_library_dir, Ran,
};

const LIMIT: Duration = Duration::from_secs(300);

fn must(what: &str, ran: Ran) -> String {
    assert!(ran.ok, "{what} failed ({})\n{}", ran.describe(), ran.output);
    ran.output
}

/// The install prefix the examples use: `IREE_RUNTIME_INSTALL_PREFIX`, or
/// else a scratch prefix filled once per test binary from this build.
fn installed_prefix() -> &'static Path {
    static PREFIX: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| {
        if let Some(given) = std::env::var_os("IREE_RUNTIME_INSTALL_PREFIX") {
            return PathBuf::from(given);
        }
        let prefix = scratch_dir("examples-prefix");
        let built = library_artifact("libiree_runtime.so");
        must(
            "tools/install.sh",
            run(
                Command::new(repo_root().join("tools/install.sh"))
                    .arg(&prefix)
                    .env("IREE_RUNTIME_PREBUILT", built.parent().unwrap()),
                LIMIT,
            ),
        );
        prefix
    })
}

fn example(name: &str) -> PathBuf {
    repo_root().join("examples").join(name)
}

#[test]
fn release_profile_keeps_unwinding_panics() {
    // The FFI boundary turns panics into statuses only if they unwind.
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let release = manifest
        .split("[profile.release]")
        .nth(1)
        .expect("[profile.release] section");
    let release = release.split("\n[").next().unwrap();
    assert!(
        release
            .lines()
            .any(|l| l.replace(' ', "") == "panic=\"unwind\""),
        "Cargo.toml's [profile.release] must say panic = \"unwind\""
    );
}

#[test]
fn install_layout_is_complete() {
    let prefix = installed_prefix();
    for path in [
        "lib/libiree_runtime.so",
        "lib/libiree_runtime.so.0",
        "lib/libiree_runtime.a",
        "lib/cmake/IREERuntime/IREERuntimeConfig.cmake",
        "lib/cmake/IREERuntime/IREERuntimeConfigVersion.cmake",
        "lib/pkgconfig/iree_runtime.pc",
        "include/iree/generated/api.h",
    ] {
        assert!(prefix.join(path).exists(), "install lacks {path}");
    }
    let soname = must(
        "readelf",
        run(
            Command::new("readelf")
                .arg("-d")
                .arg(prefix.join("lib/libiree_runtime.so.0")),
            LIMIT,
        ),
    );
    assert!(
        soname.contains("[libiree_runtime.so.0]"),
        "soname is not libiree_runtime.so.0:\n{soname}"
    );
}

#[test]
fn cmake_example_builds_and_runs() {
    if !on_path("cmake") {
        println!("note: cmake is not installed; skipping the CMake example");
        return;
    }
    let prefix = installed_prefix();
    let build = scratch_dir("examples-cmake-build");
    must(
        "cmake configure",
        run(
            Command::new("cmake")
                .arg("-S")
                .arg(example("cmake_hello"))
                .arg("-B")
                .arg(&build)
                .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display())),
            LIMIT,
        ),
    );
    must(
        "cmake build",
        run(Command::new("cmake").arg("--build").arg(&build), LIMIT),
    );
    for program in ["hello", "hello_static"] {
        let out = must(program, run(&mut Command::new(build.join(program)), LIMIT));
        assert!(out.contains("all good"), "{program} output:\n{out}");
    }
}

#[test]
fn pkg_config_build_runs() {
    if !on_path("pkg-config") {
        println!("note: pkg-config is not installed; skipping the pkg-config build");
        return;
    }
    let prefix = installed_prefix();
    let pc_path = prefix.join("lib/pkgconfig");
    let flags = must(
        "pkg-config",
        run(
            Command::new("pkg-config")
                .args(["--cflags", "--libs", "iree_runtime"])
                .env("PKG_CONFIG_PATH", &pc_path),
            LIMIT,
        ),
    );
    // The first line is the echoed command; the flags follow.
    let flags: Vec<&str> = flags
        .lines()
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let exe = scratch_dir("examples-pkg-config").join("hello");
    must(
        "compile with pkg-config flags",
        run(
            Command::new("cc")
                .args(["-std=c11", "-Wall", "-Werror"])
                .arg(example("cmake_hello/main.c"))
                .arg("-o")
                .arg(&exe)
                .args(&flags),
            LIMIT,
        ),
    );
    let out = must(
        "pkg-config hello",
        run(
            Command::new(&exe).env("LD_LIBRARY_PATH", prefix.join("lib")),
            LIMIT,
        ),
    );
    assert!(out.contains("all good"), "output:\n{out}");
}

#[test]
fn dlopen_example_runs() {
    let prefix = installed_prefix();
    let exe = scratch_dir("examples-dlopen").join("dlopen_hello");
    must(
        "compile dlopen_hello",
        run(
            Command::new("cc")
                .args(["-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Werror", "-I"])
                .arg(prefix.join("include"))
                .arg(example("dlopen_hello/main.c"))
                .arg("-o")
                .arg(&exe)
                .arg("-ldl"),
            LIMIT,
        ),
    );
    let out = must(
        "dlopen_hello",
        run(
            Command::new(&exe).arg(prefix.join("lib/libiree_runtime.so.0")),
            LIMIT,
        ),
    );
    assert!(out.contains("all good"), "output:\n{out}");
    // The installed library must not carry the test hook.
    assert!(!out.contains("panic came back"), "output:\n{out}");

    let hooked = test_hooks_library_dir().join("libiree_runtime.so");
    let out = must(
        "dlopen_hello (test-hooks build)",
        run(Command::new(&exe).arg(&hooked), LIMIT),
    );
    assert!(out.contains("all good"), "output:\n{out}");
    assert!(
        out.contains("panic came back as: INTERNAL"),
        "output:\n{out}"
    );
}
