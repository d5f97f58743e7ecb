//! Parsing buffer views from IREE's text form (`2x3xf32=1 2 3 4 5 6`,
//! `2x2xi32=[[1 2][3 4]]`, `f32=1.5`, `4xi8=7` for a splat, `2xi1=01 00` for
//! hex-coded types), accepting and rejecting exactly what the reference
//! runtime's `iree_hal_buffer_view_parse` does (`testdata/hal/text_cases.txt`
//! pins it). Input is untrusted: every step returns a status, and the
//! bounded entry point refuses sizes over a caller-chosen limit before
//! allocating anything.

use crate::base::string_view::{is_space, trim_range};
use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::DeviceSize;
use crate::hal::buffer_view::{compute_view_size, BufferView, Dim, MAX_RANK};
use crate::hal::element_type::{ElementType, EncodingType};
use crate::hal::memory::{BufferParams, BufferUsage, MemoryType};
use crate::hal::text_float::{self, NarrowFloat};
use crate::hal::text_number::{parse_f32, parse_f64, parse_i32, parse_i64, parse_u32, parse_u64};
use crate::{iree_bail, iree_ensure, iree_err, Error, Result, StatusCode};

fn lossy(text: &[u8]) -> String {
    String::from_utf8_lossy(text).into_owned()
}

/// `iree_hal_parse_shape`: `AxBxC` (empty for a scalar); each dimension a
/// non-negative integer as `strtoll` reads it.
pub fn parse_shape(text: &[u8]) -> Result<Vec<Dim>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let rank = text.iter().filter(|&&b| b == b'x').count() + 1;
    iree_ensure!(
        rank <= MAX_RANK,
        ResourceExhausted,
        "a shape rank of {rank} exceeds the limit of {MAX_RANK}"
    );
    let mut shape = Vec::with_capacity(rank);
    // Stops at the first empty piece, as the reference's split loop does;
    // a short count then reports the malformed shape.
    for piece in text.split(|&b| b == b'x') {
        if piece.is_empty() {
            break;
        }
        let dim = parse_i64(piece)
            .and_then(|d| u64::try_from(d).ok())
            .ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "shape[{}] invalid value '{}' of '{}'",
                    shape.len(),
                    lossy(piece),
                    lossy(text)
                )
            })?;
        shape.push(dim);
    }
    iree_ensure!(
        shape.len() == rank,
        InvalidArgument,
        "invalid shape specification: '{}'",
        lossy(text)
    );
    Ok(shape)
}

/// `AxBxC` for a shape (empty for a scalar).
pub fn format_shape(shape: &[Dim]) -> String {
    shape
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("x")
}

/// Splits `[shape x]type[=data]` after trimming whitespace and one pair of
/// quotes, as the reference does.
pub struct ShapedText<'a> {
    pub shape: Vec<Dim>,
    pub element_type: ElementType,
    pub data: &'a [u8],
}

/// `iree_hal_parse_shape_and_element_type` plus the data that follows `=`.
pub fn parse_shape_and_type(text: &[u8]) -> Result<ShapedText<'_>> {
    let (start, end) = trim_range(text);
    let mut value = &text[start..end];
    value = value.strip_prefix(b"\"").unwrap_or(value);
    value = value.strip_suffix(b"\"").unwrap_or(value);
    iree_ensure!(!value.is_empty(), InvalidArgument, "empty string input");
    let (head, data) = match value.iter().position(|&b| b == b'=') {
        Some(i) => (&value[..i], &value[i + 1..]),
        None => (value, &value[value.len()..]),
    };
    let (shape_text, type_text) = match head.iter().rposition(|&b| b == b'x') {
        Some(i) => (&head[..i], &head[i + 1..]),
        None => (&head[..0], head),
    };
    let shape = parse_shape(shape_text)?;
    let element_type = ElementType::parse(type_text)?;
    Ok(ShapedText {
        shape,
        element_type,
        data,
    })
}

/// Reads `count` bytes from hex digit pairs; characters that are not hex
/// digits count as zero, as in the reference.
fn hex_to_bytes(text: &[u8], out: &mut [u8]) {
    let nibble = |c: u8| char::from(c).to_digit(16).unwrap_or(0) as u8;
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
    }
}

fn invalid() -> Error {
    Error::from_code(StatusCode::InvalidArgument)
}

