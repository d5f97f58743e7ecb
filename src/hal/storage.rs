//! Host memory whose bytes are shared with C callers and executables.
//!
//! This is the one module of the HAL core with `unsafe` code. A
//! [`HostStorage`] is either an allocation it owns (zeroed, aligned to
//! [`STORAGE_ALIGNMENT`], zero-sized allowed) or foreign memory it wraps
//! (imported host allocations) together with a callback that fires exactly
//! once when the storage is dropped.
//!
//! Because C code and executables may read and write these bytes through the
//! raw pointer at any time, no Rust reference (`&[u8]`/`&mut [u8]`) to them
//! is ever created: every access here is a bounds-checked raw copy, which is
//! the same contract the C HAL gives (concurrent conflicting access is the
//! caller's race, never undefined behaviour in Rust code).

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use crate::{iree_bail, iree_ensure, Result};

/// Alignment of every owned allocation and the minimum for imported memory
/// (`IREE_HAL_HEAP_BUFFER_ALIGNMENT`).
pub const STORAGE_ALIGNMENT: usize = 64;

/// Runs when wrapped foreign memory is no longer referenced.
pub type ReleaseCallback = Box<dyn FnOnce() + Send>;

enum Ownership {
    /// Allocated here with this layout (`None` for zero bytes: nothing to free).
    Owned(Option<Layout>),
    /// Foreign memory; the callback (if any) runs once on drop.
    External(Option<ReleaseCallback>),
    /// A boxed slice this storage owns (from `Box::into_raw`, freed on drop),
    /// plus an optional callback.
    Boxed(*mut [u8], Option<ReleaseCallback>),
}

/// A run of host bytes with a stable address.
pub struct HostStorage {
    ptr: NonNull<u8>,
    len: usize,
    ownership: Ownership,
}

// SAFETY: the storage is a plain byte range; all access goes through raw
// copies with no Rust references, so moving or sharing the handle between
// threads cannot create aliasing references. Release callbacks are `Send`.
unsafe impl Send for HostStorage {}
// SAFETY: as above; `&HostStorage` only allows raw, bounds-checked copies.
unsafe impl Sync for HostStorage {}

