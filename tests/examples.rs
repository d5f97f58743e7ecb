//! Installs the library into a scratch prefix with `tools/install.sh` and
//! builds the examples against the install the way users would: the CMake
//! examples through `find_package(IREERuntime)` (shared and static targets,
//! upstream IREE's target names, and `vm_call_from_file`, which runs a
//! `.vmfb` from testdata, and `runtime_hello`, the runtime API's two
//! hello-world demos, also checked under valgrind), the same program
//! through both pkg-config files (shared with a run path or `LD_LIBRARY_PATH`, and static), and the dlopen
//! example, which only resolves symbols at run time, and the TFLite C API
//! examples (`tflite_hello` linked, `tflite_dlopen` resolving every
//! `TfLite*` function with dlsym, `tflite_cpp` a C++ program built with
//! `find_package(IREERuntime)`) running a real model. Programs run without
//! `LD_LIBRARY_PATH` unless they are the ones that rely on it.
//!
//! The tools these builds need (cmake, pkg-config, a C compiler, readelf)
//! must be installed: a missing one fails the test, naming the package.
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

/// Fails the test, saying how to install it, when `program` is missing.
fn require(program: &str, debian_package: &str) {
    assert!(
        on_path(program),
        "{program} is not installed; it is needed to build the examples. \
         Install it with `apt-get install {debian_package}` (.ci/run does)."
    );
}

/// Runs a program built against the install, with the loader left to find
/// the library on its own (run path or static link, not the environment).
fn run_built(program: &Path, args: &[&str]) -> Ran {
    run(
        Command::new(program)
            .args(args)
            .env_remove("LD_LIBRARY_PATH"),
        LIMIT,
    )
}

/// Configures and builds the CMake project in `source` against the install.
fn cmake_build(source: &Path, build: &Path) {
    let prefix = installed_prefix();
    must(
        "cmake configure",
        run(
            Command::new("cmake")
                .arg("-S")
                .arg(source)
                .arg("-B")
                .arg(build)
                .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display())),
            LIMIT,
        ),
    );
    must(
        "cmake build",
        run(Command::new("cmake").arg("--build").arg(build), LIMIT),
    );
}

/// The flags `pkg-config` prints for `args` with the install's .pc files.
fn pkg_config(args: &[&str]) -> Vec<String> {
    let pc_path = installed_prefix().join("lib/pkgconfig");
    let out = must(
        "pkg-config",
        run(
            Command::new("pkg-config")
                .args(args)
                .env("PKG_CONFIG_PATH", &pc_path),
            LIMIT,
        ),
    );
    // The first line is the echoed command; the flags follow.
    out.lines()
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Compiles the hello example into `exe` with `flags` after the source.
fn compile_hello(exe: &Path, flags: &[String]) {
    must(
        "compile with pkg-config flags",
        run(
            Command::new("cc")
                .args(["-std=c11", "-Wall", "-Werror"])
                .arg(example("cmake_hello/main.c"))
                .arg("-o")
                .arg(exe)
                .args(flags),
            LIMIT,
        ),
    );
}

/// `readelf -d` of `file`: its dynamic section (NEEDED, SONAME, RUNPATH).
fn dynamic_section(file: &Path) -> String {
    require("readelf", "binutils");
    must(
        "readelf",
        run(Command::new("readelf").arg("-d").arg(file), LIMIT),
    )
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
        "lib/pkgconfig/iree_runtime_static.pc",
        "include/iree/generated/api.h",
    ] {
        assert!(prefix.join(path).exists(), "install lacks {path}");
    }
    let soname = dynamic_section(&prefix.join("lib/libiree_runtime.so.0"));
    assert!(
        soname.contains("[libiree_runtime.so.0]"),
        "soname is not libiree_runtime.so.0:\n{soname}"
    );
}

#[test]
fn cmake_example_builds_and_runs() {
    require("cmake", "cmake");
    let build = scratch_dir("examples-cmake-build");
    cmake_build(&example("cmake_hello"), &build);
    for program in ["hello", "hello_static"] {
        let out = must(program, run_built(&build.join(program), &[]));
        assert!(out.contains("all good"), "{program} output:\n{out}");
    }
    assert!(
        !dynamic_section(&build.join("hello_static")).contains("libiree_runtime"),
        "hello_static needs the shared library"
    );
}