fn narrow(format: NarrowFloat, text: &[u8]) -> Result<u32> {
    parse_f32(text)
        .map(|v| format.from_f32(v))
        .ok_or_else(invalid)
}

/// `iree_hal_parse_element`: one element of `element_type` into `out`
/// (which holds at least one element). Integer range rules follow the
/// reference: signless types accept both signed and unsigned spellings,
/// signed types reject only values above their maximum.
pub fn parse_element(text: &[u8], element_type: ElementType, out: &mut [u8]) -> Result<()> {
    let size = element_type.dense_byte_count();
    iree_ensure!(
        out.len() >= size,
        InvalidArgument,
        "output data buffer overflow: data_length={} < element_size={size}",
        out.len()
    );
    let out = &mut out[..size];
    let signed = |max: i32, min: i32| -> Result<i32> {
        parse_i32(text)
            .filter(|&v| v >= min && v <= max)
            .ok_or_else(invalid)
    };
    let unsigned =
        |max: u32| -> Result<u32> { parse_u32(text).filter(|&v| v <= max).ok_or_else(invalid) };
    match element_type {
        ElementType::INT_8 => out[0] = signed(u8::MAX.into(), i8::MIN.into())? as u8,
        ElementType::SINT_8 => out[0] = signed(i8::MAX.into(), i32::MIN)? as u8,
        ElementType::UINT_8 => out[0] = unsigned(u8::MAX.into())? as u8,
        ElementType::INT_16 => {
            out.copy_from_slice(&(signed(u16::MAX.into(), i16::MIN.into())? as u16).to_le_bytes())
        }
        ElementType::SINT_16 => {
            out.copy_from_slice(&(signed(i16::MAX.into(), i32::MIN)? as u16).to_le_bytes())
        }
        ElementType::UINT_16 => {
            out.copy_from_slice(&(unsigned(u16::MAX.into())? as u16).to_le_bytes())
        }
        ElementType::INT_32 | ElementType::SINT_32 => {
            out.copy_from_slice(&parse_i32(text).ok_or_else(invalid)?.to_le_bytes())
        }
        ElementType::UINT_32 => {
            out.copy_from_slice(&parse_u32(text).ok_or_else(invalid)?.to_le_bytes())
        }
        ElementType::INT_64 | ElementType::SINT_64 => {
            out.copy_from_slice(&parse_i64(text).ok_or_else(invalid)?.to_le_bytes())
        }
        ElementType::UINT_64 => {
            out.copy_from_slice(&parse_u64(text).ok_or_else(invalid)?.to_le_bytes())
        }
        ElementType::FLOAT_8_E5M2 => out[0] = narrow(text_float::F8_E5M2, text)? as u8,
        ElementType::FLOAT_8_E4M3_FN => out[0] = narrow(text_float::F8_E4M3_FN, text)? as u8,
        ElementType::FLOAT_8_E5M2_FNUZ => out[0] = narrow(text_float::F8_E5M2_FNUZ, text)? as u8,
        ElementType::FLOAT_8_E4M3_FNUZ => out[0] = narrow(text_float::F8_E4M3_FNUZ, text)? as u8,
        ElementType::FLOAT_8_E8M0_FNU => {
            out[0] = text_float::f32_to_e8m0(parse_f32(text).ok_or_else(invalid)?)
        }
        ElementType::BFLOAT_16 => {
            out.copy_from_slice(&(narrow(text_float::BF16, text)? as u16).to_le_bytes())
        }
        ElementType::FLOAT_16 => {
            out.copy_from_slice(&(narrow(text_float::F16, text)? as u16).to_le_bytes())
        }
        ElementType::FLOAT_32 => {
            out.copy_from_slice(&parse_f32(text).ok_or_else(invalid)?.to_le_bytes())
        }
        ElementType::FLOAT_64 => {
            out.copy_from_slice(&parse_f64(text).ok_or_else(invalid)?.to_le_bytes())
        }
        _ => {
            // Everything else (booleans, opaque, complex, sub-byte) is hex bytes.
            iree_ensure!(
                text.len() == size * 2,
                InvalidArgument,
                "binary hex element count mismatch: buffer length={} < expected={}",
                text.len(),
                size * 2
            );
            hex_to_bytes(text, out);
        }
    }
    Ok(())
}

