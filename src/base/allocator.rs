//! Address arithmetic of aligned allocations made through an
//! `iree_allocator_t` (the C layer does the allocating).
//!
//! Layout of one aligned block: `[base .. slot)[slot: base address][data ..]`
//! where `data` is placed so that `data + offset` is a multiple of the
//! alignment and the word just before `data` records where the underlying
//! allocation began.

use crate::{iree_ensure, Result};

/// Bytes reserved for the saved base address.
pub const BASE_SLOT: usize = std::mem::size_of::<usize>();

/// The smallest alignment handed out (matches the C `max_align_t`).
pub const MIN_ALIGNMENT: usize = 16;

/// Checks an alignment request and returns the alignment actually used.
pub fn effective_alignment(min_alignment: usize) -> Result<usize> {
    let alignment = min_alignment.max(MIN_ALIGNMENT);
    iree_ensure!(
        alignment.is_power_of_two(),
        InvalidArgument,
        "alignments must be powers of two (got {min_alignment})"
    );
    Ok(alignment)
}

/// Bytes to request from the underlying allocator for `byte_length` usable
/// bytes at `alignment`.
pub fn padded_length(byte_length: usize, alignment: usize) -> Result<usize> {
    iree_ensure!(
        byte_length > 0,
        InvalidArgument,
        "allocations must be >0 bytes"
    );
    byte_length
        .checked_add(alignment)
        .and_then(|n| n.checked_add(BASE_SLOT))
        .ok_or_else(|| {
            crate::iree_err!(
                ResourceExhausted,
                "aligned allocation of {byte_length} bytes overflows the address space"
            )
        })
}

/// Address of the data within a block starting at `base`.
pub fn data_address(base: usize, alignment: usize, offset: usize) -> usize {
    let mask = alignment - 1;
    let target = base + BASE_SLOT + offset;
    ((target + mask) & !mask) - offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_fits_inside_the_padded_block() {
        for base in [0x1000usize, 0x1003, 0x1008, 0x100F] {
            for alignment in [16usize, 64, 4096] {
                for offset in [0usize, 3, 8, 100] {
                    let len = 10;
                    let total = padded_length(len, alignment).unwrap();
                    let data = data_address(base, alignment, offset);
                    assert_eq!((data + offset) % alignment, 0);
                    assert!(data >= base + BASE_SLOT);
                    assert!(data + len <= base + total);
                }
            }
        }
    }

    #[test]
    fn rejects_bad_requests() {
        assert!(effective_alignment(24).is_err());
        assert_eq!(effective_alignment(1).unwrap(), MIN_ALIGNMENT);
        assert!(padded_length(0, 16).is_err());
        assert!(padded_length(usize::MAX, 16).is_err());
    }
}
