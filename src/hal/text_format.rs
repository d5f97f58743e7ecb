//! Printing buffer views in IREE's text form, byte for byte as the reference
//! runtime's `iree_hal_buffer_view_format` (and `iree-run-module
//! --output=-`) writes them: `2x2xf32=[1 2][3 4]`, floats as C's `%G`,
//! integers in decimal, hex-coded types (booleans, opaque, complex) as
//! uppercase hex bytes, and `...` where `max_element_count` elides.

use crate::hal::buffer_view::{BufferView, Dim};
use crate::hal::element_type::ElementType;
use crate::hal::text::format_shape;
use crate::hal::text_float;
use crate::hal::text_number::format_g;
use crate::{iree_bail, iree_err, Result};

fn array<const N: usize>(data: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&data[..N]);
    out
}

/// `iree_hal_format_element`: one element from the start of `data`.
pub fn format_element(data: &[u8], element_type: ElementType) -> Result<String> {
    let size = element_type.dense_byte_count();
    if data.len() < size {
        iree_bail!(
            OutOfRange,
            "data buffer underflow: data_length={} < element_size={size}",
            data.len()
        );
    }
    let narrow =
        |format: text_float::NarrowFloat, bits: u32| format_g(f64::from(format.to_f32(bits)));
    Ok(match element_type {
        ElementType::INT_8 | ElementType::SINT_8 => (data[0] as i8).to_string(),
        ElementType::UINT_8 => data[0].to_string(),
        ElementType::INT_16 | ElementType::SINT_16 => i16::from_le_bytes(array(data)).to_string(),
        ElementType::UINT_16 => u16::from_le_bytes(array(data)).to_string(),
        ElementType::INT_32 | ElementType::SINT_32 => i32::from_le_bytes(array(data)).to_string(),
        ElementType::UINT_32 => u32::from_le_bytes(array(data)).to_string(),
        ElementType::INT_64 | ElementType::SINT_64 => i64::from_le_bytes(array(data)).to_string(),
        ElementType::UINT_64 => u64::from_le_bytes(array(data)).to_string(),
        ElementType::FLOAT_8_E4M3_FN => narrow(text_float::F8_E4M3_FN, data[0].into()),
        ElementType::FLOAT_8_E4M3_FNUZ => narrow(text_float::F8_E4M3_FNUZ, data[0].into()),
        ElementType::FLOAT_8_E5M2 => narrow(text_float::F8_E5M2, data[0].into()),
        ElementType::FLOAT_8_E5M2_FNUZ => narrow(text_float::F8_E5M2_FNUZ, data[0].into()),
        ElementType::FLOAT_8_E8M0_FNU => format_g(f64::from(text_float::e8m0_to_f32(data[0]))),
        ElementType::BFLOAT_16 => narrow(text_float::BF16, u16::from_le_bytes(array(data)).into()),
        ElementType::FLOAT_16 => narrow(text_float::F16, u16::from_le_bytes(array(data)).into()),
        ElementType::FLOAT_32 => format_g(f64::from(f32::from_le_bytes(array(data)))),
        ElementType::FLOAT_64 => format_g(f64::from_le_bytes(array(data))),
        _ => data[..size].iter().map(|b| format!("{b:02X}")).collect(),
    })
}

/// `iree_hal_format_buffer_elements`: the elements of a `shape` view over
/// `data`, nested in `[]` per outer dimension, at most `max_element_count`
/// of them (the rest elided as `...`). Data shorter than the shape needs is
/// OUT_OF_RANGE.
pub fn format_buffer_elements(
    data: &[u8],
    shape: &[Dim],
    element_type: ElementType,
    max_element_count: usize,
) -> Result<String> {
    let mut out = String::new();
    let mut budget = max_element_count as u64;
    let scalar = [1];
    let shape = if shape.is_empty() { &scalar[..] } else { shape };
    format_recursive(data, shape, element_type, &mut budget, &mut out)?;
    Ok(out)
}

