//! Numbers in the text form, parsed and printed the way the reference
//! runtime's C library calls do, so the same inputs are accepted and the
//! same digits come out.
//!
//! Parsing follows `iree_string_view_ato*`: the token is copied into a small
//! scratch buffer (16 bytes for 32-bit integers, 32 for the rest; longer
//! tokens fail), converted with `strto*` in base 0 (`0x` hex, leading-`0`
//! octal), trailing characters are ignored, and only a result the C call
//! flags as out of range fails. A 32-bit parse keeps the low 32 bits of the
//! 64-bit `strtol` result, as the reference does. Printing floats is C's
//! `%G`.

use crate::base::string_view::{is_space, parse_c_integer};

/// The part of `text` a C string function sees (it stops at a NUL), if the
/// reference's scratch buffer of `capacity` bytes can hold it.
fn c_scratch(text: &[u8], capacity: usize) -> Option<&[u8]> {
    if text.len() >= capacity {
        return None;
    }
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    Some(&text[..end])
}

/// `strtoll(.., 0)` accepting only in-range results.
fn c_signed(text: &[u8], capacity: usize) -> Option<i64> {
    let value = parse_c_integer(c_scratch(text, capacity)?)?;
    i64::try_from(value).ok()
}

/// `strtoull(.., 0)`: a negative literal wraps (`-1` is the maximum), only a
/// magnitude past 64 bits fails.
fn c_unsigned(text: &[u8], capacity: usize) -> Option<u64> {
    let value = parse_c_integer(c_scratch(text, capacity)?)?;
    let magnitude = u64::try_from(value.unsigned_abs()).ok()?;
    Some(if value < 0 {
        magnitude.wrapping_neg()
    } else {
        magnitude
    })
}

pub fn parse_i32(text: &[u8]) -> Option<i32> {
    c_signed(text, 16).map(|v| v as i32)
}

pub fn parse_u32(text: &[u8]) -> Option<u32> {
    c_unsigned(text, 16).map(|v| v as u32)
}

pub fn parse_i64(text: &[u8]) -> Option<i64> {
    c_signed(text, 32)
}

pub fn parse_u64(text: &[u8]) -> Option<u64> {
    c_unsigned(text, 32)
}

/// `iree_string_view_atof`: `strtof` on the longest float prefix; fails when
/// nothing converts or a nonzero literal underflows to zero. Overflow gives
/// an infinity and is accepted.
pub fn parse_f32(text: &[u8]) -> Option<f32> {
    let literal = float_literal(c_scratch(text, 32)?)?;
    let value = literal.to_f32();
    (value != 0.0 || !literal.nonzero_digits).then_some(value)
}

/// `iree_string_view_atod`, as [`parse_f32`] for doubles.
pub fn parse_f64(text: &[u8]) -> Option<f64> {
    let literal = float_literal(c_scratch(text, 32)?)?;
    let value = literal.to_f64();
    (value != 0.0 || !literal.nonzero_digits).then_some(value)
}

enum FloatKind {
    /// A decimal literal, normalised for Rust's parser (`[-]digits.digitsEexp`).
    Decimal(String),
    /// A hex literal: mantissa digits as an integer, its binary exponent, and
    /// whether nonzero digits were dropped past 128 bits.
    Hex {
        mantissa: u128,
        exp: i64,
        sticky: bool,
    },
    Infinity,
    Nan,
}

struct FloatLiteral {
    negative: bool,
    kind: FloatKind,
    nonzero_digits: bool,
}

impl FloatLiteral {
    fn to_f64(&self) -> f64 {
        let magnitude = match &self.kind {
            FloatKind::Decimal(s) => s.parse::<f64>().unwrap_or(f64::NAN),
            FloatKind::Hex {
                mantissa,
                exp,
                sticky,
            } => hex_to_float(*mantissa, *exp, *sticky, 53, -1074).map_or(f64::INFINITY, |v| v),
            FloatKind::Infinity => f64::INFINITY,
            FloatKind::Nan => f64::NAN,
        };
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }

