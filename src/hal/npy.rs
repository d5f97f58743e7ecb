//! `.npy` files (numpy's array format), read and written as the reference
//! tools do (`iree/tooling/numpy_io.c`): versions 1.0, 2.0 and 3.0 headers,
//! little-endian, C order; a file may hold several arrays back to back
//! (`iree-run-module --output=@f.npy --output=+f.npy`).
//!
//! Input is untrusted: the header is parsed in place (no allocation sized by
//! the file), and the array's byte size must be present in the input before
//! any buffer is allocated.

use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer_view::{compute_view_size, BufferView, Dim, MAX_RANK};
use crate::hal::element_type::{ElementType, EncodingType, NumericalType};
use crate::hal::memory::{BufferParams, BufferUsage, MemoryAccess, MemoryType};
use crate::hal::text_number::{parse_u32, parse_u64};
use crate::{iree_bail, iree_ensure, iree_err, Result};

const MAGIC: &[u8; 6] = b"\x93NUMPY";

fn trim(text: &[u8]) -> &[u8] {
    let (start, end) = crate::base::string_view::trim_range(text);
    &text[start..end]
}

fn malformed() -> crate::Error {
    iree_err!(InvalidArgument, "malformed header dict")
}

/// Splits off one `'key': value,` entry of the header dict.
fn next_entry<'a>(dict: &mut &'a [u8]) -> Result<(&'a [u8], &'a [u8])> {
    let colon = dict.iter().position(|&b| b == b':').ok_or_else(malformed)?;
    let mut key = &dict[..colon];
    key = key.strip_prefix(b"'").unwrap_or(key);
    key = key.strip_suffix(b"'").unwrap_or(key);
    let rest = trim(&dict[colon + 1..]);
    let (value, rest) = if let Some(r) = rest.strip_prefix(b"True") {
        (&b"True"[..], r)
    } else if let Some(r) = rest.strip_prefix(b"False") {
        (&b"False"[..], r)
    } else if let Some(r) = rest.strip_prefix(b"'") {
        split_at_byte(r, b'\'')
    } else if let Some(r) = rest.strip_prefix(b"(") {
        split_at_byte(r, b')')
    } else {
        return Err(malformed());
    };
    let rest = rest.strip_prefix(b",").ok_or_else(malformed)?;
    *dict = trim(rest);
    Ok((key, value))
}

/// `(before, after)` the first `byte`; all of it and nothing when absent.
fn split_at_byte(text: &[u8], byte: u8) -> (&[u8], &[u8]) {
    match text.iter().position(|&b| b == byte) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, &text[text.len()..]),
    }
}

/// numpy's `descr` (`<f4`, `|b1`, `<c8`, `|V16`) as an element type.
fn descr_to_element_type(descr: &[u8]) -> Result<ElementType> {
    let descr = match descr.first() {
        Some(b'|' | b'=' | b'<') => &descr[1..],
        Some(b'>') => iree_bail!(
            Unimplemented,
            "big-endian data type '{}' unsupported",
            String::from_utf8_lossy(descr)
        ),
        Some(_) => descr,
        None => iree_bail!(InvalidArgument, "descr missing kind"),
    };
    let Some((&kind, width)) = descr.split_first() else {
        iree_bail!(InvalidArgument, "descr missing kind");
    };
    let numerical_type = match kind {
        b'b' => NumericalType::BOOLEAN,
        b'i' => NumericalType::INTEGER_SIGNED,
        b'u' => NumericalType::INTEGER_UNSIGNED,
        b'f' => NumericalType::FLOAT_IEEE,
        b'c' => NumericalType::FLOAT_COMPLEX,
        b'V' => NumericalType::UNKNOWN,
        other => iree_bail!(Unimplemented, "unsupported data type {}", char::from(other)),
    };
    let bytes =
        parse_u32(width).ok_or_else(|| iree_err!(InvalidArgument, "invalid descr byte width"))?;
    // The element type code has 8 bits of width; wider types cannot be named.
    let bits = u8::try_from(u64::from(bytes) * 8)
        .map_err(|_| iree_err!(Unimplemented, "element width of {bytes} bytes unsupported"))?;
    Ok(ElementType::new(numerical_type, bits))
}

fn parse_shape(text: &[u8]) -> Result<Vec<Dim>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body = text.strip_suffix(b",").unwrap_or(text);
    let rank = body.iter().filter(|&&b| b == b',').count() + 1;
    iree_ensure!(
        rank <= MAX_RANK,
        InvalidArgument,
        "shape rank {rank} too large"
    );
    let mut pieces = text.split(|&b| b == b',');
    (0..rank)
        .map(|i| {
            let piece = trim(pieces.next().unwrap_or(&[]));
            parse_u64(piece).ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "invalid dimension {i} value {}",
                    String::from_utf8_lossy(piece)
                )
            })
        })
        .collect()
}

