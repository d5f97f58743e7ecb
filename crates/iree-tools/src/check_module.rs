//! `iree-check-module`: runs every exported function (no arguments, no
//! results) of the last `--module=` as one test, the way upstream's tool
//! does through googletest: a fresh context (hal over `--device=`, the
//! check module, the modules in flag order) per test, gtest's console
//! report on stdout (failed expectations as `unknown file: Failure` parts),
//! and exit code 1 when a test failed. `--expect_failure` inverts the
//! verdict, for checking that failing programs fail.

use std::io::{Read, Write};
use std::time::Instant;

use crate::flags::{self, Kind, Spec};
use crate::run_module::{flags_error, read_module, ExitCode};
use crate::session::Session;
use iree_runtime::vm::list::List;
use iree_runtime::{iree_bail, iree_err, Result};

const CHECK_FLAGS: &[Spec] = &[
    Spec {
        name: "module",
        kind: Kind::List,
        help: "A VM module to load: a .vmfb path or `-` for stdin. The last one's exports are the tests.",
    },
    Spec {
        name: "device",
        kind: Kind::List,
        help: "A HAL device URI (`local-sync`); repeatable. Default `local-sync`.",
    },
    Spec {
        name: "expect_failure",
        kind: Kind::Bool,
        help: "Whether the module is expected to fail: succeeding is then the error.",
    },
];

/// One test's outcome.
struct Outcome {
    name: String,
    failures: Vec<String>,
}

/// Entry point of the binary; returns the process exit code.
pub fn main(
    args: &[String],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    // googletest's own flags (`--gtest_filter=`, ...) are its business.
    let args: Vec<String> = args
        .iter()
        .filter(|a| !a.trim_start_matches('-').starts_with("gtest_"))
        .cloned()
        .collect();
    let specs: &[&[Spec]] = &[flags::COMMON, CHECK_FLAGS];
    let parsed = match flags::parse(&args, specs) {
        Ok(p) => p,
        Err(e) => return flags_error(err, &e),
    };
    if parsed.bool("help") {
        let about = "Runs each exported function of a module that imports `check` as a test.";
        let _ = out.write_all(flags::usage("iree-check-module", about, specs).as_bytes());
        return 0;
    }
    let result = run(&parsed, stdin, out);
    let code = match &result {
        Ok(all_passed) => i32::from(!all_passed),
        Err(_) => 1,
    };
    let verdict = if parsed.bool("expect_failure") {
        if code == 0 {
            "Test passed but expected failure\n".to_owned()
        } else {
            "Test failed as expected\n".to_owned()
        }
    } else if code != 0 {
        let status = match &result {
            Err(e) => e.to_string(),
            Ok(_) => "OK".to_owned(),
        };
        format!("Test failed\n{status}\n")
    } else {
        String::new()
    };
    let _ = out.write_all(verdict.as_bytes());
    let _ = out.flush();
    match (parsed.bool("expect_failure"), code) {
        (true, 0) => 1,
        (true, _) => 0,
        (false, code) => code,
    }
}

