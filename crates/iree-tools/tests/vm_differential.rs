//! Differential test: runs our `iree-run-module` on every exported function
//! of testdata/vm/*.vmfb and compares with what the reference 3.13 tool did
//! (recorded in testdata/vm/*.expected by tools/regen_testdata.sh; format in
//! testdata/vm/README.md).
//!
//! Exit code and stdout must match exactly. For failures the status code and
//! message must match (the `file:line:` prefix and the annotations differ
//! between runtimes). Every difference fails, apart from the two documented
//! reference quirks (testdata/vm/README.md):
//! * a module whose expected file has no blocks (`debug.vmfb`) was rejected
//!   by the reference at load; ours must reject it too;
//! * a function the reference never finished (exit 124, `yield.test_yield`)
//!   must finish here without crashing or hanging.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Case {
    function: String,
    exit: i32,
    stdout: Vec<String>,
    stderr: Option<String>,
}

fn parse_expected(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut cur: Option<Case> = None;
    for line in text.lines() {
        if let Some(f) = line.strip_prefix("function: ") {
            cur = Some(Case {
                function: f.to_owned(),
                exit: 0,
                stdout: Vec::new(),
                stderr: None,
            });
        } else if let Some(c) = cur.as_mut() {
            if let Some(e) = line.strip_prefix("exit: ") {
                c.exit = e.trim().parse().expect("exit code");
            } else if let Some(s) = line.strip_prefix("stdout: ") {
                c.stdout.push(s.to_owned());
            } else if line == "stdout:" {
                // `echo "" | sed` of an empty stdout; no line was printed.
            } else if let Some(s) = line.strip_prefix("stderr: ") {
                c.stderr = Some(s.to_owned());
            } else if line == "end" {
                cases.push(cur.take().expect("open block"));
            }
        }
    }
    cases
}

/// `(CODE, message)` of a printed status line such as
/// `path/file.c:12: OUT_OF_RANGE; index 1 out of bounds (0); ; invoking ...`.
fn status_core(line: &str) -> (String, String) {
    let mut parts = line.split("; ");
    let head = parts.next().unwrap_or("");
    let code = head.rsplit(": ").next().unwrap_or(head).trim().to_owned();
    let message = parts.next().unwrap_or("").trim().to_owned();
    (code, message)
}

/// Modules that must be loaded before `name` (its imports), as in
/// tools/regen_testdata.sh.
fn module_list(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut mods = Vec::new();
    if name == "calls" || name == "call_forms" {
        mods.push(dir.join("calls_callee.vmfb"));
    }
    mods.push(dir.join(format!("{name}.vmfb")));
    mods
}