    fn to_f32(&self) -> f32 {
        let magnitude = match &self.kind {
            FloatKind::Decimal(s) => s.parse::<f32>().unwrap_or(f32::NAN),
            FloatKind::Hex {
                mantissa,
                exp,
                sticky,
            } => {
                hex_to_float(*mantissa, *exp, *sticky, 24, -149).map_or(f32::INFINITY, |v| v as f32)
            }
            FloatKind::Infinity => f32::INFINITY,
            FloatKind::Nan => f32::NAN,
        };
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

/// Rounds `mantissa * 2^exp` to `precision` significant bits with the
/// smallest exponent `min_exp` (of the last mantissa bit), nearest even.
/// Returns the value as f64 (exact for f32 results) or `None` on overflow.
fn hex_to_float(
    mantissa: u128,
    exp: i64,
    sticky: bool,
    precision: u32,
    min_exp: i64,
) -> Option<f64> {
    if mantissa == 0 {
        return Some(0.0);
    }
    let bits = 128 - mantissa.leading_zeros() as i64;
    // Exponent of the last kept bit: keep `precision` bits, but never below
    // the subnormal floor.
    let keep_exp = (exp + bits - i64::from(precision)).max(min_exp);
    let drop = keep_exp - exp;
    let (mut kept, round_up) = if drop <= 0 {
        (mantissa << (-drop).min(127), false)
    } else if drop >= 128 {
        (0, false)
    } else {
        let kept = mantissa >> drop;
        let rest = mantissa & ((1u128 << drop) - 1);
        let half = 1u128 << (drop - 1);
        let above_half = rest > half || (rest == half && sticky);
        let tie = rest == half && !sticky;
        (kept, above_half || (tie && kept & 1 == 1))
    };
    if round_up {
        kept += 1;
    }
    let value = kept as f64 * 2f64.powi(keep_exp.clamp(-1100, 1100) as i32);
    let max_exp = if precision == 24 { 128 } else { 1024 };
    if value >= 2f64.powi(max_exp) || value.is_infinite() {
        return None;
    }
    Some(value)
}

/// Scans the longest prefix `strtod` would convert.
fn float_literal(text: &[u8]) -> Option<FloatLiteral> {
    let mut i = text
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(text.len());
    let mut negative = false;
    if matches!(text.get(i), Some(b'+' | b'-')) {
        negative = text[i] == b'-';
        i += 1;
    }
    let rest = &text[i..];
    let lower = |n: usize| rest.get(..n).map(|s| s.to_ascii_lowercase());
    if lower(3).as_deref() == Some(b"inf") {
        return Some(FloatLiteral {
            negative,
            kind: FloatKind::Infinity,
            nonzero_digits: true,
        });
    }
    if lower(3).as_deref() == Some(b"nan") {
        return Some(FloatLiteral {
            negative,
            kind: FloatKind::Nan,
            nonzero_digits: true,
        });
    }
    let is_hex = lower(2).as_deref() == Some(b"0x")
        && (rest.get(2).is_some_and(u8::is_ascii_hexdigit)
            || (rest.get(2) == Some(&b'.') && rest.get(3).is_some_and(u8::is_ascii_hexdigit)));
    if is_hex {
        return Some(hex_literal(negative, &rest[2..]));
    }
    decimal_literal(negative, rest)
}

fn decimal_literal(negative: bool, rest: &[u8]) -> Option<FloatLiteral> {
    let mut i = 0;
    let mut digits = String::new();
    let mut nonzero = false;
    let mut any = false;
    while i < rest.len() && rest[i].is_ascii_digit() {
        digits.push(rest[i] as char);
        nonzero |= rest[i] != b'0';
        any = true;
        i += 1;
    }
    let mut fraction = String::new();
    if rest.get(i) == Some(&b'.') {
        let mut j = i + 1;
        while j < rest.len() && rest[j].is_ascii_digit() {
            fraction.push(rest[j] as char);
            nonzero |= rest[j] != b'0';
            any = true;
            j += 1;
        }
        if any {
            i = j;
        }
    }
    if !any {
        return None;
    }
    let mut exponent = String::new();
    if matches!(rest.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let mut e = String::new();
        if matches!(rest.get(j), Some(b'+' | b'-')) {
            e.push(rest[j] as char);
            j += 1;
        }
        let start = j;
        while j < rest.len() && rest[j].is_ascii_digit() {
            j += 1;
        }
        if j > start {
            // Clamp absurd exponents; the result saturates the same way.
            let digits_part = std::str::from_utf8(&rest[start..j]).unwrap_or("0");
            let magnitude: u64 = digits_part.parse().unwrap_or(u64::MAX).min(100_000);
            exponent = format!("e{}{}", if e == "-" { "-" } else { "" }, magnitude);
        }
    }
    let normalised = format!(
        "{}.{}{}",
        if digits.is_empty() { "0" } else { &digits },
        if fraction.is_empty() { "0" } else { &fraction },
        exponent
    );
    Some(FloatLiteral {
        negative,
        kind: FloatKind::Decimal(normalised),
        nonzero_digits: nonzero,
    })
}

fn hex_literal(negative: bool, rest: &[u8]) -> FloatLiteral {
    let mut mantissa: u128 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut nonzero = false;
    let mut i = 0;
    let mut seen_point = false;
    while i < rest.len() {
        let b = rest[i];
        if b == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = char::from(b).to_digit(16) else {
            break;
        };
        nonzero |= d != 0;
        if mantissa >> 120 == 0 {
            mantissa = (mantissa << 4) | u128::from(d);
            if seen_point {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp += 4;
            }
        }
        i += 1;
    }
    if matches!(rest.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let mut exp_negative = false;
        if matches!(rest.get(j), Some(b'+' | b'-')) {
            exp_negative = rest[j] == b'-';
            j += 1;
        }
        let start = j;
        let mut value: i64 = 0;
        while j < rest.len() && rest[j].is_ascii_digit() {
            value = (value * 10 + i64::from(rest[j] - b'0')).min(1 << 20);
            j += 1;
        }
        if j > start {
            exp += if exp_negative { -value } else { value };
        }
    }
    FloatLiteral {
        negative,
        kind: FloatKind::Hex {
            mantissa,
            exp,
            sticky,
        },
        nonzero_digits: nonzero,
    }
}

/// C's `printf("%G", value)`: six significant digits, trailing zeros
/// dropped, `E` notation below 1E-4 or from 1E+06, `INF`/`NAN` in capitals.
pub fn format_g(value: f64) -> String {
    const PRECISION: i32 = 6;
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_nan() {
        return format!("{sign}NAN");
    }
    if value.is_infinite() {
        return format!("{sign}INF");
    }
    if value == 0.0 {
        return format!("{sign}0");
    }
    // The exponent after rounding to the precision decides the style.
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..PRECISION).contains(&exponent) {
        let mantissa = strip_fraction_zeros(mantissa);
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}E{exp_sign}{:02}", exponent.abs())
    } else {
        let fixed = format!("{:.*}", (PRECISION - 1 - exponent) as usize, value.abs());
        format!("{sign}{}", strip_fraction_zeros(&fixed))
    }
}

