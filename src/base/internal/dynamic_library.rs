//! `iree/base/internal/dynamic_library.h` core: shared objects loaded from
//! disk or from bytes in memory, with symbol lookup.
//!
//! Built on `libloading`. Libraries are opened with lazy binding and local
//! symbol scope (so two loaded objects never resolve against each other) and
//! closed when the last reference goes away.

use std::ffi::{c_void, CStr};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use libloading::os::unix::{Library, RTLD_LAZY, RTLD_LOCAL};

use crate::base::internal::file_io::io_error;
use crate::base::status::{Error, StatusCode};
use crate::Result;

/// A loaded shared object.
pub struct DynamicLibrary {
    library: Library,
    /// Debug databases attached so far (there is no symbol store to hand
    /// them to on this platform; the count keeps the call observable).
    attached_symbol_sources: AtomicUsize,
}

impl std::fmt::Debug for DynamicLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicLibrary").finish_non_exhaustive()
    }
}

impl DynamicLibrary {
    /// Opens the first of `paths` the system loader accepts (absolute,
    /// relative, or a bare name looked up on the loader's search path).
    pub fn load_from_files(paths: &[&CStr]) -> Result<DynamicLibrary> {
        let mut failures = Vec::new();
        for path in paths {
            // SAFETY: opening a shared object runs its initializers; loading
            // code the caller names is exactly what this API is for.
            match unsafe { Library::open(Some(path_of(path)), RTLD_LAZY | RTLD_LOCAL) } {
                Ok(library) => {
                    return Ok(DynamicLibrary {
                        library,
                        attached_symbol_sources: AtomicUsize::new(0),
                    })
                }
                Err(err) => failures.push(err.to_string()),
            }
        }
        Err(Error::new(
            StatusCode::NotFound,
            format!(
                "dynamic library not found on any search path ({})",
                if failures.is_empty() {
                    "no paths given".to_owned()
                } else {
                    failures.join("; ")
                }
            ),
        ))
    }

    /// Loads a shared object image held in memory by writing it to a
    /// temporary file and opening that. The file is removed right after
    /// loading unless `IREE_PRESERVE_DYLIB_TEMP_FILES` asks to keep it.
    pub fn load_from_memory(identifier: &[u8], image: &[u8]) -> Result<DynamicLibrary> {
        let temp = temp_dir_config();
        if !temp.valid {
            return Err(Error::new(
                StatusCode::InvalidArgument,
                format!(
                    "path of dylib temp files ({}) is not the path of a directory",
                    temp.dir.display()
                ),
            ));
        }
        let path = write_temp_image(&temp.dir, identifier, image)?;
        let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| Error::new(StatusCode::InvalidArgument, "temp path contains NUL"))?;
        let result = DynamicLibrary::load_from_files(&[c_path.as_c_str()]);
        if !temp.preserve {
            // The loader keeps its own mapping; the name is no longer needed.
            let _ = std::fs::remove_file(&path);
        }
        result
    }

    /// Address of an exported symbol; NOT_FOUND when absent (or NULL).
    pub fn lookup(&self, name: &CStr) -> Result<*mut c_void> {
        // SAFETY: the symbol is only read as an untyped address, never called
        // or dereferenced here; `Symbol<*mut c_void>::into_raw` gives it back.
        let symbol = unsafe { self.library.get::<*mut c_void>(name.to_bytes_with_nul()) };
        match symbol.map(|s| s.into_raw()) {
            Ok(address) if !address.is_null() => Ok(address),
            _ => Err(Error::new(
                StatusCode::NotFound,
                format!("symbol '{}' not found in library", name.to_string_lossy()),
            )),
        }
    }

    /// Records a debug database for this library. Linux has no process-wide
    /// symbol store to register it with, so this succeeds without effect.
    pub fn attach_symbols(&self) -> Result<()> {
        self.attached_symbol_sources.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// How many debug databases were attached.
    pub fn attached_symbol_count(&self) -> usize {
        self.attached_symbol_sources.load(Ordering::Relaxed)
    }
}

