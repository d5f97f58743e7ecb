//! `iree/base/string_view.h`: the exported string view operations.
//!
//! Views are borrowed: results always point into the caller's characters.
//! A view with NULL data is treated as empty whatever its size claims.

use std::ffi::c_char;

pub use crate::abi::string_view::{c_str_bytes, iree_host_size_t, iree_string_view_t};
use crate::base::string_view;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;

const NPOS: usize = usize::MAX;

/// Whether the characters of `lhs` and `rhs` (both borrowed for the call)
/// are equal.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_equal(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        Ok(unsafe { lhs.as_bytes() == rhs.as_bytes() })
    })
}

/// Compares `lhs` and `rhs` (borrowed for the call) byte-wise: negative,
/// zero or positive.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_compare(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
) -> i32 {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let (l, r) = unsafe { (lhs.as_bytes(), rhs.as_bytes()) };
        Ok(string_view::compare(l, r) as i32)
    })
}

/// Index of the first `c` at or after `pos` in `value` (borrowed for the
/// call), or SIZE_MAX.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_char(
    value: iree_string_view_t,
    c: c_char,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { value.as_bytes() };
        Ok(string_view::find_first_of(bytes, &[c as u8], pos).unwrap_or(NPOS))
    })
}

/// Index of the first character of `s` at or after `pos` in `value` (both
/// borrowed for the call), or SIZE_MAX.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_first_of(
    value: iree_string_view_t,
    s: iree_string_view_t,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let (bytes, set) = unsafe { (value.as_bytes(), s.as_bytes()) };
        Ok(string_view::find_first_of(bytes, set, pos).unwrap_or(NPOS))
    })
}

/// Index of the last character of `s` at or before `pos` in `value` (both
/// borrowed for the call), or SIZE_MAX.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_last_of(
    value: iree_string_view_t,
    s: iree_string_view_t,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let (bytes, set) = unsafe { (value.as_bytes(), s.as_bytes()) };
        Ok(string_view::find_last_of(bytes, set, pos).unwrap_or(NPOS))
    })
}

/// Whether `value` starts with `prefix` (both borrowed for the call); an
/// empty prefix never matches (as upstream).
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_starts_with(
    value: iree_string_view_t,
    prefix: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let (bytes, p) = unsafe { (value.as_bytes(), prefix.as_bytes()) };
        Ok(!p.is_empty() && bytes.starts_with(p))
    })
}

/// Whether `value` ends with `suffix` (both borrowed for the call); an
/// empty suffix never matches.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_ends_with(
    value: iree_string_view_t,
    suffix: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let (bytes, s) = unsafe { (value.as_bytes(), suffix.as_bytes()) };
        Ok(!s.is_empty() && bytes.ends_with(s))
    })
}

/// `value` without its first `n` characters: a view into the same
/// characters (the empty view when `n` covers them all).
#[no_mangle]
pub extern "C" fn iree_string_view_remove_prefix(
    value: iree_string_view_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        if n >= value.size {
            return Ok(iree_string_view_t::EMPTY);
        }
        Ok(value.sub(n, value.size - n))
    })
}

/// `value` without its last `n` characters: a view into the same
/// characters (the empty view when `n` covers them all).
#[no_mangle]
pub extern "C" fn iree_string_view_remove_suffix(
    value: iree_string_view_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        if n >= value.size {
            return Ok(iree_string_view_t::EMPTY);
        }
        Ok(value.sub(0, value.size - n))
    })
}

/// `value` without `prefix` when it starts with it: a view into the same
/// characters.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_strip_prefix(
    value: iree_string_view_t,
    prefix: iree_string_view_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        if unsafe { iree_string_view_starts_with(value, prefix) } {
            Ok(iree_string_view_remove_prefix(value, prefix.size))
        } else {
            Ok(value)
        }
    })
}

/// `value` without `suffix` when it ends with it: a view into the same
/// characters.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_strip_suffix(
    value: iree_string_view_t,
    suffix: iree_string_view_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        if unsafe { iree_string_view_ends_with(value, suffix) } {
            Ok(iree_string_view_remove_suffix(value, suffix.size))
        } else {
            Ok(value)
        }
    })
}

/// Drops `prefix` from the caller's `*value` when it starts with it (the
/// view still points into the same characters); false otherwise or for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_consume_prefix(
    value: *mut iree_string_view_t,
    prefix: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: `value` is NULL or a caller-owned view (API contract).
        let value = unsafe { arg!(value).in_out() }?;
        // SAFETY: forwarded contract.
        Ok(if unsafe { iree_string_view_starts_with(*value, prefix) } {
            *value = iree_string_view_remove_prefix(*value, prefix.size);
            true
        } else {
            false
        })
    })
}

/// Drops `suffix` from the caller's `*value` when it ends with it (the view
/// still points into the same characters); false otherwise or for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_consume_suffix(
    value: *mut iree_string_view_t,
    suffix: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: `value` is NULL or a caller-owned view (API contract).
        let value = unsafe { arg!(value).in_out() }?;
        // SAFETY: forwarded contract.
        Ok(if unsafe { iree_string_view_ends_with(*value, suffix) } {
            *value = iree_string_view_remove_suffix(*value, suffix.size);
            true
        } else {
            false
        })
    })
}

/// `value` without leading and trailing whitespace: a view into the same
/// characters.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_trim(value: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary(|| {
        if value.is_empty() {
            return Ok(value);
        }
        // SAFETY: views describe live characters (API contract).
        let (start, end) = string_view::trim_range(unsafe { value.as_bytes() });
        Ok(value.sub(start, end - start))
    })
}

