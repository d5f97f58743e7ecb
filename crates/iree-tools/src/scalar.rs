//! Scalar text I/O of the command-line tools, matching the reference tools:
//! inputs are parsed with C `strtoll`/`strtod` prefix rules (so `5.5` is the
//! i32 5 and `0x10` is 16) and floats print like C's `%g`.

use iree_runtime::{iree_err, Result};

/// A scalar crossing the tool boundary, typed by the function signature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

/// Signature character (`i`, `I`, `f`, `F`) to the type name the tools print.
pub fn type_name(c: u8) -> &'static str {
    match c {
        b'i' => "i32",
        b'I' => "i64",
        b'f' => "f32",
        b'F' => "f64",
        _ => "ref",
    }
}

/// Parses `text` as the scalar type of signature character `c`.
pub fn parse_as(c: u8, text: &str) -> Result<Scalar> {
    let bad = || {
        iree_err!(
            InvalidArgument,
            "parsing value `{}` as {}",
            text,
            type_name(c)
        )
    };
    match c {
        // Out-of-range i64 text is an error; i32 keeps the low bits of the
        // i64 value, as the reference does.
        b'i' => parse_c_integer(text)
            .map(|v| Scalar::I32(v as i32))
            .ok_or_else(bad),
        b'I' => parse_c_integer(text).map(Scalar::I64).ok_or_else(bad),
        b'f' => parse_c_float(text)
            .map(|v| Scalar::F32(v as f32))
            .ok_or_else(bad),
        b'F' => parse_c_float(text).map(Scalar::F64).ok_or_else(bad),
        _ => Err(iree_err!(
            Unimplemented,
            "inputs of type `{}` are not supported yet (scalars only)",
            c as char
        )),
    }
}

