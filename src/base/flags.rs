//! Command-line flag syntax behind `iree/base/internal/flags.h`: splitting
//! `--name=value` arguments and flag-file lines, and reading values the way
//! the C runtime functions (`atoi`, `atoll`, `atof`) do.

use crate::base::string_view::{is_space, parse_c_float, trim_range};
use crate::{iree_err, Result};

fn trim(bytes: &[u8]) -> &[u8] {
    let (start, end) = trim_range(bytes);
    &bytes[start..end]
}

/// Splits a `--name[=value]` argument into its trimmed name and value;
/// `None` for anything else (positional arguments).
pub fn split_flag_argument(arg: &[u8]) -> Option<(&[u8], &[u8])> {
    let body = trim(arg).strip_prefix(b"--")?;
    Some(match body.iter().position(|&b| b == b'=') {
        Some(i) => (trim(&body[..i]), trim(&body[i + 1..])),
        None => (trim(body), &[][..]),
    })
}

/// One flag of a flag file: (1-based line number, name, value).
pub type FlagfileEntry<'a> = (usize, &'a [u8], &'a [u8]);

/// The flag lines of a flag file as (1-based line number, name, value).
/// Blank lines and `#` or `//` comments are skipped; any other line that is
/// not a flag is an error.
pub fn flagfile_entries(contents: &[u8]) -> Result<Vec<FlagfileEntry<'_>>> {
    let mut entries = Vec::new();
    for (index, line) in contents.split(|&b| b == b'\n').enumerate() {
        let line = trim(line);
        if line.is_empty() || line.starts_with(b"#") || line.starts_with(b"//") {
            continue;
        }
        let Some((name, value)) = split_flag_argument(line) else {
            return Err(iree_err!(
                InvalidArgument,
                "line {}: positional arguments not allowed in flag files",
                index + 1
            ));
        };
        entries.push((index + 1, name, value));
    }
    Ok(entries)
}

/// `--flag`, `--flag=true` and `--flag=1` are true; anything else false.
pub fn parse_bool(value: &[u8]) -> bool {
    value.is_empty() || value == b"true" || value == b"1"
}

/// Leading decimal integer as `atoll` reads it (0 when there is none);
/// out-of-range input saturates.
pub fn parse_decimal(value: &[u8]) -> i64 {
    let mut i = 0;
    while i < value.len() && is_space(value[i]) {
        i += 1;
    }
    let negative = value.get(i) == Some(&b'-');
    if matches!(value.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut magnitude: i128 = 0;
    while let Some(d) = value.get(i).filter(|b| b.is_ascii_digit()) {
        magnitude = (magnitude * 10 + i128::from(d - b'0')).min(i128::from(u64::MAX));
        i += 1;
    }
    let signed = if negative { -magnitude } else { magnitude };
    signed.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// As [`parse_decimal`], saturated to 32 bits.
pub fn parse_decimal_i32(value: &[u8]) -> i32 {
    parse_decimal(value).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Leading floating-point number as `atof` reads it (0 when there is none).
pub fn parse_float(value: &[u8]) -> f64 {
    parse_c_float(value).unwrap_or(0.0)
}

/// String values may be wrapped in double quotes, which are dropped.
pub fn strip_quotes(value: &[u8]) -> &[u8] {
    if value.len() > 2 && value.starts_with(b"\"") && value.ends_with(b"\"") {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_flag_arguments() {
        assert_eq!(split_flag_argument(b"--a=b"), Some((&b"a"[..], &b"b"[..])));
        assert_eq!(
            split_flag_argument(b" --a = b c "),
            Some((&b"a"[..], &b"b c"[..]))
        );
        assert_eq!(
            split_flag_argument(b"--flag"),
            Some((&b"flag"[..], &b""[..]))
        );
        assert_eq!(split_flag_argument(b"-a"), None);
        assert_eq!(split_flag_argument(b"positional"), None);
    }

    #[test]
    fn reads_flag_files() {
        let text = b"# comment\n\n  --a=1\n// other\n--b=\"x y\"\n";
        let entries = flagfile_entries(text).unwrap();
        assert_eq!(
            entries,
            vec![(3, &b"a"[..], &b"1"[..]), (5, &b"b"[..], &b"\"x y\""[..])]
        );
        assert!(flagfile_entries(b"--a=1\noops\n").is_err());
    }

    #[test]
    fn reads_values_like_the_c_library() {
        assert!(parse_bool(b"") && parse_bool(b"true") && parse_bool(b"1"));
        assert!(!parse_bool(b"false") && !parse_bool(b"yes"));
        assert_eq!(parse_decimal(b"-9223372036854775808"), i64::MIN);
        assert_eq!(parse_decimal(b"12abc"), 12);
        assert_eq!(parse_decimal(b"x"), 0);
        assert_eq!(parse_decimal_i32(b"2147483647"), i32::MAX);
        assert_eq!(parse_float(b"1.1234"), 1.1234);
        assert_eq!(strip_quotes(b"\"a b\""), b"a b");
        assert_eq!(strip_quotes(b"\"\""), b"\"\"");
    }
}
