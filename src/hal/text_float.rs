//! Conversions between f32 and the narrow float formats buffers may hold
//! (f16, bf16 and the 8-bit formats), with the reference runtime's rules:
//! round to nearest even, f32 subnormals flush to zero unless the narrow
//! format has f32's exponent range (bf16), overflow becomes infinity where
//! the format has one and NaN (or the largest finite value) where it does not.

/// The layout and special values of a narrow float format.
#[derive(Clone, Copy, Debug)]
pub struct NarrowFloat {
    exp_bits: u32,
    mantissa_bits: u32,
    has_infinity: bool,
    has_nan: bool,
    /// Added to the IEEE-style bias (the FNUZ formats use one more).
    bias_tweak: i32,
    /// NaN is the bit pattern of negative zero (the FNUZ formats).
    nan_is_negative_zero: bool,
}

pub const F16: NarrowFloat = NarrowFloat::ieee(5, 10);
pub const BF16: NarrowFloat = NarrowFloat::ieee(8, 7);
pub const F8_E5M2: NarrowFloat = NarrowFloat::ieee(5, 2);
pub const F8_E4M3_FN: NarrowFloat = NarrowFloat {
    has_infinity: false,
    ..NarrowFloat::ieee(4, 3)
};
pub const F8_E5M2_FNUZ: NarrowFloat = NarrowFloat {
    has_infinity: false,
    bias_tweak: 1,
    nan_is_negative_zero: true,
    ..NarrowFloat::ieee(5, 2)
};
pub const F8_E4M3_FNUZ: NarrowFloat = NarrowFloat {
    has_infinity: false,
    bias_tweak: 1,
    nan_is_negative_zero: true,
    ..NarrowFloat::ieee(4, 3)
};

impl NarrowFloat {
    const fn ieee(exp_bits: u32, mantissa_bits: u32) -> NarrowFloat {
        NarrowFloat {
            exp_bits,
            mantissa_bits,
            has_infinity: true,
            has_nan: true,
            bias_tweak: 0,
            nan_is_negative_zero: false,
        }
    }

    fn sign_mask(self) -> u32 {
        1 << (self.exp_bits + self.mantissa_bits)
    }

    fn mantissa_mask(self) -> u32 {
        (1 << self.mantissa_bits) - 1
    }

    fn exp_mask(self) -> u32 {
        self.sign_mask() - (1 << self.mantissa_bits)
    }

    fn bias(self) -> i32 {
        self.bias_tweak + (1 << (self.exp_bits - 1)) - 1
    }

    /// The f32 value of the narrow encoding in the low bits of `bits`.
    pub fn to_f32(self, bits: u32) -> f32 {
        let sign = if bits & self.sign_mask() != 0 {
            -1.0f32
        } else {
            1.0
        };
        let exp = bits & self.exp_mask();
        let mantissa = bits & self.mantissa_mask();
        let bias = self.bias();
        if exp == self.exp_mask() {
            if self.has_infinity {
                return if self.has_nan && mantissa != 0 {
                    f32::NAN
                } else {
                    sign * f32::INFINITY
                };
            }
            if self.has_nan && mantissa == self.mantissa_mask() && !self.nan_is_negative_zero {
                return f32::NAN;
            }
        } else if self.has_nan && self.nan_is_negative_zero && bits == self.sign_mask() {
            return f32::NAN;
        } else if exp == 0 {
            return sign * ldexp(mantissa as f32, 1 - bias - self.mantissa_bits as i32);
        }
        let unbiased = (exp >> self.mantissa_bits) as i32 - bias - self.mantissa_bits as i32;
        sign * ldexp((mantissa + (1 << self.mantissa_bits)) as f32, unbiased)
    }

    /// The narrow encoding of `value`, rounded to nearest even.
    pub fn from_f32(self, value: f32) -> u32 {
        const F32_MANTISSA_BITS: u32 = 23;
        const F32_EXP_BITS: u32 = 8;
        let bits = value.to_bits();
        let sign = (bits >> 31) << (self.exp_bits + self.mantissa_bits);
        let f32_exp = (bits >> 23) & 0xFF;
        let f32_mantissa = bits & 0x7F_FFFF;
        let shift = F32_MANTISSA_BITS - self.mantissa_bits;
        let mut exp = 0u32;
        let mut mantissa = 0u32;
        let mut make_nan = false;
        let mut make_inf = false;
        if f32_exp == 0xFF {
            exp = self.exp_mask();
            if f32_mantissa != 0 {
                make_nan = true;
            } else {
                make_inf = true;
            }
        } else if f32_exp == 0 {
            // Subnormal f32 values survive only where the exponent range does.
            if self.exp_bits == F32_EXP_BITS {
                mantissa = round_half_even(f32_mantissa, shift) >> shift;
            }
        } else {
            let mut unbiased = f32_exp as i32 - 127;
            if unbiased > (1 << (self.exp_bits - 1)) - i32::from(self.has_infinity) {
                make_inf = true;
            } else if unbiased + self.bias() <= 0 {
                // Becomes a subnormal (or zero) of the narrow format.
                let subnormal_exp = 1 - self.bias();
                let sub_shift = shift as i32 - unbiased + subnormal_exp;
                if (0..=F32_MANTISSA_BITS as i32).contains(&sub_shift) {
                    let full = (1 << F32_MANTISSA_BITS) + f32_mantissa;
                    mantissa = round_half_even(full, sub_shift as u32) >> sub_shift;
                }
            } else {
                let mut rounded = round_half_even(f32_mantissa, shift);
                if rounded > 0x7F_FFFF {
                    rounded = 0;
                    unbiased += 1;
                }
                exp = ((unbiased + self.bias()) as u32) << self.mantissa_bits;
                mantissa = rounded >> shift;
                if !self.has_infinity && exp > self.exp_mask() {
                    make_nan = true;
                }
            }
        }
        if make_inf {
            if self.has_infinity {
                return sign | self.exp_mask();
            }
            if self.has_nan {
                make_nan = true;
            } else {
                return sign | self.exp_mask() | self.mantissa_mask();
            }
        }
        if make_nan {
            if !self.has_nan {
                return 0;
            }
            if self.nan_is_negative_zero {
                return self.sign_mask();
            }
            return sign | self.exp_mask() | self.mantissa_mask();
        }
        if self.nan_is_negative_zero && exp == 0 && mantissa == 0 {
            // Negative zero would read back as NaN.
            return 0;
        }
        sign | exp | mantissa
    }
}