fn is_separator(b: u8) -> bool {
    is_space(b) || matches!(b, b',' | b'[' | b']')
}

/// `iree_hal_parse_buffer_elements`: fills `out` with the elements in
/// `text` (separated by whitespace, commas and brackets). Empty text leaves
/// zeros, a single element is splatted, otherwise the count must match
/// (OUT_OF_RANGE when it does not).
pub fn parse_buffer_elements(text: &[u8], element_type: ElementType, out: &mut [u8]) -> Result<()> {
    let size = element_type.dense_byte_count();
    iree_ensure!(
        size > 0,
        InvalidArgument,
        "zero-sized element type {element_type}"
    );
    if text.is_empty() {
        out.fill(0);
        return Ok(());
    }
    let capacity = out.len() / size;
    let mut count = 0usize;
    for token in text.split(|&b| is_separator(b)).filter(|t| !t.is_empty()) {
        iree_ensure!(
            count < capacity,
            OutOfRange,
            "output data buffer overflow: element_capacity={capacity} < dst_i={count}+"
        );
        parse_element(
            token,
            element_type,
            &mut out[count * size..(count + 1) * size],
        )?;
        count += 1;
    }
    if count == 1 && capacity > 1 {
        let (first, rest) = out[..capacity * size].split_at_mut(size);
        for chunk in rest.chunks_exact_mut(size) {
            chunk.copy_from_slice(first);
        }
    } else if count < capacity {
        iree_bail!(
            OutOfRange,
            "input data string underflow: dst_i={count} < element_capacity={capacity}"
        );
    }
    Ok(())
}

/// Parses a buffer view, allocating from `allocator`
/// (`iree_hal_buffer_view_parse`).
pub fn parse_buffer_view(text: &[u8], allocator: &HeapAllocator) -> Result<BufferView> {
    parse_buffer_view_bounded(text, allocator, DeviceSize::MAX)
}

