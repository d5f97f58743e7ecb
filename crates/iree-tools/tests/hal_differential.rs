//! Differential test of HAL programs: replays every case recorded from the
//! reference iree-run-module 3.13 in testdata/tools/hal/expected/NN
//! (tools/gen-tools-hal-testdata.sh; programs compiled for llvm-cpu and
//! run on local-sync) against our iree-run-module. The exit code, stdout
//! and every file the case writes (`.npy` and raw outputs) must be byte
//! for byte the reference's; for failures the status code and message
//! (before the first `; ` annotation) must match, and so must the last
//! annotation when it is the function's signature; the `file:line:`
//! prefix and the other annotations differ between runtimes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn data_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("testdata/tools/hal")
}

/// `(CODE, message)` of a printed status line.
fn status_core(line: &str) -> (String, String) {
    let mut parts = line.split("; ");
    let head = parts.next().unwrap_or("");
    let code = head.rsplit(": ").next().unwrap_or(head).trim().to_owned();
    (code, parts.next().unwrap_or("").trim().to_owned())
}

/// The files under `dir`, by name, with their contents.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("dir entry").path())
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read(&p).expect("read output file"))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn reference_results_match() {
    let data = data_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(data.join("expected"))
        .expect("testdata/tools/hal/expected")
        .map(|e| e.expect("dir entry").path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let data_prefix = format!("{}/", data.display());
    let mut failures = Vec::new();
    for case in &cases {
        let read = |name: &str| std::fs::read_to_string(case.join(name)).expect(name);
        let args: Vec<String> = read("args")
            .lines()
            .map(|a| a.replace("$DATA/", &data_prefix))
            .collect();
        let exit: i32 = read("exit").trim().parse().expect("exit code");
        let stdout = std::fs::read(case.join("stdout")).expect("stdout");
        let stderr = read("stderr");
        let work = std::env::temp_dir().join(format!(
            "iree_tools_hal_{}_{}",
            std::process::id(),
            case.file_name().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_iree-run-module"))
            .args(&args)
            .current_dir(&work)
            .output()
            .expect("run iree-run-module");
        let name = case.display().to_string();
        let our_stderr = String::from_utf8_lossy(&out.stderr).replace(&data_prefix, "$DATA/");
        if out.status.code() != Some(exit) {
            failures.push(format!(
                "{name}: exit {:?}, reference {exit}; stderr: {our_stderr}",
                out.status.code()
            ));
        }
        if out.stdout != stdout {
            failures.push(format!(
                "{name}: stdout differs:\n--- ours\n{}--- reference\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&stdout)
            ));
        }
        if !stderr.trim().is_empty() {
            let first = our_stderr.lines().next().unwrap_or("");
            // The reference ends its annotations with the function's
            // source-level signature; ours must name the same one.
            let reference = stderr.trim();
            if let Some(at) = reference.rfind("; `").filter(|_| reference.ends_with('`')) {
                if !first.ends_with(&reference[at..]) {
                    failures.push(format!(
                        "{name}: last annotation differs:\n  ours      {first}\n  reference {reference}"
                    ));
                }
            }
            if status_core(first) != status_core(stderr.trim()) {
                failures.push(format!(
                    "{name}: status differs:\n  ours      {first}\n  reference {}",
                    stderr.trim()
                ));
            }
        }
        if files(&work) != files(&case.join("files")) {
            failures.push(format!("{name}: written files differ from the reference's"));
        }
        let _ = std::fs::remove_dir_all(&work);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
