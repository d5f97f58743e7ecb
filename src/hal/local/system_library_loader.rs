//! The system-library loader: `system-elf-*` executables
//! (`--iree-llvmcpu-link-embedded=false`) are ordinary shared objects,
//! loaded by the platform's dynamic linker through `libloading`.
//!
//! The data is written to an anonymous memory file (a temporary file where
//! that is unavailable) and opened from there as `/proc/self/fd/N`. The
//! dynamic linker finds loaded libraries by name first, so the file stays
//! open as long as its library is loaded (its number is not reused
//! meanwhile), and a number whose name some loaded library still has is
//! never used.
//!
//! Loading a system library runs its initializers with the process's
//! rights: only load executables you trust (the checks stop malformed
//! libraries, not hostile code).

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::hal::executable::ExecutableParams;
use crate::hal::local::executable_library::{QueryFn, QUERY_SYMBOL};
use crate::hal::local::executable_loader::{ExecutableCode, ExecutableLoader, LoadedImage};
use crate::hal::local::native_executable::NativeExecutable;
use crate::{iree_bail, iree_err, Result};

/// The host's name in executable formats (`system-elf-x86_64`, ...).
pub fn host_arch_name() -> Option<&'static str> {
    if cfg!(target_arch = "x86_64") {
        Some("x86_64")
    } else if cfg!(target_arch = "aarch64") {
        Some("arm_64")
    } else if cfg!(target_arch = "riscv64") {
        Some("riscv_64")
    } else {
        None
    }
}

/// Loads `system-elf-<host arch>` executables.
#[derive(Debug, Default)]
pub struct SystemLibraryLoader;

impl SystemLibraryLoader {
    pub fn new() -> SystemLibraryLoader {
        SystemLibraryLoader
    }
}

impl ExecutableLoader for SystemLibraryLoader {
    fn formats(&self) -> Vec<String> {
        if !cfg!(all(unix, not(target_os = "macos"))) {
            return Vec::new();
        }
        host_arch_name()
            .map(|arch| vec![format!("system-elf-{arch}")])
            .unwrap_or_default()
    }

    fn load(&self, params: &ExecutableParams<'_>) -> Result<Box<dyn ExecutableCode>> {
        if !self.can_load(params.executable_format) {
            iree_bail!(
                InvalidArgument,
                "the system library loader cannot load '{}' executables",
                params.executable_format
            );
        }
        let library_bytes = strip_debug_footer(params.executable_data)?;
        if !library_bytes.starts_with(b"\x7fELF") {
            iree_bail!(
                InvalidArgument,
                "'{}' executable data ({} bytes) is not an ELF shared object",
                params.executable_format,
                library_bytes.len()
            );
        }
        let image = open_library(library_bytes)?;
        let executable = NativeExecutable::create(image, params.constants)?;
        Ok(Box::new(executable))
    }
}

/// Magic of the optional debug-database footer IREE appends to system
/// libraries (`IREEDBG\0`), and the footer's size: magic, version u32,
/// flags u32, then library offset/size and debug offset/size as u64.
const FOOTER_MAGIC: &[u8; 8] = b"IREEDBG\0";
const FOOTER_SIZE: usize = 48;

/// The library bytes: all of `data`, or the part its footer names.
fn strip_debug_footer(data: &[u8]) -> Result<&[u8]> {
    if data.len() < FOOTER_SIZE {
        return Ok(data);
    }
    let footer = &data[data.len() - FOOTER_SIZE..];
    if &footer[..8] != FOOTER_MAGIC {
        return Ok(data);
    }
    let word = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&footer[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let (library_offset, library_size) = (word(16), word(24));
    let (debug_offset, debug_size) = (word(32), word(40));
    let available = (data.len() - FOOTER_SIZE) as u64;
    let fits =
        |offset: u64, size: u64| offset.checked_add(size).is_some_and(|end| end <= available);
    if !fits(library_offset, library_size) || !fits(debug_offset, debug_size) {
        iree_bail!(
            OutOfRange,
            "system library footer references bytes outside the {available}-byte executable data"
        );
    }
    Ok(&data[library_offset as usize..(library_offset + library_size) as usize])
}

/// A loaded library and the file it was loaded from (dropped in this order).
struct OpenedLibrary {
    _library: libloading::Library,
    _file: File,
}

pub(crate) fn open_library(bytes: &[u8]) -> Result<LoadedImage> {
    let (file, path, remove_after) = write_library_file(bytes)?;
    // SAFETY: loading runs the library's initializers; IREE system
    // libraries have none beyond the linker's, and loading native code is
    // what this format means (see the module documentation).
    let opened = unsafe { open_path(&path) };
    if remove_after {
        // The mapping outlives the name; nothing else should find the file.
        let _ = std::fs::remove_file(&path);
    }
    let library =
        opened.map_err(|e| iree_err!(InvalidArgument, "cannot load the system library: {e}"))?;
    // SAFETY: the symbol, when present, is the library's query function of
    // type `QueryFn` (the ABI), and the library stays loaded in the image's
    // keep-alive box for as long as the query result is used.
    let query: QueryFn = unsafe {
        let symbol = library
            .get::<QueryFn>(QUERY_SYMBOL.as_bytes())
            .map_err(|_| {
                iree_err!(
                    NotFound,
                    "the system library does not export '{QUERY_SYMBOL}'; it is not an IREE executable"
                )
            })?;
        *symbol
    };
    let keep_alive = OpenedLibrary {
        _library: library,
        _file: file,
    };
    // SAFETY: `query` is that library's query function and `keep_alive`
    // keeps it loaded; the dynamic linker owns the mapping, so no bounds.
    Ok(unsafe { LoadedImage::new(query, None, Box::new(keep_alive)) })
}

/// # Safety
/// Loading a shared object runs its initializers.
unsafe fn open_path(path: &std::path::Path) -> std::result::Result<libloading::Library, String> {
    #[cfg(unix)]
    {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: the caller's contract.
        unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map(Into::into)
            .map_err(|e| e.to_string())
    }
    #[cfg(not(unix))]
    {
        // SAFETY: the caller's contract.
        unsafe { libloading::Library::new(path) }.map_err(|e| e.to_string())
    }
}

/// Writes `bytes` to a file the dynamic linker can open: an anonymous
/// memory file on Linux, else a new temporary file (to be removed after
/// loading, the `bool`).
fn write_library_file(bytes: &[u8]) -> Result<(File, PathBuf, bool)> {
    #[cfg(target_os = "linux")]
    if let Some(mut file) = memory_file() {
        file.write_all(bytes)
            .map_err(|e| iree_err!(ResourceExhausted, "cannot stage the system library: {e}"))?;
        let (file, path) = unaliased_descriptor(file)?;
        return Ok((file, path, false));
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "iree-executable-{}-{}.so",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            iree_err!(
                Unavailable,
                "cannot create {} for the system library: {e}",
                path.display()
            )
        })?;
    if let Err(e) = file.write_all(bytes) {
        let _ = std::fs::remove_file(&path);
        iree_bail!(ResourceExhausted, "cannot stage the system library: {e}");
    }
    Ok((file, path, true))
}