#[test]
fn vm_call_from_file_example_runs_a_module() {
    require("cmake", "cmake");
    let build = scratch_dir("examples-vm-call-build");
    cmake_build(&example("vm_call_from_file"), &build);
    let program = build.join("vm_call_from_file");
    let module = repo_root().join("testdata/vm/calls_callee.vmfb");
    let module = module.to_str().unwrap();

    let out = must(
        "vm_call_from_file add",
        run_built(&program, &[module, "add", "40", "2"]),
    );
    assert!(out.contains("result[0]: i32=42"), "output:\n{out}");
    let out = must(
        "vm_call_from_file add",
        run_built(&program, &[module, "add", "-7", "0x10"]),
    );
    assert!(out.contains("result[0]: i32=9"), "output:\n{out}");

    // Failures come back as statuses: the module's own, a wrong argument
    // count, an unknown function and a file that is not a module.
    for (args, code, message) in [
        (vec!["fail_inner"], "NOT_FOUND", "failed inside callee"),
        (
            vec!["add", "1"],
            "INVALID_ARGUMENT",
            "add takes 2 arguments",
        ),
        (vec!["nope"], "NOT_FOUND", "nope"),
    ] {
        let mut all = vec![module];
        all.extend(args.iter().copied());
        let ran = run_built(&program, &all);
        assert_eq!(ran.code, Some(1), "{args:?}: {}", ran.output);
        assert!(
            ran.output.contains(code) && ran.output.contains(message),
            "{args:?} should fail with {code} and `{message}`:\n{}",
            ran.output
        );
    }
    let not_a_module = repo_root().join("testdata/vm/calls_callee.mlir");
    let ran = run_built(&program, &[not_a_module.to_str().unwrap(), "add"]);
    assert_eq!(ran.code, Some(1), "{}", ran.output);
}

/// What both runtime hello-world programs print for `simple_mul.vmfb`: the
/// two inputs, then the product. The product line must be the one the
/// reference `iree-run-module` printed for the same inputs
/// (`testdata/runtime/expected`, from `tools/gen-runtime-testdata.sh`).
const HELLO_STDOUT: &str = "4xf32=1 1.1 1.2 1.3\n * \n4xf32=10 100 1000 10000\n = \n";

/// The program's own output: `run` echoes the command on the first line.
fn program_output(ran: &Ran) -> &str {
    ran.output.split_once('\n').map_or("", |(_, rest)| rest)
}

#[test]
fn runtime_hello_world_examples_run_simple_mul() {
    require("cmake", "cmake");
    require("valgrind", "valgrind");
    let build = scratch_dir("examples-runtime-hello-build");
    cmake_build(&example("runtime_hello"), &build);
    let module = repo_root().join("testdata/runtime/simple_mul.vmfb");
    let module = module.to_str().unwrap();
    let reference = std::fs::read_to_string(
        repo_root().join("testdata/runtime/expected/simple_mul.simple_mul.0.txt"),
    )
    .unwrap();
    let product = reference.lines().last().unwrap();
    assert!(product.starts_with("4xf32="), "reference: {reference}");
    let expected = format!("{HELLO_STDOUT}{product}\n");

    for name in ["hello_world_terse", "hello_world_explained"] {
        let program = build.join(name);
        let ran = run_built(&program, &[module]);
        assert!(ran.ok, "{name} failed ({})\n{}", ran.describe(), ran.output);
        assert_eq!(program_output(&ran), expected, "{name}'s output");

        let checked = run(
            Command::new("valgrind")
                .args([
                    "--error-exitcode=99",
                    "--leak-check=full",
                    "--errors-for-leak-kinds=definite",
                    "--show-leak-kinds=definite",
                    "--quiet",
                ])
                .arg(&program)
                .arg(module)
                .env_remove("LD_LIBRARY_PATH"),
            LIMIT,
        );
        assert!(
            checked.ok,
            "{name} failed under valgrind ({})\n{}",
            checked.describe(),
            checked.output
        );
        assert_eq!(program_output(&checked), expected, "{name} under valgrind");
    }

    // The explained demo returns its failure: the status code is the exit
    // code and the message names what went wrong.
    let program = build.join("hello_world_explained");
    let missing = scratch_dir("examples-runtime-hello-missing").join("none.vmfb");
    let ran = run_built(&program, &[missing.to_str().unwrap()]);
    assert_eq!(ran.code, Some(5), "NOT_FOUND expected:\n{}", ran.output);
    assert!(
        ran.output.contains("none.vmfb"),
        "the message should name the file:\n{}",
        ran.output
    );
    let not_a_module = repo_root().join("testdata/runtime/simple_mul.mlir");
    let ran = run_built(&program, &[not_a_module.to_str().unwrap()]);
    assert_eq!(
        ran.code,
        Some(3),
        "INVALID_ARGUMENT expected:\n{}",
        ran.output
    );
    assert!(
        ran.output.contains("not a bytecode module"),
        "{}",
        ran.output
    );
}