/// `strtoll(text, &end, 0)` that must consume at least one digit and not
/// overflow; trailing text is ignored.
pub fn parse_c_integer(text: &str) -> Option<i64> {
    let s = text.trim_start().as_bytes();
    let (neg, mut i) = match s.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut radix = 10u32;
    if s.get(i) == Some(&b'0') {
        if matches!(s.get(i + 1), Some(b'x' | b'X'))
            && s.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
        {
            radix = 16;
            i += 2;
        } else {
            radix = 8;
        }
    }
    let start = i;
    let mut magnitude: u128 = 0;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        magnitude = magnitude
            .saturating_mul(radix as u128)
            .saturating_add(d as u128);
        i += 1;
    }
    if i == start {
        return None;
    }
    if neg {
        (magnitude <= 1u128 << 63).then(|| (magnitude as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strtod(text, &end)` that must consume something; trailing text is
/// ignored, out-of-range values saturate to infinity or zero as in C.
pub fn parse_c_float(text: &str) -> Option<f64> {
    let s = text.trim_start();
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let value = if lower.starts_with("inf") {
        f64::INFINITY
    } else if lower.starts_with("nan") {
        f64::NAN
    } else if lower.starts_with("0x") {
        parse_hex_float(&body[2..])?
    } else {
        let bb = body.as_bytes();
        let mut i = 0;
        let mut digits = 0;
        while bb.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
        if bb.get(i) == Some(&b'.') {
            i += 1;
            while bb.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        // An exponent counts only when digits follow it.
        if matches!(bb.get(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(bb.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if bb.get(j).is_some_and(u8::is_ascii_digit) {
                while bb.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                i = j;
            }
        }
        body[..i].parse::<f64>().ok()?
    };
    Some(if neg { -value } else { value })
}

/// Hex float mantissa (after `0x`) with an optional binary exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut mantissa = 0f64;
    let mut exp: i64 = 0;
    let mut digits = 0;
    while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(16)) {
        mantissa = mantissa * 16.0 + d as f64;
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(16)) {
            mantissa = mantissa * 16.0 + d as f64;
            exp -= 4;
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        // `0x` with no hex digits is the integer 0 followed by junk.
        return Some(0.0);
    }
    if matches!(b.get(i), Some(b'p' | b'P')) {
        if let Some(e) = parse_c_integer_decimal(&s[i + 1..]) {
            exp = exp.saturating_add(e);
        }
    }
    Some(mantissa * 2f64.powi(exp.clamp(-2200, 2200) as i32))
}

fn parse_c_integer_decimal(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let (neg, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let start = i;
    let mut v: i64 = 0;
    while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((d - b'0') as i64);
        i += 1;
    }
    (i > start).then_some(if neg { -v } else { v })
}

/// Formats like C's `printf("%g", v)` (6 significant digits, glibc's
/// spelling of infinities and NaNs).
pub fn format_g(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.into();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.into();
    }
    const P: i32 = 6;
    // The exponent after rounding to P significant digits decides the style.
    let sci = format!("{:.*e}", (P - 1) as usize, v);
    let (mantissa, exp) = sci.split_once('e').expect("exponent present");
    let exp: i32 = exp.parse().expect("integer exponent");
    if !(-4..P).contains(&exp) {
        let m = strip_fraction_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (P - 1 - exp) as usize;
        strip_fraction_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

impl Scalar {
    /// The reference tools' `type=value` text.
    pub fn display(&self) -> String {
        match *self {
            Scalar::I32(v) => format!("i32={v}"),
            Scalar::I64(v) => format!("i64={v}"),
            Scalar::F32(v) => format!("f32={}", format_g(v as f64)),
            Scalar::F64(v) => format!("f64={}", format_g(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values were observed with the reference iree-run-module 3.13.
    #[test]
    fn integers_follow_strtoll() {
        assert_eq!(parse_c_integer("5"), Some(5));
        assert_eq!(parse_c_integer("5.5"), Some(5));
        assert_eq!(parse_c_integer("1e3"), Some(1));
        assert_eq!(parse_c_integer(" 3"), Some(3));
        assert_eq!(parse_c_integer("0x10"), Some(16));
        assert_eq!(parse_c_integer("-0x10"), Some(-16));
        assert_eq!(parse_c_integer("010"), Some(8));
        assert_eq!(parse_c_integer("0x"), Some(0));
        assert_eq!(parse_c_integer("0b1"), Some(0));
        assert_eq!(parse_c_integer("1 2"), Some(1));
        assert_eq!(parse_c_integer("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_c_integer("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_c_integer("9223372036854775808"), None);
        assert_eq!(parse_c_integer("-9223372036854775809"), None);
        assert_eq!(parse_c_integer("0xffffffffffffffff"), None);
        assert_eq!(parse_c_integer("true"), None);
        assert_eq!(parse_c_integer("i32=5"), None);
        assert_eq!(parse_c_integer("-"), None);
    }

    #[test]
    fn i32_keeps_low_bits() {
        assert_eq!(
            parse_as(b'i', "99999999999").unwrap(),
            Scalar::I32(1215752191)
        );
        let e = parse_as(b'i', "abc").unwrap_err();
        assert_eq!(e.message(), "parsing value `abc` as i32");
    }

    #[test]
    fn floats_follow_strtod() {
        assert_eq!(parse_c_float("1.5"), Some(1.5));
        assert_eq!(parse_c_float("1.5x"), Some(1.5));
        assert_eq!(parse_c_float(".5"), Some(0.5));
        assert_eq!(parse_c_float("5."), Some(5.0));
        assert_eq!(parse_c_float("0x10"), Some(16.0));
        assert_eq!(parse_c_float("0x1p3"), Some(8.0));
        assert_eq!(parse_c_float("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_c_float("infinity"), Some(f64::INFINITY));
        assert_eq!(parse_c_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_c_float("NaN").unwrap().is_nan());
        assert_eq!(parse_c_float("1e"), Some(1.0));
        assert_eq!(parse_c_float("x"), None);
        assert_eq!(parse_c_float("."), None);
    }

    #[test]
    fn percent_g() {
        let cases: &[(f64, &str)] = &[
            (5.5, "5.5"),
            (-15.0, "-15"),
            (0.1, "0.1"),
            (1e10, "1e+10"),
            (1e-10, "1e-10"),
            (123456789.0, "1.23457e+08"),
            (123456.7, "123457"),
            (0.000123456, "0.000123456"),
            (std::f64::consts::PI, "3.14159"),
            (123456789012.0, "1.23457e+11"),
            (1e100, "1e+100"),
            (1e-300, "1e-300"),
            (0.463648, "0.463648"),
            (999999.5, "1e+06"),
            (-0.0, "-0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for &(v, want) in cases {
            assert_eq!(format_g(v), want, "{v}");
        }
        assert_eq!(Scalar::F32(1.4013e-45).display(), "f32=1.4013e-45");
        assert_eq!(Scalar::F32(0.1).display(), "f32=0.1");
        assert_eq!(Scalar::F64(-(f64::NAN)).display(), "f64=-nan");
    }
}