fn io(e: std::io::Error) -> iree_runtime::Error {
    iree_err!(DataLoss, "writing output: {}", e)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Loads the modules, runs every test and prints the report; returns
/// whether all passed.
fn run(parsed: &flags::Parsed, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<bool> {
    let paths = parsed.list("module");
    if paths.is_empty() {
        iree_bail!(
            InvalidArgument,
            "no user module specified; use --module=file.vmfb to load from a file or --module=- to load from stdin"
        );
    }
    let files = paths
        .iter()
        .map(|p| read_module(p, stdin).map_err(|e| e.annotate(format!("loading module '{p}'"))))
        .collect::<Result<Vec<_>>>()?;
    let devices = parsed.list("device");
    // A first context finds the tests (and reports bad modules up front).
    let probe = Session::from_bytes(files.clone(), devices)?;
    let suite = probe.main_module_name()?;
    let mut tests = Vec::new();
    for name in probe.user_exports() {
        if name.contains('$') {
            continue;
        }
        let function = probe.lookup(&name)?;
        if !function.arg_types().is_empty() || !function.result_types().is_empty() {
            iree_bail!(
                InvalidArgument,
                "expected function with no inputs or outputs, but export '{}' has signature '{}'",
                name,
                function.cconv
            );
        }
        tests.push(name);
    }
    drop(probe);

    let start = Instant::now();
    let mut text = format!(
        "[==========] Running {} from {}.\n[----------] Global test environment set-up.\n",
        plural(tests.len(), "test"),
        plural(usize::from(!tests.is_empty()), "test suite")
    );
    if !tests.is_empty() {
        text.push_str(&format!(
            "[----------] {} from {suite}\n",
            plural(tests.len(), "test")
        ));
    }
    out.write_all(text.as_bytes()).map_err(io)?;
    let mut outcomes = Vec::with_capacity(tests.len());
    for (ordinal, name) in tests.iter().enumerate() {
        let full = format!("{suite}.{name}");
        writeln!(out, "[ RUN      ] {full}").map_err(io)?;
        out.flush().map_err(io)?;
        let began = Instant::now();
        let failures = run_test(&files, devices, name);
        let ms = began.elapsed().as_millis();
        let mut text = String::new();
        for failure in &failures {
            text.push_str(&format!("unknown file: Failure\n{failure}\n"));
        }
        if failures.is_empty() {
            text.push_str(&format!("[       OK ] {full} ({ms} ms)\n"));
        } else {
            text.push_str(&format!(
                "[  FAILED  ] {full}, where GetParam() = {ordinal} ({ms} ms)\n"
            ));
        }
        out.write_all(text.as_bytes()).map_err(io)?;
        outcomes.push(Outcome {
            name: format!("{full}, where GetParam() = {ordinal}"),
            failures,
        });
    }
    let total = start.elapsed().as_millis();
    let mut text = String::new();
    if !tests.is_empty() {
        text.push_str(&format!(
            "[----------] {} from {suite} ({total} ms total)\n\n",
            plural(tests.len(), "test")
        ));
    }
    text.push_str(&format!(
        "[----------] Global test environment tear-down\n[==========] {} from {} ran. ({total} ms total)\n",
        plural(tests.len(), "test"),
        plural(usize::from(!tests.is_empty()), "test suite")
    ));
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.failures.is_empty()).collect();
    text.push_str(&format!(
        "[  PASSED  ] {}.\n",
        plural(outcomes.len() - failed.len(), "test")
    ));
    if !failed.is_empty() {
        text.push_str(&format!(
            "[  FAILED  ] {}, listed below:\n",
            plural(failed.len(), "test")
        ));
        for o in &failed {
            text.push_str(&format!("[  FAILED  ] {}\n", o.name));
        }
        let tests_word = if failed.len() == 1 { "TEST" } else { "TESTS" };
        text.push_str(&format!("\n{:2} FAILED {tests_word}\n", failed.len()));
    }
    out.write_all(text.as_bytes()).map_err(io)?;
    Ok(failed.is_empty())
}

/// Runs one test in a context of its own; returns its failures (failed
/// expectations, or the error that stopped it).
fn run_test(files: &[Vec<u8>], devices: &[String], name: &str) -> Vec<String> {
    let result = (|| -> Result<Vec<String>> {
        let session = Session::from_bytes(files.to_vec(), devices)?;
        let function = session.lookup(name)?;
        let inputs = Session::new_list(0)?;
        let outputs = Session::new_list(0)?;
        let invoked = session.invoke(
            &function,
            List::from_ref(&inputs)?,
            List::from_ref(&outputs)?,
        );
        let mut failures = session.take_check_failures();
        if let Err(e) = invoked {
            failures.push(format!("invoking function '{name}' failed: {e}"));
        }
        Ok(failures)
    })();
    result.unwrap_or_else(|e| vec![format!("creating the test context failed: {e}")])
}