/// The names upstream IREE's CMake build gives the runtime's libraries
/// (`iree_cc_library` in runtime/src/iree/{base,base/internal,vm,runtime}:
/// `iree::<package>::<name>`, `iree_<package>_<name>`, and `iree::<package>`
/// for the library named like its package). All are the one library here.
const UPSTREAM_TARGETS: &[&str] = &[
    "iree::runtime::runtime",
    "iree_runtime_runtime",
    "iree::runtime::impl",
    "iree_runtime_impl",
    "iree::runtime::unified",
    "iree_runtime_unified",
    "iree::base",
    "iree::base::base",
    "iree_base_base",
    "iree::base::core_headers",
    "iree::base::tracing",
    "iree::base::loop_sync",
    "iree::base::internal",
    "iree::base::internal::internal",
    "iree_base_internal_internal",
    "iree::base::internal::file_io",
    "iree::base::internal::flags",
    "iree::base::internal::synchronization",
    "iree::base::internal::threading",
    "iree::vm",
    "iree::vm::vm",
    "iree_vm_vm",
    "iree::vm::impl",
    "iree::vm::cc",
    "iree::vm::bytecode_module",
    "iree_vm_bytecode_module",
];

#[test]
fn upstream_cmake_target_names_link_the_runtime() {
    require("cmake", "cmake");
    let source = scratch_dir("examples-upstream-names");
    let hello = example("cmake_hello/main.c");
    let names = UPSTREAM_TARGETS.join(" ");
    let project = format!(
        r#"cmake_minimum_required(VERSION 3.13)
project(upstream_names LANGUAGES C)
find_package(IREERuntime 0.1 REQUIRED)
foreach(name {names})
  if(NOT TARGET ${{name}})
    message(FATAL_ERROR "IREERuntime does not define ${{name}}")
  endif()
  get_target_property(linked ${{name}} INTERFACE_LINK_LIBRARIES)
  if(NOT linked STREQUAL "iree::runtime")
    message(FATAL_ERROR "${{name}} links ${{linked}}, not iree::runtime")
  endif()
endforeach()
add_executable(hello_unified "{hello}")
target_link_libraries(hello_unified PRIVATE iree_runtime_unified)
"#,
        hello = hello.display()
    );
    std::fs::write(source.join("CMakeLists.txt"), project).unwrap();
    let build = source.join("build");
    cmake_build(&source, &build);
    let out = must(
        "hello_unified",
        run_built(&build.join("hello_unified"), &[]),
    );
    assert!(out.contains("all good"), "output:\n{out}");
}

#[test]
fn pkg_config_builds_run() {
    require("pkg-config", "pkg-config");
    require("cc", "build-essential");
    let scratch = scratch_dir("examples-pkg-config");
    let shared = pkg_config(&["--cflags", "--libs", "iree_runtime"]);
    let libdir = pkg_config(&["--variable=libdir", "iree_runtime"]);
    assert_eq!(libdir.len(), 1, "libdir: {libdir:?}");

    // The README's line plus the run path: runs with no environment help.
    let with_rpath = scratch.join("hello_rpath");
    let mut flags = shared.clone();
    flags.push(format!("-Wl,-rpath,{}", libdir[0]));
    compile_hello(&with_rpath, &flags);
    let out = must("hello with a run path", run_built(&with_rpath, &[]));
    assert!(out.contains("all good"), "output:\n{out}");

    // Without one, the loader needs LD_LIBRARY_PATH (and fails without).
    let plain = scratch.join("hello_plain");
    compile_hello(&plain, &shared);
    let ran = run_built(&plain, &[]);
    assert!(
        !ran.ok && ran.output.contains("libiree_runtime.so.0"),
        "expected the loader to miss the library:\n{}",
        ran.output
    );
    let out = must(
        "hello with LD_LIBRARY_PATH",
        run(
            Command::new(&plain).env("LD_LIBRARY_PATH", &libdir[0]),
            LIMIT,
        ),
    );
    assert!(out.contains("all good"), "output:\n{out}");

    // The static .pc links the archive: no shared library needed at all.
    let static_exe = scratch.join("hello_static");
    compile_hello(
        &static_exe,
        &pkg_config(&["--cflags", "--libs", "iree_runtime_static"]),
    );
    let out = must("hello linked statically", run_built(&static_exe, &[]));
    assert!(out.contains("all good"), "output:\n{out}");
    let dynamic = dynamic_section(&static_exe);
    assert!(
        !dynamic.contains("libiree_runtime"),
        "the static build still needs the shared library:\n{dynamic}"
    );
}

