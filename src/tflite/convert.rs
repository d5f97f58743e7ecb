//! `.tflite` files given straight to the model loader: converted to TOSA
//! with `tosa-converter-for-tflite`, compiled for the host CPU with
//! `iree-compile` and the TFLite bindings, and cached on disk (with the
//! tensor sidecar read from the flatbuffer) under a key of the model's
//! hash, the compiler's version and the flags, so later loads (in this
//! process or another) reuse the module.
//!
//! Tools come from `IREE_TFLITE_CONVERTER` and `IREE_COMPILE` when set,
//! else from `PATH`; the cache is `IREE_TFLITE_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/iree-runtime/tflite`, else `~/.cache/iree-runtime/tflite`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tflite::sidecar;
use crate::tflite::tflite_file::read_signature;
use crate::tflite::tosa_text;
use crate::{iree_bail, iree_err, Result};

/// The flags the host build uses (the key includes them).
const FLAGS: &[&str] = &[
    "--iree-input-type=tosa",
    "--iree-hal-target-device=local",
    "--iree-hal-local-target-device-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
    "--iree-native-bindings-support=false",
    "--iree-tflite-bindings-support",
];

/// How to do it by hand, for messages.
const BY_HAND: &str = "precompile instead: `tosa-converter-for-tflite model.tflite --bytecode -o model.mlirbc && iree-compile --iree-input-type=tosa --iree-hal-target-device=local --iree-hal-local-target-device-backends=llvm-cpu --iree-llvmcpu-target-cpu=host --iree-native-bindings-support=false --iree-tflite-bindings-support model.mlirbc -o model.vmfb` and load model.vmfb (tools/gen-tflite-capi-testdata.sh also writes the tensor sidecar)";

/// The tool named by `variable` (when it names a file), else `name` found
/// on `PATH`.
fn find_tool(variable: &str, name: &str) -> Option<PathBuf> {
    if let Some(given) = std::env::var_os(variable).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(given)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn cache_dir() -> Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("IREE_TFLITE_CACHE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let base = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))
        .ok_or_else(|| {
            iree_err!(
                FailedPrecondition,
                "no cache folder for compiled .tflite models: set IREE_TFLITE_CACHE_DIR"
            )
        })?;
    Ok(base.join("iree-runtime").join("tflite"))
}

/// 128 bits of two FNV-1a hashes with different offsets, in hex.
fn hash_hex(parts: &[&[u8]]) -> String {
    let mut hashes = [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142u64];
    for part in parts {
        for h in hashes.iter_mut() {
            for &b in part.iter().chain(b"\0") {
                *h = (*h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    format!("{:016x}{:016x}", hashes[0], hashes[1])
}

fn run(tool: &Path, args: &[OsString], what: &str) -> Result<Vec<u8>> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| iree_err!(Unavailable, "running {} ({what}): {e}", tool.display()))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: String = stderr
            .chars()
            .rev()
            .take(2000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        iree_bail!(
            Internal,
            "{} ({what}) failed ({}): {tail}",
            tool.display(),
            out.status
        );
    }
    Ok(out.stdout)
}

/// The cached `.vmfb` (with its sidecar) for the `.tflite` model `bytes`,
/// compiling it first when the cache has none.
pub fn compiled_module(bytes: &[u8]) -> Result<PathBuf> {
    let converter = find_tool("IREE_TFLITE_CONVERTER", "tosa-converter-for-tflite");
    let compiler = find_tool("IREE_COMPILE", "iree-compile");
    let (converter, compiler) = match (converter, compiler) {
        (Some(converter), Some(compiler)) => (converter, compiler),
        (converter, compiler) => {
            let missing: Vec<&str> = [
                (
                    converter.is_none(),
                    "tosa-converter-for-tflite (IREE_TFLITE_CONVERTER)",
                ),
                (compiler.is_none(), "iree-compile (IREE_COMPILE)"),
            ]
            .iter()
            .filter(|(absent, _)| *absent)
            .map(|(_, name)| *name)
            .collect();
            iree_bail!(
                Unimplemented,
                "this is a .tflite model, which is compiled on first use, but {} not found (set the variable or put the tool on PATH; pip install tosa-converter-for-tflite iree-base-compiler); or {BY_HAND}",
                missing.join(" and ") + if missing.len() > 1 { " are" } else { " is" }
            );
        }
    };
    let signature = read_signature(bytes)?;
    let version = run(&compiler, &["--version".into()], "version")?;
    let flags = FLAGS.join(" ");
    let key = hash_hex(&[bytes, &version, flags.as_bytes()]);
    let dir = cache_dir()?;
    let module = dir.join(format!("{key}.vmfb"));
    if module.is_file() && sidecar::path_for(&module).is_file() {
        return Ok(module);
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        iree_err!(
            Unavailable,
            "creating the cache folder '{}': {e}",
            dir.display()
        )
    })?;
    // Work files beside the cache entry, renamed into place when complete
    // so a concurrent or interrupted build never leaves a partial module.
    let work = dir.join(format!("{key}.{}.tmp", std::process::id()));
    let io = |e: std::io::Error| iree_err!(Unavailable, "writing in '{}': {e}", dir.display());
    std::fs::create_dir_all(&work).map_err(io)?;
    let result = (|| {
        let tflite = work.join("model.tflite");
        let vmfb = work.join("model.vmfb");
        std::fs::write(&tflite, bytes).map_err(io)?;
        let compile = |source: &Path| {
            let mut args: Vec<OsString> = FLAGS.iter().map(OsString::from).collect();
            args.extend([source.into(), "-o".into(), vmfb.clone().into()]);
            run(&compiler, &args, "compiling the TOSA program")
        };
        let tosa = work.join("model.mlirbc");
        run(
            &converter,
            &[
                tflite.clone().into(),
                "--bytecode".into(),
                "-o".into(),
                tosa.clone().into(),
            ],
            "converting the .tflite model to TOSA",
        )?;
        if let Err(bytecode_error) = compile(&tosa) {
            // Models with state variables: the converter's bytecode has a
            // newer tosa.variable layout than the compiler reads, but its
            // text, in generic form, compiles.
            let text = work.join("model.mlir");
            run(
                &converter,
                &[
                    tflite.into(),
                    "--text".into(),
                    "-o".into(),
                    text.clone().into(),
                ],
                "converting the .tflite model to textual TOSA",
            )?;
            let source = std::fs::read_to_string(&text).map_err(io)?;
            let generic = work.join("model.generic.mlir");
            std::fs::write(&generic, tosa_text::to_generic(&source)).map_err(io)?;
            compile(&generic).map_err(|e| {
                e.annotate(format!(
                    "after the TOSA bytecode failed too: {bytecode_error}"
                ))
            })?;
        }
        std::fs::write(sidecar::path_for(&module), signature.to_text()).map_err(io)?;
        std::fs::rename(&vmfb, &module).map_err(io)
    })();
    let _ = std::fs::remove_dir_all(&work);
    result.map(|()| module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_every_part() {
        let a = hash_hex(&[b"model", b"v1", b"flags"]);
        assert_eq!(a.len(), 32);
        assert_ne!(a, hash_hex(&[b"model", b"v2", b"flags"]));
        assert_ne!(a, hash_hex(&[b"mode", b"lv1", b"flags"]));
        assert_eq!(a, hash_hex(&[b"model", b"v1", b"flags"]));
    }
}
