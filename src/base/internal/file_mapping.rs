//! Read-only file mappings: a module file is used where it lies in the page
//! cache instead of being copied into the heap. The mapping is private
//! (copy-on-write, never written) and lives as long as the value.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::base::internal::file_io::io_error;
use crate::{iree_err, Result};

/// The whole contents of a file, mapped read-only.
pub struct MappedFile {
    address: *mut libc::c_void,
    len: usize,
}

// SAFETY: the mapping is read-only and owned by this value alone; reading
// it from several threads is sound.
unsafe impl Send for MappedFile {}
// SAFETY: as above (only shared reads).
unsafe impl Sync for MappedFile {}

impl MappedFile {
    /// Maps `path`. An empty file gives an empty mapping (mmap refuses a
    /// zero length); files that are not regular (pipes, devices) are
    /// refused with INVALID_ARGUMENT, since they cannot be mapped.
    pub fn open(path: &Path) -> Result<MappedFile> {
        let shown = path.display();
        let file = File::open(path)
            .map_err(|e| io_error(&e, format_args!("failed to open file '{shown}'")))?;
        let metadata = file
            .metadata()
            .map_err(|e| io_error(&e, format_args!("size query of '{shown}'")))?;
        if !metadata.is_file() {
            return Err(iree_err!(
                InvalidArgument,
                "file '{}' is not a regular file and cannot be mapped",
                shown
            ));
        }
        let len = usize::try_from(metadata.len())
            .map_err(|_| iree_err!(ResourceExhausted, "file '{}' is too large to map", shown))?;
        if len == 0 {
            return Ok(MappedFile {
                address: std::ptr::null_mut(),
                len: 0,
            });
        }
        // SAFETY: a fresh private read-only mapping of an open descriptor
        // over the file's size; the kernel picks the address. The result
        // is checked before use and unmapped in `drop`.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if address == libc::MAP_FAILED {
            let err = std::io::Error::last_os_error();
            return Err(io_error(&err, format_args!("mapping file '{shown}'")));
        }
        Ok(MappedFile { address, len })
    }

    /// The mapped bytes.
    pub fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `address` is a live read-only mapping of `len` bytes
        // owned by `self` (unmapped only in `drop`). A file truncated by
        // another process while mapped would fault on access; loading a
        // module assumes its file is not changed underneath it, as
        // upstream's mapping does.
        unsafe { std::slice::from_raw_parts(self.address.cast::<u8>(), self.len) }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        if self.len != 0 {
            // SAFETY: the mapping made in `open`, unmapped once, here; no
            // borrow of `bytes()` outlives `self`.
            unsafe { libc::munmap(self.address, self.len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_contents_and_refuses_what_it_cannot() {
        let path = std::env::temp_dir().join(format!("iree_mapping_test_{}", std::process::id()));
        std::fs::write(&path, b"hello mapping").unwrap();
        let mapped = MappedFile::open(&path).unwrap();
        assert_eq!(mapped.bytes(), b"hello mapping");
        std::fs::write(&path, b"").unwrap();
        assert!(MappedFile::open(&path).unwrap().is_empty());
        std::fs::remove_file(&path).unwrap();
        let missing = MappedFile::open(&path).err().unwrap();
        assert!(
            missing.to_string().contains("failed to open file"),
            "{missing}"
        );
        let dir = MappedFile::open(&std::env::temp_dir()).err().unwrap();
        assert!(dir.to_string().contains("not a regular file"), "{dir}");
    }
}