fn format_recursive(
    data: &[u8],
    shape: &[Dim],
    element_type: ElementType,
    budget: &mut u64,
    out: &mut String,
) -> Result<()> {
    let element_size = element_type.dense_byte_count() as u64;
    let underflow = |expected: Option<u64>| {
        iree_err!(
            OutOfRange,
            "input data underflow: data_length={} < expected={}",
            data.len(),
            expected.map_or_else(|| "overflow".to_string(), |e| e.to_string())
        )
    };
    if shape.len() > 1 {
        let inner = shape[1..]
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d));
        let stride = inner.and_then(|n| n.checked_mul(element_size));
        let total = stride.and_then(|s| s.checked_mul(shape[0]));
        match total {
            Some(total) if total <= data.len() as u64 => {}
            _ => return Err(underflow(total)),
        }
        let stride = stride.unwrap_or(0) as usize;
        for i in 0..shape[0] as usize {
            out.push('[');
            let start = i * stride;
            format_recursive(
                &data[start..start + stride],
                &shape[1..],
                element_type,
                budget,
                out,
            )?;
            out.push(']');
        }
    } else {
        let count = (*budget).min(shape[0]);
        let needed = count.checked_mul(element_size);
        match needed {
            Some(n) if n <= data.len() as u64 => {}
            _ => return Err(underflow(needed)),
        }
        *budget -= count;
        let size = element_size as usize;
        for i in 0..count as usize {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&format_element(&data[i * size..], element_type)?);
        }
        if count < shape[0] {
            out.push_str("...");
        }
    }
    Ok(())
}

/// `iree_hal_buffer_view_format`: `shape x type = elements` (no shape part
/// for scalars), reading the whole underlying buffer.
pub fn format_buffer_view(view: &BufferView, max_element_count: usize) -> Result<String> {
    let mut out = String::new();
    if view.rank() > 0 {
        out.push_str(&format_shape(view.shape()));
        out.push('x');
    }
    out.push_str(&view.element_type().to_string());
    out.push('=');
    let data = view.buffer().read_all()?;
    out.push_str(&format_buffer_elements(
        &data,
        view.shape(),
        view.element_type(),
        max_element_count,
    )?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    #[test]
    fn elements() {
        assert_eq!(
            format_element(&[0x80], ElementType::SINT_8).unwrap(),
            "-128"
        );
        assert_eq!(format_element(&[0xFF], ElementType::UINT_8).unwrap(), "255");
        assert_eq!(
            format_element(&u64::MAX.to_le_bytes(), ElementType::UINT_64).unwrap(),
            "18446744073709551615"
        );
        assert_eq!(
            format_element(&i64::MIN.to_le_bytes(), ElementType::INT_64).unwrap(),
            "-9223372036854775808"
        );
        assert_eq!(
            format_element(&1.5f32.to_le_bytes(), ElementType::FLOAT_32).unwrap(),
            "1.5"
        );
        assert_eq!(
            format_element(&1123.56789456789f64.to_le_bytes(), ElementType::FLOAT_64).unwrap(),
            "1123.57"
        );
        assert_eq!(format_element(&[129], ElementType::OPAQUE_8).unwrap(), "81");
        assert_eq!(
            format_element(&(-12345i16).to_le_bytes(), ElementType::OPAQUE_16).unwrap(),
            "C7CF"
        );
        assert_eq!(format_element(&[1], ElementType::BOOL_8).unwrap(), "01");
        assert_eq!(
            format_element(&[1], ElementType::INT_32)
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
    }

    #[test]
    fn nesting_and_elision() {
        let data = [1u8, 2, 3, 4];
        let f = |shape: &[Dim], max: usize| {
            format_buffer_elements(&data, shape, ElementType::SINT_8, max).unwrap()
        };
        assert_eq!(f(&[], 1024), "1");
        assert_eq!(f(&[4], 1024), "1 2 3 4");
        assert_eq!(f(&[2, 2], 1024), "[1 2][3 4]");
        assert_eq!(f(&[4, 1], 1024), "[1][2][3][4]");
        assert_eq!(f(&[], 0), "...");
        assert_eq!(f(&[4], 3), "1 2 3...");
        assert_eq!(f(&[2, 2], 1), "[1...][...]");
        assert_eq!(f(&[2, 2], 3), "[1 2][3...]");
        assert_eq!(f(&[2, 0, 3], 1024), "[][]");
        assert_eq!(
            format_buffer_elements(&data, &[5], ElementType::SINT_8, 1024)
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
        assert_eq!(
            format_buffer_elements(&data, &[1 << 40, 1 << 40, 1 << 40], ElementType::SINT_8, 8)
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
    }
}
