//! Deterministic robustness test over malformed modules, cheap enough for
//! every `cargo test` (the open-ended version is the cargo-fuzz target in
//! fuzz/, see docs/FUZZING.md).
//!
//! From each testdata/vm/*.vmfb it derives truncations at every length, one
//! bit flip at every byte, and fixed-seed random mutants, plus random byte
//! strings. Every one must load-and-verify to a status in process (a panic
//! fails the test). Mutants that still verify are then executed through the
//! `iree-run-module` binary, one process per exported function, under a time
//! and address-space limit: each run must exit with 0 or 1 (a status), not
//! crash, hang or exhaust memory. Execution goes through a child process
//! because the interpreter has no instruction budget yet.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use iree_tools::fuzzing::{load_and_verify, mutate, Rng};

const RANDOM_MUTANTS_PER_SEED: usize = 400;
const RANDOM_BUFFERS: usize = 300;
const MAX_EXECUTIONS: usize = 1000;
const RUN_LIMIT: Duration = Duration::from_secs(20);
/// Address-space cap for executed mutants (KiB): generous for legitimate
/// modules, small enough to catch an allocation driven by a corrupt count.
const ADDRESS_SPACE_KIB: u64 = 4 << 20;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("testdata/vm");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/vm")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "vmfb"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Exports of a verified module, read back through the loader.
fn exports(bytes: &[u8]) -> Vec<String> {
    match iree_runtime::vm::bytecode::module_def::ModuleDef::parse(bytes) {
        Ok(def) => def
            .exports
            .into_iter()
            .map(|e| e.name)
            // A NUL cannot travel in a command-line argument.
            .filter(|n| !n.starts_with("__") && !n.contains('\0'))
            .collect(),
        Err(_) => Vec::new(),
    }
}

enum Run {
    Exited(i32),
    Signaled(String),
    TimedOut,
}

fn run_isolated(module: &Path, function: &str) -> Run {
    // `ulimit -v` in a shell in front of the tool caps its address space
    // without any unsafe pre-exec hook here.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_iree-run-module"))
        .arg(format!("--module={}", module.display()))
        .arg(format!("--function={function}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            return match status.code() {
                Some(c) => Run::Exited(c),
                None => Run::Signaled(err),
            };
        }
        if start.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Run::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn malformed_modules_return_statuses() {
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let mut rng = Rng::new(0x1BEE_F00D_5EED);
    let (mut checked, mut accepted) = (0usize, 0usize);
    let mut survivors: Vec<(String, Vec<u8>)> = Vec::new();
    let mut keep = |label: String, bytes: Vec<u8>, survivors: &mut Vec<_>| {
        checked += 1;
        if load_and_verify(&bytes).is_ok() {
            accepted += 1;
            survivors.push((label, bytes));
        }
    };
    for (name, bytes) in &seeds {
        for len in 0..bytes.len() {
            keep(
                format!("{name}[..{len}]"),
                bytes[..len].to_vec(),
                &mut survivors,
            );
        }
        for i in 0..bytes.len() {
            let mut m = bytes.clone();
            m[i] ^= 1 << (i % 8);
            keep(format!("{name} flip@{i}"), m, &mut survivors);
        }
        for k in 0..RANDOM_MUTANTS_PER_SEED {
            keep(
                format!("{name} mutant#{k}"),
                mutate(bytes, &mut rng),
                &mut survivors,
            );
        }
    }
    for k in 0..RANDOM_BUFFERS {
        let len = rng.below(4096);
        let mut buf: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        // Half of them carry a plausible header so parsing gets further.
        if k % 2 == 0 && buf.len() >= 8 {
            let (_, seed) = &seeds[k % seeds.len()];
            buf[..8].copy_from_slice(&seed[..8]);
        }
        keep(format!("random#{k}"), buf, &mut survivors);
    }
    eprintln!("vm malformed: {checked} inputs loaded+verified in process, {accepted} accepted");

    // Execute a deterministic spread of the survivors.
    let dir = std::env::temp_dir().join(format!("h9_malformed_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let step = (survivors.len() / MAX_EXECUTIONS.max(1)).max(1);
    let (mut runs, mut failures) = (0usize, Vec::new());
    // One export per sampled mutant (rotating), so the runs spread over
    // every seed module.
    for (k, (label, bytes)) in survivors.iter().step_by(step).enumerate() {
        let names = exports(bytes);
        if names.is_empty() || runs >= MAX_EXECUTIONS {
            continue;
        }
        let function = &names[k % names.len()];
        let path = dir.join("mutant.vmfb");
        std::fs::write(&path, bytes).unwrap();
        runs += 1;
        match run_isolated(&path, function) {
            Run::Exited(0 | 1) => {}
            Run::Exited(c) => failures.push(format!("{label} @{function}: exit {c}")),
            Run::Signaled(err) => {
                failures.push(format!("{label} @{function}: killed by a signal\n{err}"))
            }
            Run::TimedOut => failures.push(format!("{label} @{function}: timed out")),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "vm malformed: {runs} executions of accepted mutants, {} bad",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
