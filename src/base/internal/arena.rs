//! `iree/base/internal/arena.h` core: the arithmetic of fixed-size blocks and
//! bump allocation.
//!
//! Blocks and arenas live in C-owned structs and memory from C allocators,
//! so the pointer work is done at the boundary (`src/capi/base/arena.rs`);
//! the sizes and the placement decisions are made here.

/// Alignment of every arena allocation (`iree_max_align_t`).
pub const ARENA_ALIGNMENT: usize = 16;

/// Bytes of bookkeeping at the *end* of each block (its free-list link), so
/// the usable bytes start at the allocation's own (aligned) start.
pub const BLOCK_FOOTER_SIZE: usize = std::mem::size_of::<usize>();

/// Bytes in front of an oversized allocation (its list link), padded so the
/// user's bytes stay aligned.
pub const OVERSIZED_HEADER_SIZE: usize = ARENA_ALIGNMENT;

/// Usable bytes of a block of `total_block_size` bytes (0 if too small).
pub fn usable_block_size(total_block_size: usize) -> usize {
    total_block_size.saturating_sub(BLOCK_FOOTER_SIZE)
}

/// `byte_length` rounded up to [`ARENA_ALIGNMENT`]; `None` on overflow.
pub fn aligned_length(byte_length: usize) -> Option<usize> {
    byte_length
        .checked_add(ARENA_ALIGNMENT - 1)
        .map(|n| n & !(ARENA_ALIGNMENT - 1))
}

/// Where an allocation of `aligned` bytes comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum Placement {
    /// Bigger than a block: a dedicated allocation of this many bytes.
    Oversized { allocation_size: usize },
    /// The current block has room.
    CurrentBlock,
    /// A fresh block is needed.
    NewBlock,
}

/// Decides where `aligned` bytes go given the block geometry and what is left
/// in the current block (`None` when the arena holds no block).
pub fn place(aligned: usize, usable: usize, remaining: Option<usize>) -> Option<Placement> {
    if aligned > usable {
        return aligned
            .checked_add(OVERSIZED_HEADER_SIZE)
            .map(|allocation_size| Placement::Oversized { allocation_size });
    }
    Some(match remaining {
        Some(left) if left >= aligned => Placement::CurrentBlock,
        _ => Placement::NewBlock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry() {
        assert_eq!(usable_block_size(4096), 4088);
        assert_eq!(usable_block_size(3), 0);
        assert_eq!(aligned_length(0), Some(0));
        assert_eq!(aligned_length(1), Some(16));
        assert_eq!(aligned_length(32), Some(32));
        assert_eq!(aligned_length(usize::MAX), None);
    }

    #[test]
    fn placement() {
        assert_eq!(place(16, 4088, None), Some(Placement::NewBlock));
        assert_eq!(place(16, 4088, Some(16)), Some(Placement::CurrentBlock));
        assert_eq!(place(32, 4088, Some(16)), Some(Placement::NewBlock));
        // A length that only fits before rounding still goes oversized.
        assert_eq!(
            place(4096, 4088, Some(4088)),
            Some(Placement::Oversized {
                allocation_size: 4112
            })
        );
        assert_eq!(place(usize::MAX, 16, None), None);
    }
}
