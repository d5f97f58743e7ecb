//! Memory types, access and usage bits of buffers, with the values of the
//! seeds' C enums, their text forms (as `iree_hal_*_format` writes them) and
//! the buffer parameters allocators take.

use bitflags::bitflags;

use crate::base::bitfield::format_bits;
use crate::{iree_bail, Result};

bitflags! {
    /// `iree_hal_memory_type_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct MemoryType: u32 {
        const TRANSIENT = 1 << 0;
        const HOST_VISIBLE = 1 << 1;
        const HOST_COHERENT = 1 << 2;
        const HOST_CACHED = 1 << 3;
        const HOST_LOCAL = Self::HOST_VISIBLE.bits() | Self::HOST_COHERENT.bits();
        const DEVICE_VISIBLE = 1 << 4;
        const DEVICE_LOCAL = Self::DEVICE_VISIBLE.bits() | (1 << 5);
        const _ = !0;
    }

    /// `iree_hal_memory_access_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct MemoryAccess: u16 {
        const READ = 1 << 0;
        const WRITE = 1 << 1;
        const DISCARD = 1 << 2;
        const DISCARD_WRITE = Self::WRITE.bits() | Self::DISCARD.bits();
        const MAY_ALIAS = 1 << 3;
        /// Skips validation (device-side code only).
        const ANY = 1 << 4;
        const ALL = Self::READ.bits() | Self::WRITE.bits() | Self::DISCARD.bits();
        const _ = !0;
    }

    /// `iree_hal_buffer_usage_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct BufferUsage: u32 {
        const CONSTANT = 1 << 0;
        const TRANSFER = 1 << 1;
        const MAPPING = 1 << 2;
        const DISPATCH = 1 << 3;
        const _ = !0;
    }

    /// `iree_hal_buffer_compatibility_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct BufferCompatibility: u32 {
        const ALLOCATABLE = 1 << 0;
        const IMPORTABLE = 1 << 1;
        const EXPORTABLE = 1 << 2;
        const QUEUE_TRANSFER = 1 << 10;
        const QUEUE_DISPATCH = 1 << 11;
        const _ = !0;
    }

    /// `iree_hal_mapping_mode_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct MappingMode: u32 {
        /// Mapped for one map-access-unmap sequence; the mapping keeps the buffer alive.
        const SCOPED = 1 << 0;
        /// Mapped for as long as the caller likes; the caller keeps the buffer alive.
        const PERSISTENT = 1 << 1;
        const _ = !0;
    }
}

const MEMORY_TYPE_NAMES: &[(u32, &[u8])] = &[
    (MemoryType::HOST_LOCAL.bits(), b"HOST_LOCAL"),
    (MemoryType::DEVICE_LOCAL.bits(), b"DEVICE_LOCAL"),
    (MemoryType::TRANSIENT.bits(), b"TRANSIENT"),
    (MemoryType::HOST_VISIBLE.bits(), b"HOST_VISIBLE"),
    (MemoryType::HOST_COHERENT.bits(), b"HOST_COHERENT"),
    (MemoryType::HOST_CACHED.bits(), b"HOST_CACHED"),
    (MemoryType::DEVICE_VISIBLE.bits(), b"DEVICE_VISIBLE"),
];

const MEMORY_ACCESS_NAMES: &[(u32, &[u8])] = &[
    (MemoryAccess::ALL.bits() as u32, b"ALL"),
    (MemoryAccess::DISCARD_WRITE.bits() as u32, b"DISCARD_WRITE"),
    (MemoryAccess::READ.bits() as u32, b"READ"),
    (MemoryAccess::WRITE.bits() as u32, b"WRITE"),
    (MemoryAccess::DISCARD.bits() as u32, b"DISCARD"),
    (MemoryAccess::MAY_ALIAS.bits() as u32, b"MAY_ALIAS"),
    (MemoryAccess::ANY.bits() as u32, b"ANY"),
];

const BUFFER_USAGE_NAMES: &[(u32, &[u8])] = &[
    (BufferUsage::CONSTANT.bits(), b"CONSTANT"),
    (BufferUsage::TRANSFER.bits(), b"TRANSFER"),
    (BufferUsage::MAPPING.bits(), b"MAPPING"),
    (BufferUsage::DISPATCH.bits(), b"DISPATCH"),
];

