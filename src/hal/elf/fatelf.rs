//! FatELF containers (several ELFs, one per architecture, behind a small
//! little-endian header): picking the one for a machine. A file without
//! the FatELF magic is returned as it is.

use super::Machine;
use crate::{iree_bail, iree_ensure, Result};

/// `FA 70 0E 1F` as a little-endian `u32`.
const MAGIC: u32 = 0x1F0E_70FA;
const VERSION: u16 = 1;
const HEADER_SIZE: usize = 8;
const RECORD_SIZE: usize = 24;
const WORD_SIZE_64: u8 = 2;
const BYTE_ORDER_LITTLE: u8 = 1;
/// OS ABIs whose conventions the executables follow: none (System V),
/// Linux and standalone.
const OSABI_ACCEPTED: [u8; 3] = [0, 3, 255];

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// Whether `bytes` starts with the FatELF magic.
pub fn is_fatelf(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) == MAGIC
}

/// The ELF inside `bytes` for `machine`: `bytes` itself when it is not a
/// FatELF, else the first 64-bit little-endian record for that machine.
pub fn select(bytes: &[u8], machine: Machine) -> Result<&[u8]> {
    if !is_fatelf(bytes) {
        return Ok(bytes);
    }
    iree_ensure!(
        bytes.len() >= HEADER_SIZE,
        InvalidArgument,
        "FatELF header truncated: {} of {HEADER_SIZE} bytes",
        bytes.len()
    );
    let version = u16_at(bytes, 4);
    iree_ensure!(
        version == VERSION,
        Unimplemented,
        "FatELF version {version} is not supported (only {VERSION})"
    );
    let record_count = usize::from(bytes[6]);
    let table_end = HEADER_SIZE + record_count * RECORD_SIZE;
    iree_ensure!(
        bytes.len() >= table_end,
        InvalidArgument,
        "FatELF record table truncated: {record_count} records need {table_end} bytes, the file has {}",
        bytes.len()
    );
    for index in 0..record_count {
        let record = &bytes[HEADER_SIZE + index * RECORD_SIZE..][..RECORD_SIZE];
        let record_machine = u16_at(record, 0);
        if record_machine != machine.elf_machine()
            || !OSABI_ACCEPTED.contains(&record[2])
            || record[4] != WORD_SIZE_64
            || record[5] != BYTE_ORDER_LITTLE
        {
            continue;
        }
        let offset = u64_at(record, 8);
        let size = u64_at(record, 16);
        let end = offset.checked_add(size);
        let in_bounds = size > 0
            && offset >= table_end as u64
            && end.is_some_and(|end| end <= bytes.len() as u64);
        iree_ensure!(
            in_bounds,
            OutOfRange,
            "FatELF record {index} ({machine}) spans bytes {offset:#x}+{size:#x}, outside the {}-byte file past \
             its {table_end}-byte header",
            bytes.len()
        );
        return Ok(&bytes[offset as usize..(offset + size) as usize]);
    }
    iree_bail!(
        NotFound,
        "FatELF holds no 64-bit little-endian {machine} ELF ({record_count} records)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fat(records: &[(u16, u64, u64)], payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC.to_le_bytes());
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(records.len() as u8);
        out.push(0);
        for &(machine, offset, size) in records {
            out.extend_from_slice(&machine.to_le_bytes());
            out.extend_from_slice(&[0, 0, WORD_SIZE_64, BYTE_ORDER_LITTLE, 0, 0]);
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
        }
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn picks_the_record_for_the_machine() {
        let data = fat(&[(183, 56, 2), (62, 58, 3)], b"ARxyz");
        assert_eq!(select(&data, Machine::X86_64).unwrap(), b"xyz");
        assert_eq!(select(&data, Machine::Aarch64).unwrap(), b"AR");
    }

    #[test]
    fn plain_elf_passes_through() {
        assert_eq!(
            select(b"\x7fELF....", Machine::X86_64).unwrap(),
            b"\x7fELF...."
        );
    }

    #[test]
    fn refuses_bad_containers() {
        let no_match = fat(&[(183, 32, 2)], b"AR");
        assert_eq!(
            select(&no_match, Machine::X86_64).unwrap_err().code(),
            crate::StatusCode::NotFound
        );
        let past_end = fat(&[(62, 32, 100)], b"AR");
        assert_eq!(
            select(&past_end, Machine::X86_64).unwrap_err().code(),
            crate::StatusCode::OutOfRange
        );
        let overflow = fat(&[(62, u64::MAX, 2)], b"AR");
        assert_eq!(
            select(&overflow, Machine::X86_64).unwrap_err().code(),
            crate::StatusCode::OutOfRange
        );
        let inside_header = fat(&[(62, 0, 8)], b"AR");
        assert!(select(&inside_header, Machine::X86_64).is_err());
        let truncated = &fat(&[(62, 32, 2)], b"AR")[..20];
        assert_eq!(
            select(truncated, Machine::X86_64).unwrap_err().code(),
            crate::StatusCode::InvalidArgument
        );
        let mut version = fat(&[], b"");
        version[4] = 2;
        assert_eq!(
            select(&version, Machine::X86_64).unwrap_err().code(),
            crate::StatusCode::Unimplemented
        );
    }
}