#[test]
fn dlopen_example_runs() {
    require("cc", "build-essential");
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

/// The float values a TFLite example printed on its output line(s) after
/// `output '<name>'`.
fn printed_floats(out: &str) -> Vec<f32> {
    let mut lines = out.lines().skip_while(|l| !l.starts_with("output '"));
    lines.next();
    lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(|v| v.parse().expect("a printed float"))
        .collect()
}

#[test]
fn tflite_examples_run_a_real_model() {
    require("cc", "build-essential");
    let prefix = installed_prefix();
    let work = scratch_dir("examples-tflite");
    let data = repo_root().join("testdata/tflite_capi");
    let model = data.join("hand_recrop.vmfb");
    let input = data.join("data/hand_recrop.0.in0.bin");
    let expected: Vec<f32> = std::fs::read(data.join("data/hand_recrop.0.out0.iree.bin"))
        .unwrap()
        .chunks(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();

    let hello = work.join("tflite_hello");
    must(
        "compile tflite_hello",
        run(
            Command::new("cc")
                .args(["-std=c11", "-Wall", "-Werror", "-I"])
                .arg(prefix.join("include"))
                .arg(example("tflite_hello/main.c"))
                .arg("-o")
                .arg(&hello)
                .arg("-L")
                .arg(prefix.join("lib"))
                .arg(format!("-Wl,-rpath,{}", prefix.join("lib").display()))
                .arg("-liree_runtime"),
            LIMIT,
        ),
    );
    let out = must(
        "tflite_hello",
        run_built(&hello, &[model.to_str().unwrap(), input.to_str().unwrap()]),
    );
    assert!(
        out.contains("output 'output_crop': FLOAT32 [1x1x1x4]"),
        "output:\n{out}"
    );
    assert_eq!(printed_floats(&out), expected, "output:\n{out}");

    let dlopen = work.join("tflite_dlopen");
    must(
        "compile tflite_dlopen",
        run(
            Command::new("cc")
                .args(["-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Werror", "-I"])
                .arg(prefix.join("include"))
                .arg(example("tflite_dlopen/main.c"))
                .arg("-o")
                .arg(&dlopen)
                .arg("-ldl"),
            LIMIT,
        ),
    );
    let library = prefix.join("lib/libiree_runtime.so.0");
    let out = must(
        "tflite_dlopen",
        run_built(
            &dlopen,
            &[
                library.to_str().unwrap(),
                model.to_str().unwrap(),
                input.to_str().unwrap(),
            ],
        ),
    );
    assert!(out.contains(", 0 missing"), "output:\n{out}");
    assert_eq!(printed_floats(&out), expected, "output:\n{out}");
}

/// The C++ TFLite example, built with `find_package(IREERuntime)`, runs
/// hand_recrop on 1 and 2 threads and prints the reference output; a file
/// that is not a model fails with the reporter's message.
#[test]
fn tflite_cpp_example_builds_with_cmake_and_runs() {
    require("cmake", "cmake");
    require("c++", "g++");
    let build = scratch_dir("examples-tflite-cpp-build");
    cmake_build(&example("tflite_cpp"), &build);
    let program = build.join("tflite_cpp");
    let data = repo_root().join("testdata/tflite_capi");
    let model = data.join("hand_recrop.vmfb");
    let input = data.join("data/hand_recrop.0.in0.bin");
    let expected: Vec<f32> = std::fs::read(data.join("data/hand_recrop.0.out0.iree.bin"))
        .unwrap()
        .chunks(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    for threads in ["1", "2"] {
        let out = must(
            "tflite_cpp",
            run_built(
                &program,
                &[
                    "--threads",
                    threads,
                    model.to_str().unwrap(),
                    input.to_str().unwrap(),
                ],
            ),
        );
        assert!(
            out.contains(&format!("{threads} thread(s)"))
                && out.contains("output 'output_crop': FLOAT32 [1x1x1x4]"),
            "output:\n{out}"
        );
        assert_eq!(printed_floats(&out), expected, "output:\n{out}");
    }
    let not_a_model = data.join("models.tsv");
    let ran = run_built(&program, &[not_a_model.to_str().unwrap()]);
    assert_eq!(ran.code, Some(1), "{}", ran.output);
    assert!(
        ran.output.contains("error: cannot load") && ran.output.contains("not a bytecode module"),
        "{}",
        ran.output
    );
}