fn to_string(bytes: Vec<u8>) -> String {
    // Every name and the hex remainder are ASCII.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Names joined with `|` (combined names first, leftover bits as `NNh`).
/// Shared by the three `format_*` functions and their parsers.
fn parse_bits(text: &str, names: &[(u32, &[u8])], what: &str) -> Result<u32> {
    let mut value = 0u32;
    for part in text.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some((bits, _)) = names.iter().find(|(_, name)| *name == part.as_bytes()) {
            value |= bits;
        } else if let Some(hex) = part.strip_suffix('h') {
            match u32::from_str_radix(hex, 16) {
                Ok(bits) => value |= bits,
                Err(_) => iree_bail!(InvalidArgument, "unknown {what} bit '{part}'"),
            }
        } else {
            iree_bail!(InvalidArgument, "unknown {what} bit '{part}'");
        }
    }
    Ok(value)
}

impl MemoryType {
    /// `iree_hal_memory_type_format`.
    pub fn format(self) -> String {
        to_string(format_bits(self.bits(), MEMORY_TYPE_NAMES))
    }

    pub fn parse(text: &str) -> Result<MemoryType> {
        parse_bits(text, MEMORY_TYPE_NAMES, "memory type").map(MemoryType::from_bits_retain)
    }
}

impl MemoryAccess {
    /// `iree_hal_memory_access_format`.
    pub fn format(self) -> String {
        to_string(format_bits(u32::from(self.bits()), MEMORY_ACCESS_NAMES))
    }

    pub fn parse(text: &str) -> Result<MemoryAccess> {
        let bits = parse_bits(text, MEMORY_ACCESS_NAMES, "memory access")?;
        match u16::try_from(bits) {
            Ok(bits) => Ok(MemoryAccess::from_bits_retain(bits)),
            Err(_) => iree_bail!(
                InvalidArgument,
                "memory access bits {bits:X}h exceed 16 bits"
            ),
        }
    }
}

impl BufferUsage {
    /// `iree_hal_buffer_usage_format`.
    pub fn format(self) -> String {
        to_string(format_bits(self.bits(), BUFFER_USAGE_NAMES))
    }

    pub fn parse(text: &str) -> Result<BufferUsage> {
        parse_bits(text, BUFFER_USAGE_NAMES, "buffer usage").map(BufferUsage::from_bits_retain)
    }
}

/// `iree_hal_buffer_validate_memory_type`: every expected bit must be present.
pub fn validate_memory_type(actual: MemoryType, expected: MemoryType) -> Result<()> {
    if !actual.contains(expected) {
        iree_bail!(
            PermissionDenied,
            "buffer memory type is not compatible with the requested operation; buffer has {}, operation requires {}",
            actual.format(),
            expected.format()
        );
    }
    Ok(())
}

/// `iree_hal_buffer_validate_access`: `ANY` skips the check; otherwise at
/// least one of READ/WRITE is required and all requested bits must be allowed.
pub fn validate_access(allowed: MemoryAccess, required: MemoryAccess) -> Result<()> {
    if required.contains(MemoryAccess::ANY) {
        return Ok(());
    }
    if !required.intersects(MemoryAccess::READ | MemoryAccess::WRITE) {
        iree_bail!(
            InvalidArgument,
            "memory access must specify one or more of _READ or _WRITE"
        );
    }
    if !allowed.contains(required) {
        iree_bail!(
            PermissionDenied,
            "buffer does not support the requested access type; buffer allows {}, operation requires {}",
            allowed.format(),
            required.format()
        );
    }
    Ok(())
}

/// `iree_hal_buffer_validate_usage`.
pub fn validate_usage(allowed: BufferUsage, required: BufferUsage) -> Result<()> {
    if !allowed.contains(required) {
        iree_bail!(
            PermissionDenied,
            "requested usage was not specified when the buffer was allocated; buffer allows {}, operation requires {}",
            allowed.format(),
            required.format()
        );
    }
    Ok(())
}

/// Queues a buffer may be used on (`iree_hal_queue_affinity_t`).
pub type QueueAffinity = u64;
pub const QUEUE_AFFINITY_ANY: QueueAffinity = u64::MAX;

/// What an allocation must support (`iree_hal_buffer_params_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BufferParams {
    pub usage: BufferUsage,
    pub access: MemoryAccess,
    pub memory_type: MemoryType,
    pub queue_affinity: QueueAffinity,
    pub min_alignment: u64,
}