impl HostStorage {
    /// Allocates `len` zeroed bytes aligned to [`STORAGE_ALIGNMENT`].
    /// Sizes the allocator cannot satisfy give RESOURCE_EXHAUSTED.
    pub fn allocate(len: usize) -> Result<HostStorage> {
        if len == 0 {
            return Ok(HostStorage {
                ptr: aligned_dangling(),
                len: 0,
                ownership: Ownership::Owned(None),
            });
        }
        let Ok(layout) = Layout::from_size_align(len, STORAGE_ALIGNMENT) else {
            iree_bail!(
                ResourceExhausted,
                "host allocation of {len} bytes exceeds the address space"
            );
        };
        // SAFETY: `layout` has a nonzero size (checked above).
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw) else {
            iree_bail!(
                ResourceExhausted,
                "host allocation of {len} bytes failed (out of memory)"
            );
        };
        Ok(HostStorage {
            ptr,
            len,
            ownership: Ownership::Owned(Some(layout)),
        })
    }

    /// Wraps foreign memory (host-allocation import from C).
    ///
    /// # Safety
    /// `ptr` must be valid for reads and writes of `len` bytes (or `len` is 0)
    /// until `on_release` runs (or, without one, for as long as the storage
    /// lives), and no Rust reference may alias those bytes meanwhile.
    pub unsafe fn wrap_external(
        ptr: *mut u8,
        len: usize,
        on_release: Option<ReleaseCallback>,
    ) -> Result<HostStorage> {
        let ptr = match NonNull::new(ptr) {
            Some(p) => p,
            None if len == 0 => aligned_dangling(),
            None => iree_bail!(InvalidArgument, "imported host memory is NULL"),
        };
        Ok(HostStorage {
            ptr,
            len,
            ownership: Ownership::External(on_release),
        })
    }

    /// Wraps `len` bytes at `offset` in `bytes` (safe foreign-style memory
    /// for Rust callers); `on_release` fires once when the storage drops.
    pub fn wrap_boxed(
        bytes: Box<[u8]>,
        offset: usize,
        len: usize,
        on_release: Option<ReleaseCallback>,
    ) -> Result<HostStorage> {
        iree_ensure!(
            offset
                .checked_add(len)
                .is_some_and(|end| end <= bytes.len()),
            OutOfRange,
            "range {offset}+{len} is outside the {} wrapped bytes",
            bytes.len()
        );
        // The box becomes a raw allocation so no unique Box pointer is kept
        // alongside the raw pointer handed out.
        let raw = Box::into_raw(bytes);
        // SAFETY: `offset <= raw.len()` (checked), so the result stays in (or
        // one past) the allocation, whose address is stable until drop.
        let ptr = unsafe { raw.cast::<u8>().add(offset) };
        Ok(HostStorage {
            ptr: NonNull::new(ptr).unwrap_or_else(aligned_dangling),
            len,
            ownership: Ownership::Boxed(raw, on_release),
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first byte, for C callers and executables. Valid for `len()`
    /// bytes while the storage lives.
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    fn check(&self, offset: usize, len: usize) -> Result<()> {
        match offset.checked_add(len) {
            Some(end) if end <= self.len => Ok(()),
            _ => iree_bail!(
                OutOfRange,
                "access of {len} bytes at offset {offset} is outside storage of {} bytes",
                self.len
            ),
        }
    }

    /// Copies bytes out, starting at `offset`.
    pub fn read(&self, offset: usize, out: &mut [u8]) -> Result<()> {
        self.check(offset, out.len())?;
        // SAFETY: the range is inside the storage (checked); `out` is a
        // distinct Rust buffer, so the ranges cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.ptr.as_ptr().add(offset),
                out.as_mut_ptr(),
                out.len(),
            )
        };
        Ok(())
    }

    /// Copies `len` bytes at `offset` into a new vector.
    pub fn read_to_vec(&self, offset: usize, len: usize) -> Result<Vec<u8>> {
        self.check(offset, len)?;
        let mut out = Vec::new();
        if out.try_reserve_exact(len).is_err() {
            iree_bail!(ResourceExhausted, "cannot copy {len} bytes out of a buffer");
        }
        out.resize(len, 0);
        self.read(offset, &mut out)?;
        Ok(out)
    }

    /// Copies `data` in, starting at `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) -> Result<()> {
        self.check(offset, data.len())?;
        // SAFETY: the range is inside the storage (checked); `data` is a
        // Rust slice, which cannot alias storage bytes (no references to them
        // are ever made), so the ranges do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.as_ptr().add(offset), data.len())
        };
        Ok(())
    }

    /// Repeats `pattern` over `len` bytes at `offset`; `len` must be a
    /// multiple of the pattern length.
    pub fn fill(&self, offset: usize, len: usize, pattern: &[u8]) -> Result<()> {
        self.check(offset, len)?;
        iree_ensure!(
            !pattern.is_empty() && len.is_multiple_of(pattern.len()),
            InvalidArgument,
            "fill of {len} bytes is not a whole number of {}-byte patterns",
            pattern.len()
        );
        if pattern.iter().all(|&b| b == pattern[0]) {
            // SAFETY: the range is inside the storage (checked).
            unsafe { std::ptr::write_bytes(self.ptr.as_ptr().add(offset), pattern[0], len) };
            return Ok(());
        }
        for start in (offset..offset + len).step_by(pattern.len()) {
            // SAFETY: `start + pattern.len() <= offset + len <= self.len`.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    pattern.as_ptr(),
                    self.ptr.as_ptr().add(start),
                    pattern.len(),
                )
            };
        }
        Ok(())
    }

    /// Copies `len` bytes from `source` at `source_offset` to `target_offset`
    /// here. The two may be the same storage and may overlap (memmove).
    pub fn copy_from(
        &self,
        target_offset: usize,
        source: &HostStorage,
        source_offset: usize,
        len: usize,
    ) -> Result<()> {
        source.check(source_offset, len)?;
        self.check(target_offset, len)?;
        // SAFETY: both ranges are inside their storages (checked); `copy`
        // allows overlap.
        unsafe {
            std::ptr::copy(
                source.ptr.as_ptr().add(source_offset),
                self.ptr.as_ptr().add(target_offset),
                len,
            )
        };
        Ok(())
    }

    /// Whether the first byte sits on an `alignment` boundary.
    pub fn is_aligned_to(&self, alignment: usize) -> bool {
        alignment.is_power_of_two() && (self.ptr.as_ptr() as usize).is_multiple_of(alignment)
    }
}

