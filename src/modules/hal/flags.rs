//! Buffer usage bits as IREE 3.13 programs pass them, in the core HAL's
//! terms. The core keeps the seeds' usage bits (`CONSTANT`, `TRANSFER`,
//! `MAPPING`, `DISPATCH`, which its C API shares); 3.13 splits each into
//! finer bits (`TRANSFER_SOURCE|TRANSFER_TARGET`, `DISPATCH_STORAGE_READ`,
//! ...), so a program's usage is mapped to the core bits it implies.
//! Memory types and access bits sit where the core has them.

use crate::hal::memory::BufferUsage;

const TRANSFER: u32 = 0x3;
const DISPATCH: u32 = 0xFF00;
const SHARING_IMMUTABLE: u32 = 1 << 19;
const MAPPING: u32 = (1 << 24) | (1 << 25);

/// The core usage a 3.13 usage word asks for.
pub fn usage_from_program(bits: u32) -> BufferUsage {
    let mut usage = BufferUsage::empty();
    if bits & TRANSFER != 0 {
        usage |= BufferUsage::TRANSFER;
    }
    if bits & DISPATCH != 0 {
        usage |= BufferUsage::DISPATCH;
    }
    if bits & SHARING_IMMUTABLE != 0 {
        usage |= BufferUsage::CONSTANT;
    }
    if bits & MAPPING != 0 {
        usage |= BufferUsage::MAPPING;
    }
    usage
}

/// Whether a 3.13 usage word marks the buffer immutable (constants).
pub fn is_immutable(bits: u32) -> bool {
    bits & SHARING_IMMUTABLE != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_usage_maps_to_core_bits() {
        // What 3.13 programs pass to buffer.assert and queue.alloca.
        assert_eq!(
            usage_from_program(0xC03),
            BufferUsage::TRANSFER | BufferUsage::DISPATCH
        );
        assert_eq!(usage_from_program(0), BufferUsage::empty());
        assert_eq!(
            usage_from_program(SHARING_IMMUTABLE | 1 << 24),
            BufferUsage::CONSTANT | BufferUsage::MAPPING
        );
        assert!(is_immutable(0x80C03));
    }
}