impl BufferParams {
    /// Fills unset fields with their defaults, as
    /// `iree_hal_buffer_params_canonicalize` does: dispatch + transfer usage,
    /// all access, any queue.
    pub fn canonicalize(mut self) -> BufferParams {
        if self.usage.is_empty() {
            self.usage = BufferUsage::DISPATCH | BufferUsage::TRANSFER;
        }
        if self.access.is_empty() {
            self.access = MemoryAccess::ALL;
        }
        if self.queue_affinity == 0 {
            self.queue_affinity = QUEUE_AFFINITY_ANY;
        }
        self
    }

    /// `iree_hal_buffer_params_with_usage`: the default usage plus `usage`.
    pub fn with_usage(mut self, usage: BufferUsage) -> BufferParams {
        if self.usage.is_empty() {
            self.usage = BufferUsage::DISPATCH | BufferUsage::TRANSFER;
        }
        self.usage |= usage;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_the_c_enums() {
        assert_eq!(MemoryType::HOST_LOCAL.bits(), 0x6);
        assert_eq!(MemoryType::DEVICE_LOCAL.bits(), 0x30);
        assert_eq!(MemoryAccess::ALL.bits(), 0x7);
        assert_eq!(MemoryAccess::ANY.bits(), 0x10);
        assert_eq!(BufferUsage::DISPATCH.bits(), 0x8);
        assert_eq!(BufferCompatibility::QUEUE_DISPATCH.bits(), 0x800);
    }

    #[test]
    fn formats_like_the_seeds() {
        assert_eq!(MemoryType::HOST_LOCAL.format(), "HOST_LOCAL");
        assert_eq!(
            (MemoryType::HOST_LOCAL | MemoryType::DEVICE_VISIBLE).format(),
            "HOST_LOCAL|DEVICE_VISIBLE"
        );
        assert_eq!(MemoryType::from_bits_retain(0x41).format(), "TRANSIENT|40h");
        assert_eq!(MemoryType::empty().format(), "");
        assert_eq!(MemoryAccess::ALL.format(), "ALL");
        assert_eq!(MemoryAccess::DISCARD_WRITE.format(), "DISCARD_WRITE");
        assert_eq!(
            (MemoryAccess::READ | MemoryAccess::MAY_ALIAS).format(),
            "READ|MAY_ALIAS"
        );
        assert_eq!(
            (BufferUsage::TRANSFER | BufferUsage::MAPPING).format(),
            "TRANSFER|MAPPING"
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for bits in 0..0x80u32 {
            let ty = MemoryType::from_bits_retain(bits);
            assert_eq!(MemoryType::parse(&ty.format()).unwrap(), ty);
        }
        for bits in 0..0x40u16 {
            let access = MemoryAccess::from_bits_retain(bits);
            assert_eq!(MemoryAccess::parse(&access.format()).unwrap(), access);
        }
        assert_eq!(BufferUsage::parse("DISPATCH|CONSTANT").unwrap().bits(), 9);
        assert!(BufferUsage::parse("BOGUS").is_err());
        assert!(MemoryAccess::parse("10000h").is_err());
    }

    #[test]
    fn validation_codes() {
        use crate::StatusCode;
        let code = |r: Result<()>| r.unwrap_err().code();
        assert!(validate_access(MemoryAccess::READ, MemoryAccess::READ).is_ok());
        assert!(validate_access(MemoryAccess::READ, MemoryAccess::ANY).is_ok());
        assert_eq!(
            code(validate_access(MemoryAccess::ALL, MemoryAccess::DISCARD)),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            code(validate_access(MemoryAccess::READ, MemoryAccess::WRITE)),
            StatusCode::PermissionDenied
        );
        assert_eq!(
            code(validate_memory_type(
                MemoryType::DEVICE_LOCAL,
                MemoryType::HOST_VISIBLE
            )),
            StatusCode::PermissionDenied
        );
        assert_eq!(
            code(validate_usage(BufferUsage::TRANSFER, BufferUsage::MAPPING)),
            StatusCode::PermissionDenied
        );
    }

    #[test]
    fn params_defaults() {
        let p = BufferParams::default().canonicalize();
        assert_eq!(p.usage, BufferUsage::DISPATCH | BufferUsage::TRANSFER);
        assert_eq!(p.access, MemoryAccess::ALL);
        assert_eq!(p.queue_affinity, QUEUE_AFFINITY_ANY);
        let q = BufferParams::default().with_usage(BufferUsage::MAPPING);
        assert_eq!(q.usage.bits(), 0xE);
    }
}
