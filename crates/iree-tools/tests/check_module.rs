//! iree-check-module over two self-checking programs compiled by the pinned
//! IREE 3.13 (testdata/tools/hal/check_{pass,fail}.mlir). Upstream's tool
//! reports through googletest; the pinned toolchain ships no
//! iree-check-module, so testdata/tools/hal/check_*.stdout are our report
//! in googletest's console format, reviewed by hand, and must match byte
//! for byte once timings are masked. The exit code says whether every
//! test passed, inverted by --expect_failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn program(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join(format!("testdata/tools/hal/{name}"))
}

/// `(12 ms` becomes `(N ms`: timings vary from run to run.
fn mask_timings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('(') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms") {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

fn check(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iree-check-module"))
        .args(args)
        .output()
        .expect("run iree-check-module");
    (
        out.status.code().expect("exit code"),
        mask_timings(&String::from_utf8_lossy(&out.stdout)),
    )
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(program(name)).expect("expected stdout")
}

#[test]
fn passing_program_passes() {
    let module = format!("--module={}", program("check_pass.vmfb").display());
    let (code, stdout) = check(&[&module]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, expected("check_pass.stdout"));
    let (code, stdout) = check(&[&module, "--device=local-sync", "--expect_failure"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.ends_with("Test passed but expected failure\n"),
        "{stdout}"
    );
}

#[test]
fn failing_program_fails_and_names_the_values() {
    let module = format!("--module={}", program("check_fail.vmfb").display());
    let (code, stdout) = check(&[&module]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stdout, expected("check_fail.stdout"));
    let (code, stdout) = check(&[&module, "--expect_failure", "--gtest_color=no"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.ends_with(" 1 FAILED TEST\nTest failed as expected\n"),
        "{stdout}"
    );
}

#[test]
fn functions_with_arguments_and_bad_modules_are_errors() {
    let module = format!("--module={}", program("arith.vmfb").display());
    let (code, stdout) = check(&[&module]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("INVALID_ARGUMENT; expected function with no inputs or outputs, but export 'add' has signature '0rr_r'"),
        "{stdout}"
    );
    let (code, stdout) = check(&["--module=/nonexistent/x.vmfb"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("Test failed\n"), "{stdout}");
    let (code, _) = check(&[]);
    assert_eq!(code, 1);
}

#[test]
fn masking() {
    assert_eq!(
        mask_timings("a (12 ms) (3 ms total) (x) (5)"),
        "a (N ms) (N ms total) (x) (5)"
    );
}
