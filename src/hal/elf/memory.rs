//! The one address-space reservation an image lives in: mapped read-write
//! while it is filled and relocated, then sealed with each segment's final
//! protection, and unmapped when dropped. Every `unsafe` of the loader's
//! memory handling is in this file.

use std::ops::Range;

use crate::{iree_bail, iree_err, Result};

/// The host's page size (what `mprotect` works in).
pub(super) fn host_page_size() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if size > 0 {
        size as u64
    } else {
        4096
    }
}

/// Page access for a sealed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Access {
    pub read: bool,
    pub write: bool,
    pub execute: bool,
}

impl Access {
    pub const NONE: Access = Access {
        read: false,
        write: false,
        execute: false,
    };
    pub const READ: Access = Access {
        read: true,
        write: false,
        execute: false,
    };

    fn prot(self) -> libc::c_int {
        let mut prot = libc::PROT_NONE;
        if self.read {
            prot |= libc::PROT_READ;
        }
        if self.write {
            prot |= libc::PROT_WRITE;
        }
        if self.execute {
            prot |= libc::PROT_EXEC;
        }
        prot
    }
}

/// An anonymous private mapping owned by this value; unmapped on drop.
#[derive(Debug)]
struct Reservation {
    base: usize,
    len: usize,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: `base..base + len` is a mapping this value created and
        // nothing else unmaps; no reference into it outlives the value (the
        // writable view borrows it, the sealed image hands out addresses
        // only).
        unsafe { libc::munmap(self.base as *mut libc::c_void, self.len) };
    }
}

/// A fresh zero-filled, read-write, never-executable mapping.
#[derive(Debug)]
pub(super) struct WritableMapping {
    reservation: Reservation,
}

impl WritableMapping {
    /// Maps `len` bytes (a multiple of the page size, not zero). The pages
    /// are committed lazily by the kernel, so an image with a large `.bss`
    /// costs address space, not memory, until it is touched.
    pub fn new(len: u64) -> Result<WritableMapping> {
        let len = usize::try_from(len).map_err(|_| {
            iree_err!(
                ResourceExhausted,
                "image of {len} bytes does not fit the address space"
            )
        })?;
        if len == 0 {
            iree_bail!(InvalidArgument, "image has no bytes to map");
        }
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing aliases no existing memory; the result is checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            iree_bail!(
                ResourceExhausted,
                "cannot reserve {len} bytes for the image: {}",
                std::io::Error::last_os_error()
            );
        }
        Ok(WritableMapping {
            reservation: Reservation {
                base: base as usize,
                len,
            },
        })
    }

    /// The mapping's first address.
    pub fn base(&self) -> usize {
        self.reservation.base
    }

    /// The whole mapping as bytes, to copy segments into and relocate.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the mapping is `len` bytes, readable and writable (it is
        // only re-protected by `seal`, which consumes `self`), zero-filled
        // by the kernel so every byte is initialised, and exclusively owned
        // by this value; the slice borrows `self` mutably.
        unsafe {
            std::slice::from_raw_parts_mut(self.reservation.base as *mut u8, self.reservation.len)
        }
    }

    /// Gives the whole mapping no access, then each of `ranges` (offsets
    /// from the base, page-aligned, inside the mapping; later ranges win
    /// where they overlap) its access. Executable ranges have their
    /// instruction cache made coherent with what was written.
    pub fn seal(self, ranges: &[(Range<usize>, Access)]) -> Result<SealedMapping> {
        let WritableMapping { reservation } = self;
        protect(&reservation, 0..reservation.len, Access::NONE)?;
        for (range, access) in ranges {
            protect(&reservation, range.clone(), *access)?;
            if access.execute {
                flush_instruction_cache(reservation.base + range.start, range.len());
            }
        }
        Ok(SealedMapping { reservation })
    }
}

fn protect(reservation: &Reservation, range: Range<usize>, access: Access) -> Result<()> {
    if range.start > range.end || range.end > reservation.len {
        iree_bail!(
            Internal,
            "protection range {range:?} outside the {}-byte image",
            reservation.len
        );
    }
    if range.is_empty() {
        return Ok(());
    }
    // SAFETY: the range lies inside the mapping this reservation owns
    // (checked above) and starts on a page boundary (the caller's layout);
    // changing its protection touches no other memory. Nothing borrows the
    // bytes any more: the writable view was consumed by `seal`.
    let rc = unsafe {
        libc::mprotect(
            (reservation.base + range.start) as *mut libc::c_void,
            range.len(),
            access.prot(),
        )
    };
    if rc != 0 {
        iree_bail!(
            Internal,
            "cannot protect image bytes {range:?} as {access:?}: {}",
            std::io::Error::last_os_error()
        );
    }
    Ok(())
}

#[cfg(target_arch = "aarch64")]
fn flush_instruction_cache(start: usize, len: usize) {
    extern "C" {
        fn __clear_cache(start: *mut libc::c_char, end: *mut libc::c_char);
    }
    // SAFETY: compiler-rt/libgcc's cache maintenance over a range of our
    // own mapping; it reads and writes no memory.
    unsafe {
        __clear_cache(
            start as *mut libc::c_char,
            (start + len) as *mut libc::c_char,
        )
    };
}

#[cfg(not(target_arch = "aarch64"))]
fn flush_instruction_cache(_start: usize, _len: usize) {
    // x86-64 keeps instruction fetch coherent with stores.
}

/// The image's final mapping: addresses only, no byte access from Rust.
#[derive(Debug)]
pub(super) struct SealedMapping {
    reservation: Reservation,
}

impl SealedMapping {
    pub fn base(&self) -> usize {
        self.reservation.base
    }

    pub fn len(&self) -> usize {
        self.reservation.len
    }
}