/// `/proc/self/fd/N` for `file`, with an `N` whose name no loaded library
/// has: a library that outlived its descriptor (never unloaded) would
/// otherwise be returned again by name. The file is duplicated onto another
/// descriptor until the name is free.
#[cfg(target_os = "linux")]
fn unaliased_descriptor(file: File) -> Result<(File, PathBuf)> {
    use std::os::fd::AsRawFd;
    let mut candidate = file;
    let mut held = Vec::new();
    for _ in 0..16 {
        let path = PathBuf::from(format!("/proc/self/fd/{}", candidate.as_raw_fd()));
        if !name_is_loaded(&path) {
            return Ok((candidate, path));
        }
        let next = candidate
            .try_clone()
            .map_err(|e| iree_err!(ResourceExhausted, "cannot stage the system library: {e}"))?;
        // Keep the aliased number open so the next clone gets another one.
        held.push(std::mem::replace(&mut candidate, next));
    }
    iree_bail!(
        ResourceExhausted,
        "cannot find a descriptor name for the system library that no loaded library uses"
    )
}

/// Whether a library of this name is loaded already.
#[cfg(target_os = "linux")]
fn name_is_loaded(path: &std::path::Path) -> bool {
    use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
    // SAFETY: with RTLD_NOLOAD nothing is loaded (no initializer runs); an
    // already-loaded library only gains a reference, dropped at once.
    let probe = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL | libc::RTLD_NOLOAD) };
    probe.is_ok()
}

#[cfg(target_os = "linux")]
fn memory_file() -> Option<File> {
    use std::os::fd::FromRawFd;
    // SAFETY: a NUL-terminated name and valid flags; the call only returns
    // a new descriptor or -1.
    let fd = unsafe { libc::memfd_create(c"iree-executable".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` is a fresh descriptor this function owns.
    Some(unsafe { File::from_raw_fd(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_select_the_library_bytes() {
        let mut data = b"\x7fELFlibrarydebug".to_vec();
        data.extend_from_slice(FOOTER_MAGIC);
        data.extend_from_slice(&[0; 8]);
        for word in [0u64, 11, 11, 5] {
            data.extend_from_slice(&word.to_le_bytes());
        }
        assert_eq!(strip_debug_footer(&data).unwrap(), b"\x7fELFlibrary");
        let len = data.len();
        data[len - 16..len - 8].copy_from_slice(&100u64.to_le_bytes());
        assert!(strip_debug_footer(&data).is_err());
        assert_eq!(strip_debug_footer(b"\x7fELF").unwrap(), b"\x7fELF");
    }

    #[test]
    fn garbage_is_refused_by_name() {
        let loader = SystemLibraryLoader::new();
        let Some(format) = loader.formats().pop() else {
            return;
        };
        let params = ExecutableParams {
            executable_format: &format,
            executable_data: b"not a library",
            ..Default::default()
        };
        let err = loader.load(&params).unwrap_err();
        assert!(err.message().contains("not an ELF"), "{err}");
        let mut elf = b"\x7fELF".to_vec();
        elf.resize(256, 0);
        let params = ExecutableParams {
            executable_data: &elf,
            ..params
        };
        let err = loader.load(&params).unwrap_err();
        assert!(err.message().contains("cannot load"), "{err}");
    }
}