/// What an array header declares.
struct Header {
    shape: Vec<Dim>,
    element_type: ElementType,
    encoding_type: EncodingType,
    /// Offset of the array data from the start of the array.
    data_offset: usize,
}

fn read_header(data: &[u8]) -> Result<Header> {
    let truncated = || iree_err!(OutOfRange, "npy header truncated");
    let prefix = data.get(..8).ok_or_else(truncated)?;
    iree_ensure!(
        &prefix[..6] == MAGIC,
        InvalidArgument,
        "npy header magic mismatch"
    );
    let (major, minor) = (prefix[6], prefix[7]);
    iree_ensure!(
        (1..=3).contains(&major),
        Unimplemented,
        "npy version {major}.{minor} not supported"
    );
    let (length, start) = if major == 1 {
        let b = data.get(8..10).ok_or_else(truncated)?;
        (usize::from(u16::from_le_bytes([b[0], b[1]])), 10usize)
    } else {
        let b = data.get(8..12).ok_or_else(truncated)?;
        (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
    };
    let end = start.checked_add(length).ok_or_else(truncated)?;
    let mut dict = trim(data.get(start..end).ok_or_else(truncated)?);
    dict = dict.strip_prefix(b"{").unwrap_or(dict);
    dict = dict.strip_suffix(b"}").unwrap_or(dict);
    let mut header = Header {
        shape: Vec::new(),
        element_type: ElementType::NONE,
        encoding_type: EncodingType::OPAQUE,
        data_offset: end,
    };
    while !dict.is_empty() {
        let (key, value) = next_entry(&mut dict)?;
        match key {
            b"descr" => header.element_type = descr_to_element_type(value)?,
            b"fortran_order" => {
                iree_ensure!(
                    value == b"False",
                    Unimplemented,
                    "fortran order arrays not supported"
                );
                header.encoding_type = EncodingType::DENSE_ROW_MAJOR;
            }
            b"shape" => header.shape = parse_shape(value)?,
            _ => {}
        }
    }
    Ok(header)
}

/// Reads the array at the start of `data`; returns it and the bytes it
/// took. Empty input is OUT_OF_RANGE (end of file); data shorter than the
/// header promises is OUT_OF_RANGE before anything is allocated. The buffer
/// is device-local with dispatch and transfer usage, as the reference tools
/// ask for (and as text parsing does), so a loaded array can be handed to
/// a program whose dispatches assert device visibility.
pub fn load_ndarray(data: &[u8], allocator: &HeapAllocator) -> Result<(BufferView, usize)> {
    iree_ensure!(!data.is_empty(), OutOfRange, "end-of-file");
    let header = read_header(data)?;
    let size = compute_view_size(&header.shape, header.element_type, header.encoding_type)?;
    let available = (data.len() - header.data_offset) as u64;
    iree_ensure!(
        size <= available,
        OutOfRange,
        "failed to read npy contents of {size} bytes (only {available} present)"
    );
    let end = header.data_offset + size as usize;
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL,
        usage: BufferUsage::DISPATCH | BufferUsage::TRANSFER,
        access: MemoryAccess::ALL,
        ..Default::default()
    };
    let view = BufferView::allocate(
        allocator,
        &header.shape,
        header.element_type,
        header.encoding_type,
        params,
        &data[header.data_offset..end],
    )?;
    Ok((view, end))
}

/// Reads every array of a file of concatenated arrays.
pub fn load_all(data: &[u8], allocator: &HeapAllocator) -> Result<Vec<BufferView>> {
    let mut views = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (view, used) = load_ndarray(rest, allocator)?;
        views.push(view);
        rest = &rest[used..];
    }
    Ok(views)
}

fn dtype(element_type: ElementType) -> Result<String> {
    let bytes = element_type.dense_byte_count();
    let kind = match element_type.numerical_type() {
        NumericalType::UNKNOWN => 'V',
        NumericalType::BOOLEAN => 'b',
        NumericalType::INTEGER | NumericalType::INTEGER_SIGNED => 'i',
        NumericalType::INTEGER_UNSIGNED => 'u',
        NumericalType::FLOAT_IEEE => 'f',
        NumericalType::FLOAT_COMPLEX => 'c',
        _ => iree_bail!(
            Unimplemented,
            "unsupported data encoding ({element_type} has no numpy type)"
        ),
    };
    Ok(format!(
        "{}{kind}{bytes}",
        if bytes == 1 { '|' } else { '<' }
    ))
}