/// As [`parse_buffer_view`], but views larger than `max_byte_length` are
/// RESOURCE_EXHAUSTED before anything is allocated (for untrusted input).
pub fn parse_buffer_view_bounded(
    text: &[u8],
    allocator: &HeapAllocator,
    max_byte_length: DeviceSize,
) -> Result<BufferView> {
    let parsed = parse_shape_and_type(text)?;
    let encoding = EncodingType::DENSE_ROW_MAJOR;
    let size = compute_view_size(&parsed.shape, parsed.element_type, encoding)?;
    iree_ensure!(
        size <= max_byte_length,
        ResourceExhausted,
        "buffer view of {size} bytes exceeds the limit of {max_byte_length}"
    );
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL,
        usage: BufferUsage::DISPATCH | BufferUsage::TRANSFER,
        ..Default::default()
    };
    BufferView::generate(
        allocator,
        &parsed.shape,
        parsed.element_type,
        encoding,
        params,
        |mapping| {
            let len = usize::try_from(mapping.byte_length())
                .map_err(|_| iree_err!(ResourceExhausted, "view too large for the host"))?;
            let mut bytes = Vec::new();
            bytes
                .try_reserve_exact(len)
                .map_err(|_| iree_err!(ResourceExhausted, "cannot stage {len} bytes"))?;
            bytes.resize(len, 0);
            parse_buffer_elements(parsed.data, parsed.element_type, &mut bytes)?;
            mapping.write(0, &bytes)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(parse_shape(b"").unwrap(), Vec::<Dim>::new());
        assert_eq!(parse_shape(b"0").unwrap(), [0]);
        assert_eq!(parse_shape(b"1x2").unwrap(), [1, 2]);
        assert_eq!(parse_shape(b" 1 x 2 ").unwrap(), [1, 2]);
        for bad in [
            &b"abc"[..],
            b"1xf",
            b"x",
            b"x1",
            b"1x",
            b"x1x2",
            b"1xx2",
            b"1x2x",
            b"0x-1",
        ] {
            assert_eq!(
                parse_shape(bad).unwrap_err().code(),
                StatusCode::InvalidArgument,
                "{}",
                lossy(bad)
            );
        }
        let deep = vec!["1"; 129].join("x");
        assert_eq!(
            parse_shape(deep.as_bytes()).unwrap_err().code(),
            StatusCode::ResourceExhausted
        );
        assert_eq!(format_shape(&[1, 2, 3]), "1x2x3");
        assert_eq!(format_shape(&[]), "");
    }

    fn parse_one<const N: usize>(text: &str, ty: ElementType) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        parse_element(text.as_bytes(), ty, &mut out)?;
        Ok(out)
    }

    #[test]
    fn elements_follow_the_reference_ranges() {
        assert_eq!(parse_one::<1>("-128", ElementType::SINT_8).unwrap(), [0x80]);
        assert_eq!(parse_one::<1>("255", ElementType::UINT_8).unwrap(), [0xFF]);
        assert_eq!(parse_one::<1>("255", ElementType::INT_8).unwrap(), [0xFF]);
        assert!(parse_one::<1>("255", ElementType::SINT_8).is_err());
        assert!(parse_one::<1>("-128", ElementType::UINT_8).is_err());
        assert!(parse_one::<2>("65535", ElementType::SINT_16).is_err());
        assert!(parse_one::<2>("-32768", ElementType::UINT_16).is_err());
        assert_eq!(
            parse_one::<4>("1.5", ElementType::FLOAT_32).unwrap(),
            1.5f32.to_le_bytes()
        );
        assert_eq!(
            parse_one::<2>("1.5", ElementType::FLOAT_16).unwrap(),
            [0x00, 0x3E]
        );
        assert_eq!(
            parse_one::<2>("FFCD", ElementType::OPAQUE_16).unwrap(),
            [0xFF, 0xCD]
        );
        assert!(parse_one::<1>("F", ElementType::OPAQUE_8).is_err());
        assert!(parse_one::<1>("", ElementType::SINT_8).is_err());
        assert!(parse_one::<4>("asdfasdf", ElementType::FLOAT_32).is_err());
        assert!(parse_one::<1>("🌮", ElementType::SINT_8).is_err());
        let mut small = [0u8; 1];
        assert!(parse_element(b"1", ElementType::INT_32, &mut small).is_err());
    }

    #[test]
    fn element_lists_splat_and_count() {
        let mut out = [0u8; 8];
        parse_buffer_elements(b"3", ElementType::SINT_8, &mut out).unwrap();
        assert_eq!(out, [3; 8]);
        parse_buffer_elements(b"", ElementType::SINT_8, &mut out).unwrap();
        assert_eq!(out, [0; 8]);
        parse_buffer_elements(b"[0 1 2 3] [4,5,6,7]", ElementType::SINT_8, &mut out).unwrap();
        assert_eq!(out, [0, 1, 2, 3, 4, 5, 6, 7]);
        let code = |t: &[u8], out: &mut [u8]| {
            parse_buffer_elements(t, ElementType::SINT_8, out)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(b"1 2 3", &mut out), StatusCode::OutOfRange);
        assert_eq!(code(b"1 2 3 4 5", &mut [0u8; 4]), StatusCode::OutOfRange);
        assert_eq!(code(b"abc", &mut [0u8; 1]), StatusCode::InvalidArgument);
        assert_eq!(code(b"abc", &mut []), StatusCode::OutOfRange);
    }

    #[test]
    fn views_parse_and_bound_their_size() {
        let allocator = HeapAllocator::new("heap");
        let view = parse_buffer_view(b"2x2xi8=[1 2][3 4]", &allocator).unwrap();
        assert_eq!(view.shape(), [2, 2]);
        assert_eq!(view.buffer().read_all().unwrap(), [1, 2, 3, 4]);
        let scalar = parse_buffer_view(b"i8", &allocator).unwrap();
        assert_eq!(scalar.buffer().read_all().unwrap(), [0]);
        for bad in [
            &b""[..],
            b"asdf",
            b"9x8=",
            b"=4",
            b"2x4xi32=5 3",
            b"2xi0=",
            b"\"\"",
        ] {
            assert!(
                parse_buffer_view(bad, &allocator).is_err(),
                "{}",
                lossy(bad)
            );
        }
        let err = parse_buffer_view_bounded(b"100000000000xi8=1", &allocator, 1 << 20).unwrap_err();
        assert_eq!(err.code(), StatusCode::ResourceExhausted);
        let err = parse_buffer_view(b"4294967296x4294967296x2xi8=", &allocator).unwrap_err();
        assert_eq!(err.code(), StatusCode::InvalidArgument);
    }
}