fn path_of(path: &CStr) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(path.to_bytes())
}

struct TempDirConfig {
    dir: PathBuf,
    valid: bool,
    preserve: bool,
}

/// Where in-memory images are extracted, decided once per process:
/// `IREE_PRESERVE_DYLIB_TEMP_FILES` unset or empty means "delete after load"
/// in `$TMPDIR` (or `/tmp`); `1` means keep them there; any other value keeps
/// them in that directory.
fn temp_dir_config() -> &'static TempDirConfig {
    static CONFIG: OnceLock<TempDirConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let preserve_var =
            std::env::var_os("IREE_PRESERVE_DYLIB_TEMP_FILES").filter(|v| !v.is_empty());
        let preserve = preserve_var.is_some();
        let dir = match preserve_var {
            Some(v) if v != "1" => PathBuf::from(v),
            _ => std::env::var_os("TMPDIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(if cfg!(target_os = "android") {
                        "/data/local/tmp"
                    } else {
                        "/tmp"
                    })
                }),
        };
        let valid = std::fs::metadata(&dir).map(|m| m.is_dir()).unwrap_or(false);
        TempDirConfig {
            dir,
            valid,
            preserve,
        }
    })
}

/// Writes `image` to a new, uniquely named `.so` file in `dir`.
fn write_temp_image(dir: &Path, identifier: &[u8], image: &[u8]) -> Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Keep the identifier readable in the file name (tools show it) but only
    // with characters that are safe in any file name.
    let label: String = identifier
        .iter()
        .take(64)
        .map(|&c| {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
                c as char
            } else {
                '_'
            }
        })
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for _ in 0..64 {
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            "iree_dylib_{}_{nanos:08x}_{unique}_mem_{label}.so",
            std::process::id()
        ));
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(io_error(
                    &e,
                    format_args!("unable to open file '{}'", path.display()),
                ))
            }
        };
        if let Err(e) = file.write_all(image) {
            let _ = std::fs::remove_file(&path);
            return Err(io_error(
                &e,
                format_args!(
                    "unable to write file span of {} bytes to '{}'",
                    image.len(),
                    path.display()
                ),
            ));
        }
        return Ok(path);
    }
    Err(Error::new(
        StatusCode::AlreadyExists,
        "unable to create a unique temp file",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_library_is_not_found() {
        let err =
            DynamicLibrary::load_from_files(&[c"library_that_does_not_exist.so"]).unwrap_err();
        assert_eq!(err.code(), StatusCode::NotFound);
        let err = DynamicLibrary::load_from_files(&[]).unwrap_err();
        assert_eq!(err.code(), StatusCode::NotFound);
    }

    #[test]
    fn system_libc_resolves_symbols() {
        let lib = DynamicLibrary::load_from_files(&[c"no_such_lib.so", c"libc.so.6"]).unwrap();
        assert!(!lib.lookup(c"strlen").unwrap().is_null());
        assert_eq!(
            lib.lookup(c"no_such_symbol_xyz").unwrap_err().code(),
            StatusCode::NotFound
        );
        lib.attach_symbols().unwrap();
        assert_eq!(lib.attached_symbol_count(), 1);
    }

    #[test]
    fn memory_images_load_through_a_temp_file() {
        let image = std::fs::read("/lib/x86_64-linux-gnu/libm.so.6")
            .or_else(|_| std::fs::read("/lib/aarch64-linux-gnu/libm.so.6"));
        let Ok(image) = image else { return };
        let lib = DynamicLibrary::load_from_memory(b"libm copy", &image).unwrap();
        assert!(!lib.lookup(c"cos").unwrap().is_null());
        let garbage = DynamicLibrary::load_from_memory(b"junk", b"not an elf").unwrap_err();
        assert_eq!(garbage.code(), StatusCode::NotFound);
    }
}