/// Serialises `view` as one `.npy` array (append several for a multi-array
/// file), byte for byte as the reference writes it.
pub fn save_ndarray(view: &BufferView) -> Result<Vec<u8>> {
    iree_ensure!(
        view.encoding_type() == EncodingType::DENSE_ROW_MAJOR,
        Unimplemented,
        "non-row-major contiguous encoding not supported for serialization"
    );
    let dims: Vec<String> = view.shape().iter().map(|d| d.to_string()).collect();
    let shape = match dims.len() {
        1 => format!("{},", dims[0]),
        _ => dims.join(", "),
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': ({shape}), }}",
        dtype(view.element_type())?
    );
    let v2 = dict.len() > 65535;
    let unpadded = 8 + if v2 { 4 } else { 2 } + dict.len() + 1;
    let padding = unpadded.next_multiple_of(64) - unpadded;
    let header_length = dict.len() + padding + 1;
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[if v2 { 2 } else { 1 }, 0]);
    if v2 {
        out.extend_from_slice(&(header_length as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&(header_length as u16).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(out.len() + padding, b' ');
    out.push(b'\n');
    let length = usize::try_from(view.byte_length())
        .map_err(|_| iree_err!(ResourceExhausted, "view too large for the host"))?;
    let bytes = view.buffer().storage().read_to_vec(
        usize::try_from(view.buffer().byte_offset()).unwrap_or(usize::MAX),
        length,
    )?;
    out.extend_from_slice(&bytes);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    fn npy(version: u8, dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[version, 0]);
        if version == 1 {
            out.extend_from_slice(&(dict.len() as u16).to_le_bytes());
        } else {
            out.extend_from_slice(&(dict.len() as u32).to_le_bytes());
        }
        out.extend_from_slice(dict.as_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn loaded_arrays_are_device_visible_for_dispatches() {
        let allocator = HeapAllocator::new("npy");
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n";
        let (view, _) = load_ndarray(&npy(1, dict, &[0, 0, 128, 63]), &allocator).unwrap();
        let buffer = view.buffer();
        assert!(buffer.memory_type().contains(MemoryType::DEVICE_VISIBLE));
        assert!(buffer.memory_type().contains(MemoryType::HOST_VISIBLE));
        assert!(buffer
            .allowed_usage()
            .contains(BufferUsage::DISPATCH | BufferUsage::TRANSFER));
    }

    #[test]
    fn reads_all_versions_and_round_trips() {
        let allocator = HeapAllocator::new("npy");
        let dict = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }\n";
        for version in 1..=3 {
            let file = npy(version, dict, &[1, 0, 2, 0]);
            let (view, used) = load_ndarray(&file, &allocator).unwrap();
            assert_eq!(used, file.len());
            assert_eq!(view.shape(), [2]);
            assert_eq!(view.element_type(), ElementType::SINT_16);
            assert_eq!(view.buffer().read_all().unwrap(), [1, 0, 2, 0]);
            let saved = save_ndarray(&view).unwrap();
            assert_eq!(saved.len() % 64, 4, "header padded to 64 bytes");
            let (again, _) = load_ndarray(&saved, &allocator).unwrap();
            assert_eq!(again.shape(), view.shape());
        }
        let two = [npy(1, dict, &[1, 0, 2, 0]), npy(1, dict, &[3, 0, 4, 0])].concat();
        assert_eq!(load_all(&two, &allocator).unwrap().len(), 2);
    }

    #[test]
    fn rejects_malformed_files() {
        let allocator = HeapAllocator::new("npy");
        let code = |file: &[u8]| load_ndarray(file, &allocator).unwrap_err().code();
        assert_eq!(code(b""), StatusCode::OutOfRange);
        assert_eq!(code(b"\x93NUMP"), StatusCode::OutOfRange);
        assert_eq!(
            code(b"\x93NUMPZ\x01\x00\x00\x00"),
            StatusCode::InvalidArgument
        );
        assert_eq!(code(&npy(4, "{}", &[])), StatusCode::Unimplemented);
        let ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        assert_eq!(code(&npy(1, ok, &[0; 7])), StatusCode::OutOfRange);
        let big = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000,), }";
        assert_eq!(code(&npy(1, big, &[0; 8])), StatusCode::OutOfRange);
        let overflow =
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
        assert_eq!(code(&npy(1, overflow, &[])), StatusCode::InvalidArgument);
        let fortran = "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }";
        assert_eq!(code(&npy(1, fortran, &[0; 8])), StatusCode::Unimplemented);
        let big_endian = "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }";
        assert_eq!(
            code(&npy(1, big_endian, &[0; 8])),
            StatusCode::Unimplemented
        );
        assert_eq!(
            code(&npy(1, "{'descr' '<f4'}", &[])),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            code(&npy(1, "{'descr': '<f4}", &[])),
            StatusCode::InvalidArgument
        );
        let mut header_too_long = npy(1, ok, &[0; 8]);
        header_too_long[8] = 0xFF;
        assert_eq!(code(&header_too_long), StatusCode::OutOfRange);
        let wide = "{'descr': '<f64', 'fortran_order': False, 'shape': (), }";
        assert_eq!(code(&npy(1, wide, &[0; 64])), StatusCode::Unimplemented);
    }
}
