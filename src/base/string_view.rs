//! Byte-string algorithms behind `iree/base/string_view.h`.
//!
//! Everything works on `&[u8]` (C strings need not be UTF-8) and returns
//! positions or sub-slices; the C layer maps them back onto the caller's
//! pointers.

/// Position of the first byte at or after `pos` that is in `set`.
pub fn find_first_of(value: &[u8], set: &[u8], pos: usize) -> Option<usize> {
    let table = byte_table(set);
    value
        .iter()
        .enumerate()
        .skip(pos)
        .find(|(_, b)| table[usize::from(**b)])
        .map(|(i, _)| i)
}

/// Position of the last byte at or before `pos` (clamped to the end) that is
/// in `set`.
pub fn find_last_of(value: &[u8], set: &[u8], pos: usize) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    let table = byte_table(set);
    let last = pos.min(value.len() - 1);
    (0..=last).rev().find(|&i| table[usize::from(value[i])])
}

fn byte_table(set: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    for &b in set {
        table[usize::from(b)] = true;
    }
    table
}

/// Three-way comparison: bytewise, then shorter first.
pub fn compare(lhs: &[u8], rhs: &[u8]) -> std::cmp::Ordering {
    lhs.cmp(rhs)
}

/// The C `isspace` set in the "C" locale.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Range of `value` without leading and trailing whitespace.
pub fn trim_range(value: &[u8]) -> (usize, usize) {
    let start = value
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |i| i + 1);
    (start, end.max(start))
}

/// Glob match: `*` matches any run (including none), `?` any one byte.
pub fn match_pattern(value: &[u8], pattern: &[u8]) -> bool {
    // Iterative matcher with one backtrack point (the last `*` seen).
    let (mut v, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while v < value.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == value[v]) {
            v += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, v));
            p += 1;
        } else if let Some((sp, sv)) = star {
            p = sp + 1;
            v = sv + 1;
            star = Some((sp, sv + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// Parses an integer the way C's `strtol(s, &end, 0)` does: optional leading
/// whitespace and sign, `0x` hex or leading-`0` octal or decimal, stopping at
/// the first byte that is not a digit. Returns the magnitude-checked value
/// as i128 (so callers can range-check) or `None` when no digit was read.
pub fn parse_c_integer(text: &[u8]) -> Option<i128> {
    let mut i = 0;
    while i < text.len() && is_space(text[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < text.len() && (text[i] == b'+' || text[i] == b'-') {
        negative = text[i] == b'-';
        i += 1;
    }
    let mut radix = 10;
    if i + 1 < text.len()
        && text[i] == b'0'
        && (text[i + 1] == b'x' || text[i + 1] == b'X')
        && text.get(i + 2).is_some_and(|b| b.is_ascii_hexdigit())
    {
        radix = 16;
        i += 2;
    } else if i < text.len() && text[i] == b'0' {
        radix = 8;
    }
    let mut value: i128 = 0;
    let mut digits = 0;
    while i < text.len() {
        let Some(d) = char::from(text[i]).to_digit(radix) else {
            break;
        };
        // Saturate far past any 64-bit range so overflow is still detected.
        value = (value * i128::from(radix) + i128::from(d)).min(i128::MAX / 64);
        digits += 1;
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// Parses a floating-point prefix the way C's `strtod` does (leading
/// whitespace, decimal or `inf`/`nan`); `None` when nothing parses.
pub fn parse_c_float(text: &[u8]) -> Option<f64> {
    let mut i = 0;
    while i < text.len() && is_space(text[i]) {
        i += 1;
    }
    let rest = &text[i..];
    // Longest prefix that Rust's parser accepts (it rejects trailing junk).
    let mut best = None;
    let max = rest.len().min(64);
    for end in (1..=max).rev() {
        if let Ok(s) = std::str::from_utf8(&rest[..end]) {
            if s.ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            if let Ok(v) = s.parse::<f64>() {
                best = Some(v);
                break;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bytes_from_sets() {
        assert_eq!(find_first_of(b"abcabc", b"cb", 0), Some(1));
        assert_eq!(find_first_of(b"abcabc", b"cb", 3), Some(4));
        assert_eq!(find_first_of(b"abc", b"x", 0), None);
        assert_eq!(find_last_of(b"abcabc", b"ab", usize::MAX), Some(4));
        assert_eq!(find_last_of(b"abcabc", b"ab", 2), Some(1));
        assert_eq!(find_last_of(b"", b"ab", 2), None);
    }

    #[test]
    fn trims_whitespace() {
        assert_eq!(trim_range(b"  ab c \n"), (2, 6));
        assert_eq!(trim_range(b"   "), (3, 3));
        assert_eq!(trim_range(b""), (0, 0));
    }

    #[test]
    fn matches_globs() {
        assert!(match_pattern(b"foo-123-bar", b"foo-*-bar"));
        assert!(match_pattern(b"foo-101", b"foo-10?"));
        assert!(match_pattern(b"", b"*"));
        assert!(!match_pattern(b"foo", b"f?"));
        assert!(match_pattern(b"abcbc", b"a*bc"));
        assert!(!match_pattern(b"abc", b"a*d"));
    }

    #[test]
    fn parses_like_strtol() {
        assert_eq!(parse_c_integer(b" -42"), Some(-42));
        assert_eq!(parse_c_integer(b"0x1F"), Some(31));
        assert_eq!(parse_c_integer(b"010"), Some(8));
        assert_eq!(parse_c_integer(b"12abc"), Some(12));
        assert_eq!(parse_c_integer(b"abc"), None);
        assert_eq!(parse_c_float(b"1.5e2x"), Some(150.0));
        assert_eq!(parse_c_float(b"x"), None);
    }
}
