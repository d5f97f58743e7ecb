//! Every public header under `include/` must compile on its own, included
//! twice (so include guards are checked too), as C11 with gcc and clang and
//! as C++17 with g++ and clang++, with `-Wall -Wextra -Werror`. C++-only
//! headers (`*_cc.h`, `span.h`, `native_module_packing.h`) only as C++.
//!
//! `include/iree/generated` and `include/iree/abi` are skipped: they are
//! implementation details pulled in by the public headers, which covers them.
//! A compiler that is not installed is skipped with a printed note.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{on_path, parallel_map, repo_root, run};

const SKIPPED_DIRS: &[&str] = &["iree/generated", "iree/abi"];

struct Compiler {
    program: &'static str,
    language: &'static str,
    standard: &'static str,
}

const COMPILERS: &[Compiler] = &[
    Compiler {
        program: "gcc",
        language: "c",
        standard: "-std=c11",
    },
    Compiler {
        program: "clang",
        language: "c",
        standard: "-std=c11",
    },
    Compiler {
        program: "g++",
        language: "c++",
        standard: "-std=c++17",
    },
    Compiler {
        program: "clang++",
        language: "c++",
        standard: "-std=c++17",
    },
];

fn is_cxx_only(header: &str) -> bool {
    header.ends_with("_cc.h")
        || header.ends_with("/span.h")
        || header.ends_with("/native_module_packing.h")
}

/// Public headers, as include paths relative to `include/`.
fn public_headers() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read include folder") {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                if !SKIPPED_DIRS.contains(&rel.as_str()) {
                    walk(&path, root, out);
                }
            } else if rel.ends_with(".h") {
                out.push(rel);
            }
        }
    }
    let root: PathBuf = repo_root().join("include");
    let mut headers = Vec::new();
    walk(&root, &root, &mut headers);
    headers.sort();
    headers
}

/// Compiles a translation unit that includes `header` twice; `Err` holds
/// the compiler's output.
fn compile(compiler: &Compiler, header: &str, scratch: &Path) -> Result<(), String> {
    let unit = scratch.join(format!(
        "{}.{}.{}",
        header.replace('/', "__"),
        compiler.program,
        if compiler.language == "c" { "c" } else { "cc" }
    ));
    std::fs::write(
        &unit,
        format!("#include \"{header}\"\n#include \"{header}\"\n"),
    )
    .unwrap();
    let ran = run(
        Command::new(compiler.program)
            .args(["-x", compiler.language, compiler.standard])
            .args(["-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I"])
            .arg(repo_root().join("include"))
            .arg(&unit),
        Duration::from_secs(120),
    );
    if ran.ok {
        Ok(())
    } else {
        Err(format!(
            "{header} with {}: {}\n{}",
            compiler.program,
            ran.describe(),
            ran.output
        ))
    }
}

#[test]
fn every_public_header_compiles_standalone() {
    let headers = public_headers();
    assert!(!headers.is_empty(), "no headers found under include/");
    let mut jobs = Vec::new();
    for compiler in COMPILERS {
        if !on_path(compiler.program) {
            println!(
                "note: {} is not installed; skipping its checks",
                compiler.program
            );
            continue;
        }
        for header in &headers {
            if compiler.language == "c" && is_cxx_only(header) {
                continue;
            }
            jobs.push((compiler, header.as_str()));
        }
    }
    let scratch = support::scratch_dir("headers_compile");
    let failures: Vec<String> = parallel_map(&jobs, |(compiler, header)| {
        compile(compiler, header, &scratch)
    })
    .into_iter()
    .filter_map(Result::err)
    .collect();
    println!("{} header checks, {} failed", jobs.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} of {} header checks failed:\n\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n\n")
    );
}