impl Drop for HostStorage {
    fn drop(&mut self) {
        match &mut self.ownership {
            Ownership::Owned(Some(layout)) => {
                // SAFETY: `ptr` came from `alloc_zeroed(*layout)` and is freed once.
                unsafe { alloc::dealloc(self.ptr.as_ptr(), *layout) }
            }
            Ownership::Owned(None) => {}
            Ownership::External(callback) => {
                if let Some(callback) = callback.take() {
                    callback();
                }
            }
            Ownership::Boxed(raw, callback) => {
                // SAFETY: `raw` came from `Box::into_raw` and is rebuilt once.
                drop(unsafe { Box::from_raw(*raw) });
                if let Some(callback) = callback.take() {
                    callback();
                }
            }
        }
    }
}

impl std::fmt::Debug for HostStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostStorage")
            .field("ptr", &self.ptr)
            .field("len", &self.len)
            .finish()
    }
}

/// A non-null, suitably aligned address for zero-byte storages (never read).
fn aligned_dangling() -> NonNull<u8> {
    // An address equal to the alignment is non-null and aligned; it is never
    // dereferenced because every access is bounds-checked against length 0.
    NonNull::new(STORAGE_ALIGNMENT as *mut u8).unwrap_or(NonNull::dangling())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn owned_storage_is_zeroed_aligned_and_bounded() {
        let s = HostStorage::allocate(100).unwrap();
        assert!(s.is_aligned_to(STORAGE_ALIGNMENT));
        assert_eq!(s.read_to_vec(0, 100).unwrap(), vec![0; 100]);
        s.write(98, &[1, 2]).unwrap();
        assert!(s.write(99, &[1, 2]).is_err());
        assert!(s.read_to_vec(usize::MAX, 2).is_err());
        s.fill(0, 8, &[0xAB, 0xCD]).unwrap();
        assert_eq!(s.read_to_vec(0, 4).unwrap(), [0xAB, 0xCD, 0xAB, 0xCD]);
        assert!(s.fill(0, 3, &[1, 2]).is_err());
        s.copy_from(1, &s, 0, 4).unwrap();
        assert_eq!(s.read_to_vec(0, 5).unwrap(), [0xAB, 0xAB, 0xCD, 0xAB, 0xCD]);
    }

    #[test]
    fn zero_sized_and_absurd_sizes() {
        let s = HostStorage::allocate(0).unwrap();
        assert!(s.is_empty());
        assert!(s.read_to_vec(0, 0).unwrap().is_empty());
        assert!(s.write(0, &[1]).is_err());
        let err = HostStorage::allocate(usize::MAX - 8).unwrap_err();
        assert_eq!(err.code(), crate::StatusCode::ResourceExhausted);
    }

    #[test]
    fn release_callback_fires_once() {
        let count = Arc::new(AtomicUsize::new(0));
        let c = count.clone();
        let storage = HostStorage::wrap_boxed(
            vec![7u8; 16].into_boxed_slice(),
            4,
            8,
            Some(Box::new(move || {
                c.fetch_add(1, Ordering::SeqCst);
            })),
        )
        .unwrap();
        assert_eq!(storage.read_to_vec(0, 8).unwrap(), [7; 8]);
        assert_eq!(count.load(Ordering::SeqCst), 0);
        drop(storage);
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert!(HostStorage::wrap_boxed(vec![0u8; 4].into_boxed_slice(), 2, 3, None).is_err());
    }
}
