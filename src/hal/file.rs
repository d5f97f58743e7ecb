//! Files (`iree_hal_file_t`): byte storage that queue reads and writes move
//! data between and buffers. Only host memory backs files so far, which is
//! what `hal.ex.file.from_memory` needs (parameters embedded in a module).

use crate::hal::buffer::DeviceSize;
use crate::hal::memory::{validate_access, MemoryAccess};
use crate::hal::storage::HostStorage;
use crate::{iree_bail, Result};

/// A file over host memory; `access` limits what queue operations may do.
#[derive(Debug)]
pub struct File {
    access: MemoryAccess,
    storage: HostStorage,
}

impl File {
    /// Wraps `storage` (its release callback runs when the file goes).
    pub fn from_memory(access: MemoryAccess, storage: HostStorage) -> Result<File> {
        if !access.intersects(MemoryAccess::READ | MemoryAccess::WRITE) {
            iree_bail!(
                InvalidArgument,
                "file access must include READ and/or WRITE (got {})",
                access.format()
            );
        }
        Ok(File { access, storage })
    }

    pub fn access(&self) -> MemoryAccess {
        self.access
    }

    pub fn length(&self) -> DeviceSize {
        self.storage.len() as DeviceSize
    }

    fn host_range(&self, offset: DeviceSize, length: DeviceSize) -> Result<(usize, usize)> {
        let end = offset.checked_add(length);
        match (usize::try_from(offset), usize::try_from(length), end) {
            (Ok(offset), Ok(length), Some(end)) if end <= self.length() => Ok((offset, length)),
            _ => iree_bail!(
                OutOfRange,
                "file range (offset={offset}, length={length}) is outside the {}-byte file",
                self.length()
            ),
        }
    }

    /// Copies `length` bytes at `offset` out.
    pub fn read(&self, offset: DeviceSize, length: DeviceSize) -> Result<Vec<u8>> {
        validate_access(self.access, MemoryAccess::READ)?;
        let (offset, length) = self.host_range(offset, length)?;
        self.storage.read_to_vec(offset, length)
    }

    /// Copies `data` in at `offset`.
    pub fn write(&self, offset: DeviceSize, data: &[u8]) -> Result<()> {
        validate_access(self.access, MemoryAccess::WRITE)?;
        let (offset, _) = self.host_range(offset, data.len() as DeviceSize)?;
        self.storage.write(offset, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn reads_writes_and_releases_once() {
        let released = Arc::new(AtomicUsize::new(0));
        let counter = released.clone();
        let storage = HostStorage::wrap_boxed(
            vec![1u8, 2, 3, 4, 5, 6, 7, 8].into_boxed_slice(),
            2,
            4,
            Some(Box::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            })),
        )
        .unwrap();
        let file = File::from_memory(MemoryAccess::READ | MemoryAccess::WRITE, storage).unwrap();
        assert_eq!(file.length(), 4);
        assert_eq!(file.read(1, 2).unwrap(), vec![4, 5]);
        file.write(0, &[9, 9]).unwrap();
        assert_eq!(file.read(0, 4).unwrap(), vec![9, 9, 5, 6]);
        assert_eq!(file.read(3, 2).unwrap_err().code(), StatusCode::OutOfRange);
        assert_eq!(
            file.read(u64::MAX, 2).unwrap_err().code(),
            StatusCode::OutOfRange
        );
        drop(file);
        assert_eq!(released.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn access_is_enforced() {
        let storage = HostStorage::wrap_boxed(vec![0u8; 4].into_boxed_slice(), 0, 4, None).unwrap();
        let file = File::from_memory(MemoryAccess::READ, storage).unwrap();
        assert_eq!(
            file.write(0, &[1]).unwrap_err().code(),
            StatusCode::PermissionDenied
        );
        let storage = HostStorage::wrap_boxed(vec![0u8; 4].into_boxed_slice(), 0, 4, None).unwrap();
        assert_eq!(
            File::from_memory(MemoryAccess::DISCARD, storage)
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
    }
}
