//! Helpers shared by the integration tests that drive C compilers and the
//! built library: where things are, and running commands with a time limit.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>` (or `target/<triple>/<profile>`) of the build that made
/// this test binary, which lives in its `deps/` folder.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("test binary has a parent folder");
    deps.parent()
        .expect("deps folder has a parent")
        .to_path_buf()
}

/// Whether this test binary was built with the release profile.
pub fn is_release() -> bool {
    profile_dir().file_name().is_some_and(|n| n == "release")
}

/// A built artifact of the crate (e.g. `libiree_runtime.so`) from the same
/// build as this test. Cargo compiles every crate type of the library before
/// integration tests but leaves them in `deps/` (only `cargo build` copies
/// them up a level), so look there first. If neither place has it (an
/// unusual layout), build it rather than fail obscurely.
pub fn library_artifact(name: &str) -> PathBuf {
    let profile = profile_dir();
    let candidates = [profile.join("deps").join(name), profile.join(name)];
    if let Some(found) = candidates.iter().find(|p| p.exists()) {
        return found.clone();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--lib", "--manifest-path"])
        .arg(repo_root().join("Cargo.toml"));
    if is_release() {
        cmd.arg("--release");
    }
    assert!(
        cmd.status().expect("run cargo build").success(),
        "cargo build failed"
    );
    let built = &candidates[1];
    assert!(
        built.exists(),
        "{} not found after building",
        built.display()
    );
    built.clone()
}

/// A build of the library with the `test-hooks` feature, which adds the
/// test-only exports of `src/capi/testing.rs` (declared in
/// `tests/include/iree/testing/runtime_hooks.h`). It goes to a target folder
/// of its own, `target/test-hooks`, so the `target/<profile>` library that
/// users get never has them; the profile is this test's, so a release test
/// checks the release profile's panic handling. Returns the folder holding
/// `libiree_runtime.so` (and its soname link) and `libiree_runtime.a`.
/// Built once per test binary; a later call is a no-op cargo run.
pub fn test_hooks_library_dir() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let profile = profile_dir();
        let target = profile
            .parent()
            .expect("profile folder has a parent")
            .join("test-hooks");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--package", "iree-runtime", "--lib"])
            .args(["--features", "test-hooks", "--manifest-path"])
            .arg(repo_root().join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target);
        if is_release() {
            cmd.arg("--release");
        }
        assert!(
            cmd.status()
                .expect("run cargo build --features test-hooks")
                .success(),
            "cargo build --features test-hooks failed"
        );
        let built = target.join(if is_release() { "release" } else { "debug" });
        assert!(
            built.join("libiree_runtime.so").exists(),
            "no libiree_runtime.so in {} after building",
            built.display()
        );
        built
    })
}

/// The folder of headers only the tests use (`iree/testing/...`), kept out
/// of `include/` so that `tools/install.sh` does not ship them.
pub fn test_include_dir() -> PathBuf {
    repo_root().join("tests/include")
}

/// Whether `program` can be found on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// A fresh, empty scratch folder under the profile's target folder (kept
/// after the run so failures can be inspected).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = profile_dir().join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// The result of a command run by [`run`].
pub struct Ran {
    pub ok: bool,
    pub code: Option<i32>,
    pub timed_out: bool,
    pub output: String,
}

impl Ran {
    /// One line describing how the command ended.
    pub fn describe(&self) -> String {
        match (self.timed_out, self.code) {
            (true, _) => "timed out".to_owned(),
            (false, Some(code)) => format!("exit code {code}"),
            (false, None) => "killed by a signal".to_owned(),
        }
    }
}

/// Runs `cmd` with stdin closed, capturing stdout and stderr, killing it
/// after `limit` so a hung C program cannot hang the test suite.
pub fn run(cmd: &mut Command, limit: Duration) -> Ran {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut buf).ok();
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut buf).ok();
        buf
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed child");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut output = format!("$ {shown}\n");
    output.push_str(&String::from_utf8_lossy(
        &out_reader.join().unwrap_or_default(),
    ));
    output.push_str(&String::from_utf8_lossy(
        &err_reader.join().unwrap_or_default(),
    ));
    Ran {
        ok: !timed_out && status.success(),
        code: status.code(),
        timed_out,
        output,
    }
}

/// Applies `f` to every item on a few worker threads (one per available
/// core) and returns the results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| Default::default()).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                *results[i].lock().unwrap() = Some(f(item));
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every item ran"))
        .collect()
}