struct RunOutput {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

fn run_tool(modules: &[PathBuf], function: &str, limit: Duration) -> RunOutput {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iree-run-module"));
    for m in modules {
        cmd.arg(format!("--module={}", m.display()));
    }
    cmd.arg(format!("--function={function}"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn iree-run-module");
    let start = Instant::now();
    let mut timed_out = false;
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("collect output");
    RunOutput {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        timed_out,
    }
}

#[test]
fn reference_results_match() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("testdata/vm");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("testdata/vm")
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "expected").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no testdata/vm/*.expected files");
    let (mut matched, mut failed) = (0, Vec::new());
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.expected"))).unwrap();
        let modules = module_list(&dir, name);
        let cases = parse_expected(&text);
        if cases.is_empty() {
            // Rejected by the reference at load: we must fail to load it too,
            // before any function runs.
            let got = run_tool(&modules, "__none__", Duration::from_secs(20));
            if got.code == Some(1) && got.stdout.is_empty() && !got.stderr.contains("looking up") {
                matched += 1;
            } else {
                failed.push(format!(
                    "{name}: loaded (or crashed) where the reference rejects it: exit {:?}, {}",
                    got.code,
                    got.stderr.trim_end()
                ));
            }
            continue;
        }
        for case in cases {
            let id = format!("{name}.{}", case.function);
            let got = run_tool(&modules, &case.function, Duration::from_secs(20));
            if got.code.is_none() && !got.timed_out {
                failed.push(format!("{id}: killed by a signal (crash)\n{}", got.stderr));
                continue;
            }
            if case.exit == 124 {
                // The reference never finished (timeout); ours may finish
                // but must not crash or hang.
                if got.timed_out {
                    failed.push(format!("{id}: hung where the reference timed out"));
                } else {
                    matched += 1;
                }
                continue;
            }
            let got_lines: Vec<&str> = got.stdout.lines().collect();
            let mut diffs = Vec::new();
            if got.timed_out {
                diffs.push("timed out".to_owned());
            } else if got.code != Some(case.exit) {
                diffs.push(format!("exit {:?}, reference {}", got.code, case.exit));
            }
            if got_lines != case.stdout {
                diffs.push(format!(
                    "stdout {:?}, reference {:?}",
                    got_lines, case.stdout
                ));
            }
            if let Some(want) = &case.stderr {
                let first = got.stderr.lines().next().unwrap_or("");
                if status_core(first) != status_core(want) {
                    diffs.push(format!("status `{first}`, reference `{want}`"));
                }
            }
            if diffs.is_empty() {
                matched += 1;
            } else {
                failed.push(format!("{id}: {}", diffs.join("; ")));
            }
        }
    }
    eprintln!(
        "vm differential: {matched} matched, {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "mismatches:\n{}", failed.join("\n"));
    assert!(matched > 0, "nothing matched");
}

#[test]
fn status_lines_are_compared_by_code_and_message() {
    assert_eq!(
        status_core("c/runtime/src/iree/vm/list.c:695: OUT_OF_RANGE; index 1 out of bounds (0); ; invoking function 'f'"),
        ("OUT_OF_RANGE".to_owned(), "index 1 out of bounds (0)".to_owned())
    );
    assert_eq!(
        status_core("<vm>:0: FAILED_PRECONDITION; deliberate failure; ; invoking function 'f'"),
        status_core("FAILED_PRECONDITION; deliberate failure; at m.f+0x1f; invoking function 'f'")
    );
}

/// Scalar inputs through the binary; expected output recorded from the
/// reference iree-run-module 3.13 on the same modules and flags.
#[test]
fn inputs_match_reference() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let cases: &[(&str, &[&str], i32, &str)] = &[
        (
            "testdata/bench/loop_heavy.vmfb",
            &["--function=loop", "--input=1000"],
            0,
            "EXEC @loop\nresult[0]: i32=23895\nresult[1]: i64=26367608\n",
        ),
        (
            "testdata/bench/call_heavy.vmfb",
            &["--function=chain", "--input=1000"],
            0,
            "EXEC @chain\nresult[0]: i32=40140\n",
        ),
        (
            "testdata/bench/call_heavy.vmfb",
            &["--function=calls", "--input=1000"],
            0,
            "EXEC @calls\nresult[0]: i32=1000\nresult[1]: i64=499500\n",
        ),
        (
            "testdata/vm/arith_i32.vmfb",
            &["--function=test_args", "--input=0x10", "--input=-2"],
            0,
            "EXEC @test_args\nresult[0]: i32=-32\n",
        ),
        (
            "testdata/vm/arith_i32.vmfb",
            &["--function=test_args", "--input=5.5", "--input= 7 "],
            0,
            "EXEC @test_args\nresult[0]: i32=35\n",
        ),
        // Parse failures stop before EXEC; a short input list fails in invoke.
        (
            "testdata/vm/arith_i32.vmfb",
            &["--function=test_args", "--input=i32=5", "--input=7"],
            1,
            "",
        ),
        (
            "testdata/vm/arith_i32.vmfb",
            &[
                "--function=test_args",
                "--input=1",
                "--input=2",
                "--input=3",
            ],
            1,
            "",
        ),
        (
            "testdata/vm/arith_i32.vmfb",
            &["--function=test_args", "--input=1"],
            1,
            "EXEC @test_args\n",
        ),
        ("testdata/vm/arith_i32.vmfb", &["--function=nope"], 1, ""),
        ("testdata/vm/arith_i32.vmfb", &[], 1, ""),
        ("testdata/vm/arith_i32.vmfb", &["--bogus_flag"], 1, ""),
    ];
    for (module, args, code, stdout) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_iree-run-module"))
            .arg(format!("--module={}", root.join(module).display()))
            .args(*args)
            .stdin(Stdio::null())
            .output()
            .expect("run iree-run-module");
        assert_eq!(out.status.code(), Some(*code), "{module} {args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            *stdout,
            "{module} {args:?}"
        );
        if *code != 0 {
            assert!(
                !out.stderr.is_empty(),
                "{module} {args:?}: no status printed"
            );
        }
    }
}

/// Replays testdata/tools/results.cases (ref results, --output and
/// --expected_output) against the reference's recorded behaviour in
/// results.expected (tools/regen_tools_testdata.sh).
#[test]
fn tool_cases_match_reference() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("testdata/tools");
    let text = std::fs::read_to_string(dir.join("results.expected")).unwrap();
    let module = dir.join("results.vmfb");
    let mut cases = Vec::new();
    let mut cur: Option<(String, Case)> = None;
    for line in text.lines() {
        if let Some(a) = line.strip_prefix("args: ") {
            cur = Some((
                a.to_owned(),
                Case {
                    function: String::new(),
                    exit: 0,
                    stdout: Vec::new(),
                    stderr: None,
                },
            ));
        } else if let Some((_, c)) = cur.as_mut() {
            if let Some(e) = line.strip_prefix("exit: ") {
                c.exit = e.trim().parse().expect("exit code");
            } else if let Some(s) = line.strip_prefix("stdout: ") {
                c.stdout.push(s.to_owned());
            } else if let Some(s) = line.strip_prefix("stderr: ") {
                c.stderr = Some(s.to_owned());
            } else if line == "end" {
                cases.push(cur.take().expect("open block"));
            }
        }
    }
    assert!(cases.len() >= 20, "too few tool cases: {}", cases.len());
    let mut failed = Vec::new();
    for (args, case) in &cases {
        let out = Command::new(env!("CARGO_BIN_EXE_iree-run-module"))
            .arg(format!("--module={}", module.display()))
            .args(args.split_whitespace())
            .stdin(Stdio::null())
            .output()
            .expect("run iree-run-module");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let got: Vec<&str> = stdout.lines().collect();
        let mut diffs = Vec::new();
        if out.status.code() != Some(case.exit) {
            diffs.push(format!(
                "exit {:?}, reference {}",
                out.status.code(),
                case.exit
            ));
        }
        if got != case.stdout {
            diffs.push(format!("stdout {got:?}, reference {:?}", case.stdout));
        }
        if let Some(want) = &case.stderr {
            let first = stderr.lines().next().unwrap_or("");
            if status_core(first) != status_core(want) {
                diffs.push(format!("status `{first}`, reference `{want}`"));
            }
        }
        if !diffs.is_empty() {
            failed.push(format!("[{args}]: {}", diffs.join("; ")));
        }
    }
    eprintln!(
        "tool cases: {} matched, {} failed",
        cases.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "mismatches:\n{}", failed.join("\n"));
}
