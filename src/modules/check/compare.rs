//! Element-wise comparisons of `check.expect_all_true` and
//! `check.expect_almost_eq`.

use crate::hal::element_type::ElementType;
use crate::hal::text_float::{
    e8m0_to_f32, NarrowFloat, BF16, F16, F8_E4M3_FN, F8_E4M3_FNUZ, F8_E5M2, F8_E5M2_FNUZ,
};
use crate::{iree_bail, Result};

/// Whether `actual` is within `atol + rtol * |expected|` of `expected`
/// (asymmetric, as upstream: the relative term scales with the expected
/// value). NaN matches NaN; a non-finite expected value only itself.
pub fn fuzzy_equal(actual: f64, expected: f64, atol: f64, rtol: f64) -> bool {
    if actual == expected || (actual.is_nan() && expected.is_nan()) {
        return true;
    }
    expected.is_finite() && (actual - expected).abs() <= atol + rtol * expected.abs()
}

/// The index of the first zero element, for the integer and float types
/// upstream supports; INVALID_ARGUMENT for any other type.
pub fn first_zero(bytes: &[u8], element_type: ElementType) -> Result<Option<usize>> {
    let is_zero: fn(&[u8]) -> bool = match element_type {
        t if t == ElementType::FLOAT_32 => |b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]) == 0.0,
        t if t == ElementType::FLOAT_64 => {
            |b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) == 0.0
        }
        t if t.is_integer() && !t.is_boolean() && matches!(t.bit_count(), 8 | 16 | 32 | 64) => {
            |b| b.iter().all(|&x| x == 0)
        }
        other => iree_bail!(InvalidArgument, "unsupported element type {other}"),
    };
    let size = element_type.dense_byte_count();
    Ok(bytes.chunks_exact(size).position(is_zero))
}

/// Decodes element `i` of a float type as f64; `None` for other types.
/// An element size and how to read one element as f64.
type Decoder = (usize, Box<dyn Fn(&[u8]) -> f64>);

fn float_decoder(element_type: ElementType) -> Option<Decoder> {
    let narrow = |format: NarrowFloat, size: usize| -> Option<Decoder> {
        Some((
            size,
            Box::new(move |b: &[u8]| {
                let bits = if size == 2 {
                    u16::from_le_bytes([b[0], b[1]]) as u32
                } else {
                    b[0] as u32
                };
                format.to_f32(bits) as f64
            }),
        ))
    };
    match element_type {
        t if t == ElementType::FLOAT_64 => Some((
            8,
            Box::new(|b: &[u8]| {
                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            }),
        )),
        t if t == ElementType::FLOAT_32 => Some((
            4,
            Box::new(|b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64),
        )),
        t if t == ElementType::FLOAT_16 => narrow(F16, 2),
        t if t == ElementType::BFLOAT_16 => narrow(BF16, 2),
        t if t == ElementType::FLOAT_8_E5M2 => narrow(F8_E5M2, 1),
        t if t == ElementType::FLOAT_8_E4M3_FN => narrow(F8_E4M3_FN, 1),
        t if t == ElementType::FLOAT_8_E5M2_FNUZ => narrow(F8_E5M2_FNUZ, 1),
        t if t == ElementType::FLOAT_8_E4M3_FNUZ => narrow(F8_E4M3_FNUZ, 1),
        t if t == ElementType::FLOAT_8_E8M0_FNU => {
            Some((1, Box::new(|b: &[u8]| e8m0_to_f32(b[0]) as f64)))
        }
        _ => None,
    }
}

/// The first element where `actual` and `expected` differ beyond the
/// tolerances: `(index, actual, expected)`. Floats only.
pub fn first_mismatch(
    actual: &[u8],
    expected: &[u8],
    element_type: ElementType,
    atol: f64,
    rtol: f64,
) -> Result<Option<(usize, f64, f64)>> {
    let Some((size, decode)) = float_decoder(element_type) else {
        iree_bail!(InvalidArgument, "unsupported element type {element_type}");
    };
    for (i, (a, e)) in actual
        .chunks_exact(size)
        .zip(expected.chunks_exact(size))
        .enumerate()
    {
        let (a, e) = (decode(a), decode(e));
        if !fuzzy_equal(a, e, atol, rtol) {
            return Ok(Some((i, a, e)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_scale_with_the_expected_value() {
        assert!(fuzzy_equal(1.0, 0.999999, 1e-4, 0.0));
        assert!(!fuzzy_equal(1.0, 0.99, 1e-4, 0.0));
        assert!(fuzzy_equal(101.0, 100.0, 0.0, 0.01));
        assert!(!fuzzy_equal(100.0, 98.0, 0.0, 0.01));
        assert!(fuzzy_equal(f64::NAN, f64::NAN, 0.0, 0.0));
        assert!(!fuzzy_equal(1.0, f64::INFINITY, 1e9, 1e9));
        assert!(fuzzy_equal(f64::INFINITY, f64::INFINITY, 0.0, 0.0));
    }

    #[test]
    fn zeros_and_mismatches_by_type() {
        let ints: Vec<u8> = [1i32, 2, 0].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(first_zero(&ints, ElementType::INT_32).unwrap(), Some(2));
        assert_eq!(first_zero(&ints[..8], ElementType::SINT_32).unwrap(), None);
        let floats: Vec<u8> = [-0.0f32, 1.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(first_zero(&floats, ElementType::FLOAT_32).unwrap(), Some(0));
        assert!(first_zero(&floats, ElementType::FLOAT_16).is_err());
        let a: Vec<u8> = [0x3C00u16, 0x4000]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let b: Vec<u8> = [0x3C00u16, 0x4200]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            first_mismatch(&a, &b, ElementType::FLOAT_16, 0.1, 0.0).unwrap(),
            Some((1, 2.0, 3.0))
        );
        assert_eq!(
            first_mismatch(&a, &b, ElementType::FLOAT_16, 1.0, 0.0).unwrap(),
            None
        );
        assert!(first_mismatch(&a, &b, ElementType::INT_16, 1.0, 0.0).is_err());
    }
}