/// Adds the bias that makes a right shift by `shift` round to nearest even.
fn round_half_even(value: u32, shift: u32) -> u32 {
    if shift == 0 {
        return value;
    }
    let even_bit = 1u32 << shift;
    let half = even_bit >> 1;
    value
        + if value & even_bit != 0 {
            half
        } else {
            half - 1
        }
}

fn ldexp(value: f32, exp: i32) -> f32 {
    // Exact for the small magnitudes narrow formats reach.
    (f64::from(value) * 2f64.powi(exp)) as f32
}

/// f8E8M0FNU: an unsigned power of two (0xFF is NaN).
pub fn e8m0_to_f32(bits: u8) -> f32 {
    if bits == 0xFF {
        f32::NAN
    } else {
        ldexp(1.0, i32::from(bits) - 127)
    }
}

pub fn f32_to_e8m0(value: f32) -> u8 {
    if !value.is_finite() {
        return 0xFF;
    }
    if value <= 0.0 {
        return 0;
    }
    // value = normalized * 2^exp with normalized in [0.5, 1).
    let (normalized, exp) = frexp(value);
    let rounded = exp - i32::from(normalized < 0.75);
    (rounded + 127).clamp(0, 0xFF) as u8
}

fn frexp(value: f32) -> (f32, i32) {
    let v = f64::from(value);
    let mut exp = v.abs().log2().floor() as i32 + 1;
    let mut normalized = v / 2f64.powi(exp);
    // Correct for log2 rounding at exact powers of two.
    if normalized.abs() >= 1.0 {
        normalized /= 2.0;
        exp += 1;
    } else if normalized.abs() < 0.5 {
        normalized *= 2.0;
        exp -= 1;
    }
    (normalized as f32, exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f16_round_trips_and_rounds() {
        assert_eq!(F16.from_f32(1.5), 0x3E00);
        assert_eq!(F16.to_f32(0x3E00), 1.5);
        assert_eq!(F16.from_f32(65504.0), 0x7BFF);
        assert_eq!(F16.from_f32(65520.0), 0x7C00, "rounds up into infinity");
        assert_eq!(F16.from_f32(-0.0), 0x8000);
        assert!(F16.to_f32(F16.from_f32(f32::NAN)).is_nan());
        assert_eq!(F16.from_f32(1e-8), 0, "below the smallest subnormal");
        assert_eq!(F16.to_f32(0x0001), 5.960_464_5e-8);
        assert_eq!(F16.from_f32(5.960_464_5e-8), 0x0001);
        assert_eq!(F16.to_f32(F16.from_f32(0.1)), 0.099_975_586);
    }

    #[test]
    fn bf16_keeps_the_f32_range() {
        assert_eq!(BF16.from_f32(1.5), 0x3FC0);
        assert_eq!(BF16.to_f32(0x3FC0), 1.5);
        assert_eq!(BF16.from_f32(f32::MIN_POSITIVE / 2.0), 0x0040);
        assert_eq!(BF16.from_f32(f32::INFINITY), 0x7F80);
    }

    #[test]
    fn eight_bit_formats() {
        assert_eq!(F8_E4M3_FN.from_f32(448.0), 0x7E);
        assert_eq!(F8_E4M3_FN.from_f32(1e6), 0x7F, "overflow is NaN");
        assert!(F8_E4M3_FN.to_f32(0x7F).is_nan());
        assert_eq!(F8_E5M2.from_f32(1e6), 0x7C);
        assert_eq!(F8_E4M3_FNUZ.from_f32(-0.0), 0, "no negative zero");
        assert!(F8_E4M3_FNUZ.to_f32(0x80).is_nan());
        assert_eq!(F8_E5M2_FNUZ.to_f32(F8_E5M2_FNUZ.from_f32(2.0)), 2.0);
        assert_eq!(f32_to_e8m0(1.0), 127);
        assert_eq!(f32_to_e8m0(3.0), 129);
        assert_eq!(e8m0_to_f32(129), 4.0);
        assert_eq!(f32_to_e8m0(-1.0), 0);
    }
}