fn strip_fraction_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_strtol() {
        assert_eq!(parse_i32(b"-128"), Some(-128));
        assert_eq!(parse_i32(b"0x10"), Some(16));
        assert_eq!(parse_i32(b"010"), Some(8));
        assert_eq!(parse_i32(b"12abc"), Some(12));
        assert_eq!(parse_i32(b"4294967295"), Some(-1), "low 32 bits kept");
        assert_eq!(parse_i32(b"18446744073709551615"), None, "too long");
        assert_eq!(parse_i32(b""), None);
        assert_eq!(parse_i32(b"abc"), None);
        assert_eq!(parse_u32(b"-1"), Some(u32::MAX));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
    }

    #[test]
    fn floats_follow_strtod() {
        assert_eq!(parse_f32(b"1.5"), Some(1.5));
        assert_eq!(parse_f32(b"1.5abc"), Some(1.5));
        assert_eq!(parse_f32(b".5"), Some(0.5));
        assert_eq!(parse_f32(b"5."), Some(5.0));
        assert_eq!(parse_f32(b"0x10"), Some(16.0));
        assert_eq!(parse_f32(b"0x1p3"), Some(8.0));
        assert_eq!(parse_f32(b"0x.8"), Some(0.5));
        assert_eq!(parse_f32(b"1e50"), Some(f32::INFINITY));
        assert_eq!(parse_f32(b"1e-50"), None, "underflow to zero fails");
        assert_eq!(parse_f32(b"0e-50"), Some(0.0));
        assert_eq!(parse_f32(b"-infinity"), Some(f32::NEG_INFINITY));
        assert!(parse_f32(b"nan").unwrap().is_nan());
        assert_eq!(parse_f32(b"e5"), None);
        assert_eq!(parse_f32(b"1e"), Some(1.0));
        assert_eq!(parse_f64(b"-1.5e-10"), Some(-1.5e-10));
        assert_eq!(parse_f64(b"1.567890123456789"), Some(1.567890123456789));
        assert_eq!(parse_f32(b"1e-45"), Some(1e-45), "subnormals are kept");
    }

    #[test]
    fn prints_like_percent_g() {
        assert_eq!(format_g(1.5), "1.5");
        assert_eq!(format_g(1123.56789456789), "1123.57");
        assert_eq!(format_g(-1.5e-10), "-1.5E-10");
        assert_eq!(format_g(1e300), "1E+300");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(1000000.0), "1E+06");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(0.00001), "1E-05");
        assert_eq!(format_g(f64::from(0.1f32)), "0.1");
        assert_eq!(format_g(-0.0), "-0");
        assert_eq!(format_g(f64::NEG_INFINITY), "-INF");
        assert_eq!(format_g(999999.5), "1E+06");
    }
}
