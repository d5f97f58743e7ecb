//! Locating the pieces of a `.vmfb` file.
//!
//! What the 3.13 compiler writes, front to back:
//! 1. optionally a ZIP local file header (30 fixed bytes + name + extra
//!    field) so the file also opens as a ZIP archive for debugging;
//! 2. a 4-byte little-endian length, then that many bytes of FlatBuffer
//!    (`BytecodeModuleDef`, identifier "IREE");
//! 3. external rodata: the FlatBuffer end rounded up to 64 bytes is the base
//!    that every `RodataSegmentDef.external_data_offset` is counted from;
//! 4. (ZIP only) central directory records, which the loader ignores.
//!
//! A bare FlatBuffer without the length prefix (as produced by
//! `iree-dump-module --output=flatbuffer-binary`) is accepted as well; it
//! has no external rodata area.

use std::ops::Range;

use crate::{iree_bail, iree_ensure, Result};

/// Every archive segment (FlatBuffer, each external rodata blob) starts on
/// this boundary relative to the start of the file.
pub const SEGMENT_ALIGNMENT: usize = 64;

/// The FlatBuffer file identifier of bytecode modules.
pub const FILE_IDENTIFIER: &[u8; 4] = b"IREE";

const ZIP_LOCAL_HEADER_MAGIC: u32 = 0x0403_4B50;
const ZIP_LOCAL_HEADER_SIZE: usize = 30;

/// Byte ranges of the parts of a module file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveLayout {
    /// The FlatBuffer proper (root offset first), without any size prefix.
    pub flatbuffer: Range<usize>,
    /// Whether a 4-byte length precedes `flatbuffer`. Field alignment in
    /// such buffers is relative to the prefix, so verification must include it.
    pub size_prefixed: bool,
    /// Where external rodata offsets are counted from. `None` for a bare
    /// FlatBuffer, which cannot reference external data.
    pub rodata_base: Option<usize>,
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Rounds `value` up to a multiple of `SEGMENT_ALIGNMENT`, if representable.
pub fn align_segment(value: usize) -> Option<usize> {
    value
        .checked_add(SEGMENT_ALIGNMENT - 1)
        .map(|v| v & !(SEGMENT_ALIGNMENT - 1))
}

/// Offset of the module payload: past the ZIP local header when present.
fn payload_start(bytes: &[u8]) -> Result<usize> {
    if bytes.len() < ZIP_LOCAL_HEADER_SIZE || read_u32(bytes, 0) != Some(ZIP_LOCAL_HEADER_MAGIC) {
        return Ok(0);
    }
    // Both lengths exist: the header is at least 30 bytes long.
    let name_len = read_u16(bytes, 26).unwrap_or(0) as usize;
    let extra_len = read_u16(bytes, 28).unwrap_or(0) as usize;
    let start = ZIP_LOCAL_HEADER_SIZE + name_len + extra_len;
    iree_ensure!(
        start <= bytes.len(),
        InvalidArgument,
        "module starts with a ZIP header whose name/extra fields ({} bytes) run past the end of the {}-byte file",
        name_len + extra_len,
        bytes.len()
    );
    Ok(start)
}

/// Splits a module file into its FlatBuffer and external rodata base.
pub fn parse_archive(bytes: &[u8]) -> Result<ArchiveLayout> {
    let start = payload_start(bytes)?;
    let payload = &bytes[start..];
    iree_ensure!(
        payload.len() >= 16,
        InvalidArgument,
        "module FlatBuffer is missing or shorter than 16 bytes ({} bytes after offset {})",
        payload.len(),
        start
    );
    // A bare FlatBuffer has its identifier at bytes 4..8; a size-prefixed
    // one at 8..12. Check the bare form first only when the prefixed form
    // does not match, since a length can happen to spell "IREE".
    if &payload[8..12] == FILE_IDENTIFIER {
        let length = read_u32(payload, 0).unwrap_or(0) as usize;
        let available = payload.len() - 4;
        iree_ensure!(
            length <= available,
            InvalidArgument,
            "FlatBuffer size prefix {} exceeds the {} bytes that follow it",
            length,
            available
        );
        let fb_start = start + 4;
        let fb_end = fb_start + length;
        let Some(rodata_base) = align_segment(fb_end) else {
            iree_bail!(
                InvalidArgument,
                "FlatBuffer end {} cannot be aligned",
                fb_end
            );
        };
        return Ok(ArchiveLayout {
            flatbuffer: fb_start..fb_end,
            size_prefixed: true,
            rodata_base: Some(rodata_base),
        });
    }
    if &payload[4..8] == FILE_IDENTIFIER {
        return Ok(ArchiveLayout {
            flatbuffer: start..bytes.len(),
            size_prefixed: false,
            rodata_base: None,
        });
    }
    iree_bail!(
        InvalidArgument,
        "not a bytecode module: file identifier '{}' not found at offset {} or {}",
        "IREE",
        start + 4,
        start + 8
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixed(fb_len: usize) -> Vec<u8> {
        let mut v = (fb_len as u32).to_le_bytes().to_vec();
        v.extend_from_slice(&[8, 0, 0, 0]);
        v.extend_from_slice(FILE_IDENTIFIER);
        v.resize(4 + fb_len, 0);
        v
    }

    #[test]
    fn size_prefixed_flatbuffer() {
        let bytes = prefixed(100);
        let layout = parse_archive(&bytes).unwrap();
        assert_eq!(layout.flatbuffer, 4..104);
        assert_eq!(layout.rodata_base, Some(128));
    }

    #[test]
    fn bare_flatbuffer() {
        let mut v = vec![8, 0, 0, 0];
        v.extend_from_slice(FILE_IDENTIFIER);
        v.resize(40, 0);
        let layout = parse_archive(&v).unwrap();
        assert_eq!(layout.flatbuffer, 0..40);
        assert_eq!(layout.rodata_base, None);
    }

    #[test]
    fn zip_wrapped() {
        let mut v = Vec::new();
        v.extend_from_slice(&ZIP_LOCAL_HEADER_MAGIC.to_le_bytes());
        v.resize(26, 0);
        v.extend_from_slice(&9u16.to_le_bytes());
        v.extend_from_slice(&5u16.to_le_bytes());
        v.extend_from_slice(b"module.fb");
        v.extend_from_slice(&[0; 5]);
        assert_eq!(v.len(), 44);
        v.extend_from_slice(&prefixed(60));
        let layout = parse_archive(&v).unwrap();
        assert_eq!(layout.flatbuffer, 48..108);
        assert_eq!(layout.rodata_base, Some(128));
    }

    #[test]
    fn rejects_bad_inputs() {
        assert!(parse_archive(&[]).is_err());
        assert!(parse_archive(&[0; 64]).is_err());
        // Size prefix larger than the file.
        let mut v = prefixed(40);
        v[0] = 200;
        let err = parse_archive(&v).unwrap_err();
        assert!(
            err.message().contains("size prefix 200"),
            "{}",
            err.message()
        );
        // ZIP header claiming a huge name.
        let mut z = ZIP_LOCAL_HEADER_MAGIC.to_le_bytes().to_vec();
        z.resize(26, 0);
        z.extend_from_slice(&0xFFFFu16.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        assert!(parse_archive(&z).is_err());
    }

    #[test]
    fn every_truncation_is_handled() {
        let bytes = prefixed(100);
        for n in 0..bytes.len() {
            let _ = parse_archive(&bytes[..n]);
        }
    }
}