/// The `n` characters of `value` from `pos`, clamped to the view (`n` =
/// SIZE_MAX takes the rest): a view into the same characters.
#[no_mangle]
pub extern "C" fn iree_string_view_substr(
    value: iree_string_view_t,
    pos: iree_host_size_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        let pos = pos.min(value.size);
        let n = n.min(value.size - pos);
        Ok(value.sub(pos, n))
    })
}

/// Splits at the first `split_char`; returns its index or -1 (then the whole
/// view is the left part). The caller's outputs (either may be NULL) get
/// views into `value`'s characters.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_split(
    value: iree_string_view_t,
    split_char: c_char,
    out_lhs: *mut iree_string_view_t,
    out_rhs: *mut iree_string_view_t,
) -> isize {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { value.as_bytes() };
        let (lhs, rhs, index) = if bytes.is_empty() {
            (iree_string_view_t::EMPTY, iree_string_view_t::EMPTY, -1)
        } else {
            match bytes.iter().position(|&b| b == split_char as u8) {
                None => (value, iree_string_view_t::EMPTY, -1),
                Some(i) => (
                    value.sub(0, i),
                    value.sub(i + 1, value.size - i - 1),
                    i as isize,
                ),
            }
        };
        // SAFETY: outputs are NULL or caller-owned views (API contract).
        unsafe {
            if let Some(out) = out_lhs.as_mut() {
                *out = lhs;
            }
            if let Some(out) = out_rhs.as_mut() {
                *out = rhs;
            }
        }
        Ok(index)
    })
}

/// Rewrites the caller's characters in place (the view must describe
/// writable memory, borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_replace_char(
    value: iree_string_view_t,
    old_char: c_char,
    new_char: c_char,
) {
    ffi_boundary(|| {
        if value.is_empty() {
            return Ok(());
        }
        // SAFETY: the caller promises the viewed characters are writable and
        // not otherwise borrowed during the call (API contract).
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(value.data.cast_mut().cast::<u8>(), value.size)
        };
        for b in bytes.iter_mut().filter(|b| **b == old_char as u8) {
            *b = new_char as u8;
        }
        Ok(())
    })
}

/// Whether `value` matches the `*`/`?` glob `pattern` (both borrowed for
/// the call).
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_match_pattern(
    value: iree_string_view_t,
    pattern: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        Ok(unsafe { string_view::match_pattern(value.as_bytes(), pattern.as_bytes()) })
    })
}

/// Copies the characters (no NUL) into `buffer` and points `target_value` at
/// the copy; returns the count. `buffer` and `*target_value` are the
/// caller's; NULL ones copy nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_append_to_buffer(
    source_value: iree_string_view_t,
    target_value: *mut iree_string_view_t,
    buffer: *mut c_char,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { source_value.as_bytes() };
        if buffer.is_null() || target_value.is_null() {
            return Ok(0);
        }
        // SAFETY: `buffer` has room for the characters and `target_value` is
        // a caller-owned view (API contract).
        unsafe {
            std::ptr::copy(bytes.as_ptr(), buffer.cast::<u8>(), bytes.len());
            *target_value = iree_string_view_t {
                data: buffer,
                size: bytes.len(),
            };
        }
        Ok(bytes.len())
    })
}

/// Parses `value` as a C integer literal into `out` when it fits the range.
unsafe fn parse_into<T: TryFrom<i128>>(value: iree_string_view_t, out: *mut T) -> bool {
    // SAFETY: views describe live characters (API contract).
    let bytes = unsafe { value.as_bytes() };
    let Some(parsed) = string_view::parse_c_integer(bytes) else {
        return false;
    };
    let Ok(v) = T::try_from(parsed) else {
        return false;
    };
    // SAFETY: `out` is NULL or caller-owned storage (API contract).
    match unsafe { out.as_mut() } {
        Some(slot) => {
            *slot = v;
            true
        }
        None => false,
    }
}

/// Integer parsing accepts C literal syntax (`12`, `-3`, `0x1F`, `017`) and
/// ignores trailing characters; out-of-range values and NULL outputs fail.
/// `value` is borrowed for the call; the result goes to the caller's
/// `*out_value`.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_int32(
    value: iree_string_view_t,
    out_value: *mut i32,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { parse_into(value, out_value) }))
}

/// As `iree_string_view_atoi_int32`, for `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_uint32(
    value: iree_string_view_t,
    out_value: *mut u32,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { parse_into(value, out_value) }))
}

/// As `iree_string_view_atoi_int32`, for `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_int64(
    value: iree_string_view_t,
    out_value: *mut i64,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { parse_into(value, out_value) }))
}

/// As `iree_string_view_atoi_int32`, for `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_uint64(
    value: iree_string_view_t,
    out_value: *mut u64,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { parse_into(value, out_value) }))
}

unsafe fn parse_float(value: iree_string_view_t) -> Option<f64> {
    // SAFETY: views describe live characters (API contract).
    string_view::parse_c_float(unsafe { value.as_bytes() })
}

/// Parses `value` (borrowed for the call) as a C float literal into the
/// caller's `*out_value`; false when it does not parse or for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atof(
    value: iree_string_view_t,
    out_value: *mut f32,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: forwarded contract; `out_value` is NULL or caller storage.
        Ok(match unsafe { (parse_float(value), out_value.as_mut()) } {
            (Some(v), Some(out)) => {
                *out = v as f32;
                true
            }
            _ => false,
        })
    })
}

/// As `iree_string_view_atof`, for `double`.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atod(
    value: iree_string_view_t,
    out_value: *mut f64,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: forwarded contract; `out_value` is NULL or caller storage.
        Ok(match unsafe { (parse_float(value), out_value.as_mut()) } {
            (Some(v), Some(out)) => {
                *out = v;
                true
            }
            _ => false,
        })
    })
}
