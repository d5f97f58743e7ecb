//! `iree/base/internal/math.h` for Rust callers: the same truncating f16
//! conversions and power-of-two rounding the C header offers inline, so both
//! sides of the library agree bit for bit.

/// Widens an IEEE binary16 bit pattern to `f32`. A zero exponent reads as
/// (signed) zero and the all-ones exponent as an ordinary finite exponent,
/// matching the C header.
pub fn f16_to_f32(value: u16) -> f32 {
    let sign = u32::from(value & 0x8000) << 16;
    let exponent = u32::from((value >> 10) & 0x1F);
    let mut bits = sign;
    if exponent != 0 {
        bits |= (exponent + (127 - 15)) << 23;
        bits |= u32::from(value & 0x03FF) << 13;
    }
    f32::from_bits(bits)
}

/// Narrows an `f32` to a binary16 bit pattern by truncating the mantissa and
/// clamping the exponent field to `[0, 31]` (no rounding, no NaN/inf care).
pub fn f32_to_f16(value: f32) -> u16 {
    let bits = value.to_bits();
    let sign = (bits >> 16) & 0x8000;
    let mantissa = (bits >> 13) & 0x03FF;
    let exponent = (((bits >> 23) & 0xFF) as i32 - 127 + 15).clamp(0, 31) as u32;
    (sign | (exponent << 10) | mantissa) as u16
}

/// Next power of two at or above `n`; 0 stays 0 and overflow wraps to 0.
pub fn round_up_to_pow2_u32(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    n.checked_next_power_of_two().unwrap_or(0)
}

/// Next power of two at or above `n`; 0 stays 0 and overflow wraps to 0.
pub fn round_up_to_pow2_u64(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    n.checked_next_power_of_two().unwrap_or(0)
}

/// Rounds `value` up to a multiple of `alignment` (a power of two).
pub fn align_up(value: usize, alignment: usize) -> usize {
    debug_assert!(alignment.is_power_of_two());
    (value + alignment - 1) & !(alignment - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow2_rounding_matches_the_header() {
        assert_eq!(round_up_to_pow2_u32(0), 0);
        assert_eq!(round_up_to_pow2_u32(1), 1);
        assert_eq!(round_up_to_pow2_u32(3), 4);
        assert_eq!(round_up_to_pow2_u32(0x8000_0000), 0x8000_0000);
        assert_eq!(round_up_to_pow2_u32(0x8000_0001), 0);
        assert_eq!(round_up_to_pow2_u32(u32::MAX), 0);
        assert_eq!(round_up_to_pow2_u64(0xFFFF_FFFF), 0x1_0000_0000);
        assert_eq!(round_up_to_pow2_u64(u64::MAX), 0);
    }

    #[test]
    fn f16_conversions_truncate_like_the_header() {
        assert_eq!(f32_to_f16(0.25), 0x3400);
        assert_eq!(f32_to_f16(-100.375), 0xd646);
        assert_eq!(f32_to_f16(f32::MAX), 0x7fff);
        assert_eq!(f32_to_f16(-f32::MAX), 0xffff);
        assert_eq!(f32_to_f16(f32::MIN_POSITIVE), 0);
        assert_eq!(f32_to_f16(-f32::MIN_POSITIVE), 0x8000);
        for v in [0.25f32, -100.375, 65504.0, f32::from_bits(0x3880_0000)] {
            assert_eq!(f16_to_f32(f32_to_f16(v)), v);
        }
        assert_eq!(f16_to_f32(f32_to_f16(f32::MIN_POSITIVE)), 0.0);
    }

    #[test]
    fn align_up_rounds_to_multiples() {
        assert_eq!(align_up(0, 16), 0);
        assert_eq!(align_up(1, 16), 16);
        assert_eq!(align_up(4096, 4096), 4096);
    }
}
