//! `iree/base/internal/file_io.h` core: whole-file reads and writes.
//!
//! Reads are split into [`open_for_read`] + [`OpenFile::read_exact_into`] so
//! the C layer can read straight into memory from the caller's allocator
//! instead of going through an intermediate `Vec`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use crate::base::status::{Error, StatusCode};
use crate::Result;

/// The status code for an I/O error, as `iree_status_code_from_errno` maps
/// the underlying errno.
pub fn status_code_for_io_error(err: &io::Error) -> StatusCode {
    if let Some(errno) = err.raw_os_error() {
        return match errno {
            libc::ENOENT | libc::ENOTDIR => StatusCode::NotFound,
            libc::EACCES | libc::EPERM | libc::EROFS => StatusCode::PermissionDenied,
            libc::EEXIST => StatusCode::AlreadyExists,
            libc::EINVAL | libc::EISDIR | libc::ENAMETOOLONG => StatusCode::InvalidArgument,
            libc::ENOMEM | libc::ENOSPC | libc::EMFILE | libc::ENFILE | libc::EDQUOT => {
                StatusCode::ResourceExhausted
            }
            libc::EINTR => StatusCode::Cancelled,
            libc::EAGAIN | libc::EBUSY => StatusCode::Unavailable,
            libc::ETIMEDOUT => StatusCode::DeadlineExceeded,
            libc::EIO => StatusCode::DataLoss,
            libc::ENOSYS | libc::EOPNOTSUPP => StatusCode::Unimplemented,
            _ => StatusCode::Unknown,
        };
    }
    match err.kind() {
        io::ErrorKind::NotFound => StatusCode::NotFound,
        io::ErrorKind::PermissionDenied => StatusCode::PermissionDenied,
        io::ErrorKind::AlreadyExists => StatusCode::AlreadyExists,
        io::ErrorKind::InvalidInput => StatusCode::InvalidArgument,
        io::ErrorKind::UnexpectedEof | io::ErrorKind::WriteZero => StatusCode::DataLoss,
        io::ErrorKind::OutOfMemory => StatusCode::ResourceExhausted,
        _ => StatusCode::Unknown,
    }
}

/// Wraps an I/O error into a status that names what was being done.
pub fn io_error(err: &io::Error, what: impl std::fmt::Display) -> Error {
    Error::new(status_code_for_io_error(err), format!("{what}: {err}"))
}

/// OK when something exists at `path` (reading it may still fail);
/// NOT_FOUND otherwise.
pub fn exists(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(()),
        Err(_) => Err(Error::new(
            StatusCode::NotFound,
            format!("'{}'", path.display()),
        )),
    }
}

/// A file opened for a whole-contents read, with its size known up front.
pub struct OpenFile {
    file: File,
    len: usize,
    path: String,
    /// Contents of a file whose size is only known after reading it (pipes,
    /// procfs entries and the like).
    prefetched: Option<Vec<u8>>,
}

/// Opens `path` and measures it.
pub fn open_for_read(path: &Path) -> Result<OpenFile> {
    let shown = path.display().to_string();
    let file = File::open(path)
        .map_err(|e| io_error(&e, format_args!("failed to open file '{shown}'")))?;
    let metadata = file
        .metadata()
        .map_err(|e| io_error(&e, format_args!("size query of '{shown}'")))?;
    // procfs/sysfs entries claim 0 bytes, so size those by reading too.
    if !metadata.is_file() || metadata.len() == 0 {
        let mut contents = Vec::new();
        (&file)
            .read_to_end(&mut contents)
            .map_err(|e| io_error(&e, format_args!("reading '{shown}'")))?;
        return Ok(OpenFile {
            file,
            len: contents.len(),
            path: shown,
            prefetched: Some(contents),
        });
    }
    let len = usize::try_from(metadata.len()).map_err(|_| {
        Error::new(
            StatusCode::ResourceExhausted,
            format!("file '{shown}' is too large"),
        )
    })?;
    Ok(OpenFile {
        file,
        len,
        path: shown,
        prefetched: None,
    })
}

impl OpenFile {
    /// Size in bytes at open time.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Fills `buffer` (normally `len()` bytes) from the start of the file.
    pub fn read_exact_into(&mut self, buffer: &mut [u8]) -> Result<()> {
        if let Some(contents) = &self.prefetched {
            if contents.len() != buffer.len() {
                return Err(Error::new(
                    StatusCode::InvalidArgument,
                    format!(
                        "buffer of {} bytes for {} bytes of '{}'",
                        buffer.len(),
                        contents.len(),
                        self.path
                    ),
                ));
            }
            buffer.copy_from_slice(contents);
            return Ok(());
        }
        self.file.read_exact(buffer).map_err(|e| {
            io_error(
                &e,
                format_args!(
                    "unable to read entire {} file bytes of '{}'",
                    buffer.len(),
                    self.path
                ),
            )
        })
    }
}

/// Reads a whole file into a `Vec`.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let mut file = open_for_read(path)?;
    let mut contents = vec![0u8; file.len()];
    file.read_exact_into(&mut contents)?;
    Ok(contents)
}

/// Creates or truncates `path` and writes `contents` to it.
pub fn write(path: &Path, contents: &[u8]) -> Result<()> {
    let shown = path.display();
    let mut file = File::create(path)
        .map_err(|e| io_error(&e, format_args!("failed to open file '{shown}'")))?;
    file.write_all(contents)
        .and_then(|()| file.flush())
        .map_err(|e| {
            Error::new(
                StatusCode::DataLoss,
                format!(
                    "unable to write file contents of {} bytes to '{shown}': {e}",
                    contents.len()
                ),
            )
        })
}

/// Reads standard input until end of file.
pub fn read_stdin() -> Result<Vec<u8>> {
    let mut contents = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut contents)
        .map_err(|e| io_error(&e, "reading stdin"))?;
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("iree_platform_test_{}_{name}", std::process::id()))
    }

    #[test]
    fn write_then_read_round_trips() {
        let path = temp_path("round_trip");
        assert_eq!(exists(&path).unwrap_err().code(), StatusCode::NotFound);
        write(&path, b"hello\0world").unwrap();
        exists(&path).unwrap();
        assert_eq!(read(&path).unwrap(), b"hello\0world");
        write(&path, b"x").unwrap();
        assert_eq!(read(&path).unwrap(), b"x");
        std::fs::remove_file(&path).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn non_regular_files_are_read_to_the_end() {
        let contents = read(Path::new("/proc/self/status")).unwrap();
        assert!(contents.starts_with(b"Name:"));
    }

    #[test]
    fn directories_cannot_be_read() {
        assert!(read(&std::env::temp_dir()).is_err());
    }

    #[test]
    fn missing_files_are_not_found() {
        let err = read(&temp_path("missing")).unwrap_err();
        assert_eq!(err.code(), StatusCode::NotFound);
        assert!(err.to_string().contains("failed to open file"));
    }

    #[test]
    fn writing_into_a_missing_directory_fails() {
        let path = temp_path("no_such_dir").join("file");
        assert_eq!(write(&path, b"x").unwrap_err().code(), StatusCode::NotFound);
    }
}
