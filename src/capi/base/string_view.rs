//! `iree/base/string_view.h`: the exported string view operations.
//!
//! Views are borrowed: results always point into the caller's characters.
//! A view with NULL data is treated as empty whatever its size claims.

use std::ffi::c_char;

pub use crate::abi::string_view::{c_str_bytes, iree_host_size_t, iree_string_view_t};
use crate::base::string_view as core;

const NPOS: usize = usize::MAX;

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_equal(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        unsafe { lhs.as_bytes() == rhs.as_bytes() }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_compare(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
) -> i32 {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let (l, r) = unsafe { (lhs.as_bytes(), rhs.as_bytes()) };
        core::compare(l, r) as i32
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_char(
    value: iree_string_view_t,
    c: c_char,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { value.as_bytes() };
        core::find_first_of(bytes, &[c as u8], pos).unwrap_or(NPOS)
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_first_of(
    value: iree_string_view_t,
    s: iree_string_view_t,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let (bytes, set) = unsafe { (value.as_bytes(), s.as_bytes()) };
        core::find_first_of(bytes, set, pos).unwrap_or(NPOS)
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_find_last_of(
    value: iree_string_view_t,
    s: iree_string_view_t,
    pos: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let (bytes, set) = unsafe { (value.as_bytes(), s.as_bytes()) };
        core::find_last_of(bytes, set, pos).unwrap_or(NPOS)
    }
}

/// An empty prefix/suffix never matches (as upstream).
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_starts_with(
    value: iree_string_view_t,
    prefix: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let (bytes, p) = unsafe { (value.as_bytes(), prefix.as_bytes()) };
        !p.is_empty() && bytes.starts_with(p)
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_ends_with(
    value: iree_string_view_t,
    suffix: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let (bytes, s) = unsafe { (value.as_bytes(), suffix.as_bytes()) };
        !s.is_empty() && bytes.ends_with(s)
    }
}

/// Removing everything (or more) gives the empty view.
#[no_mangle]
pub extern "C" fn iree_string_view_remove_prefix(
    value: iree_string_view_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    if n >= value.size {
        return iree_string_view_t::EMPTY;
    }
    value.sub(n, value.size - n)
}

#[no_mangle]
pub extern "C" fn iree_string_view_remove_suffix(
    value: iree_string_view_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    if n >= value.size {
        return iree_string_view_t::EMPTY;
    }
    value.sub(0, value.size - n)
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_strip_prefix(
    value: iree_string_view_t,
    prefix: iree_string_view_t,
) -> iree_string_view_t {
    // SAFETY: forwarded contract.
    if unsafe { iree_string_view_starts_with(value, prefix) } {
        iree_string_view_remove_prefix(value, prefix.size)
    } else {
        value
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_strip_suffix(
    value: iree_string_view_t,
    suffix: iree_string_view_t,
) -> iree_string_view_t {
    // SAFETY: forwarded contract.
    if unsafe { iree_string_view_ends_with(value, suffix) } {
        iree_string_view_remove_suffix(value, suffix.size)
    } else {
        value
    }
}

/// NULL `value` gives false.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_consume_prefix(
    value: *mut iree_string_view_t,
    prefix: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: `value` is NULL or a caller-owned view (API contract).
        let Some(value) = (unsafe { value.as_mut() }) else { return false };
        // SAFETY: forwarded contract.
        if unsafe { iree_string_view_starts_with(*value, prefix) } {
            *value = iree_string_view_remove_prefix(*value, prefix.size);
            true
        } else {
            false
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_consume_suffix(
    value: *mut iree_string_view_t,
    suffix: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: `value` is NULL or a caller-owned view (API contract).
        let Some(value) = (unsafe { value.as_mut() }) else { return false };
        // SAFETY: forwarded contract.
        if unsafe { iree_string_view_ends_with(*value, suffix) } {
            *value = iree_string_view_remove_suffix(*value, suffix.size);
            true
        } else {
            false
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_trim(value: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary! {
        if value.is_empty() {
            return value;
        }
        // SAFETY: views describe live characters (API contract).
        let (start, end) = core::trim_range(unsafe { value.as_bytes() });
        value.sub(start, end - start)
    }
}

/// `pos` and `n` are clamped to the view (`n` = SIZE_MAX takes the rest).
#[no_mangle]
pub extern "C" fn iree_string_view_substr(
    value: iree_string_view_t,
    pos: iree_host_size_t,
    n: iree_host_size_t,
) -> iree_string_view_t {
    let pos = pos.min(value.size);
    let n = n.min(value.size - pos);
    value.sub(pos, n)
}

/// Splits at the first `split_char`; returns its index or -1 (then the whole
/// view is the left part). Either output may be NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_split(
    value: iree_string_view_t,
    split_char: c_char,
    out_lhs: *mut iree_string_view_t,
    out_rhs: *mut iree_string_view_t,
) -> isize {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { value.as_bytes() };
        let (lhs, rhs, index) = if bytes.is_empty() {
            (iree_string_view_t::EMPTY, iree_string_view_t::EMPTY, -1)
        } else {
            match bytes.iter().position(|&b| b == split_char as u8) {
                None => (value, iree_string_view_t::EMPTY, -1),
                Some(i) => (value.sub(0, i), value.sub(i + 1, value.size - i - 1), i as isize),
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
        index
    }
}

/// Rewrites the characters in place (the view must describe writable memory).
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_replace_char(
    value: iree_string_view_t,
    old_char: c_char,
    new_char: c_char,
) {
    ffi_boundary! {
        if value.is_empty() {
            return;
        }
        // SAFETY: the caller promises the viewed characters are writable and
        // not otherwise borrowed during the call (API contract).
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(value.data as *mut u8, value.size)
        };
        for b in bytes.iter_mut().filter(|b| **b == old_char as u8) {
            *b = new_char as u8;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_match_pattern(
    value: iree_string_view_t,
    pattern: iree_string_view_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        unsafe { core::match_pattern(value.as_bytes(), pattern.as_bytes()) }
    }
}

/// Copies the characters (no NUL) into `buffer` and points `target_value` at
/// the copy; returns the count. NULL `buffer`/`target_value` copy nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_append_to_buffer(
    source_value: iree_string_view_t,
    target_value: *mut iree_string_view_t,
    buffer: *mut c_char,
) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: views describe live characters (API contract).
        let bytes = unsafe { source_value.as_bytes() };
        if buffer.is_null() || target_value.is_null() {
            return 0;
        }
        // SAFETY: `buffer` has room for the characters and `target_value` is
        // a caller-owned view (API contract).
        unsafe {
            std::ptr::copy(bytes.as_ptr(), buffer as *mut u8, bytes.len());
            *target_value = iree_string_view_t { data: buffer, size: bytes.len() };
        }
        bytes.len()
    }
}

/// Parses `value` as a C integer literal into `out` when it fits the range.
unsafe fn parse_into<T: TryFrom<i128>>(value: iree_string_view_t, out: *mut T) -> bool {
    // SAFETY: views describe live characters (API contract).
    let bytes = unsafe { value.as_bytes() };
    let Some(parsed) = core::parse_c_integer(bytes) else {
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
#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_int32(
    value: iree_string_view_t,
    out_value: *mut i32,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary! { unsafe { parse_into(value, out_value) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_uint32(
    value: iree_string_view_t,
    out_value: *mut u32,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary! { unsafe { parse_into(value, out_value) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_int64(
    value: iree_string_view_t,
    out_value: *mut i64,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary! { unsafe { parse_into(value, out_value) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atoi_uint64(
    value: iree_string_view_t,
    out_value: *mut u64,
) -> bool {
    // SAFETY: forwarded contract.
    ffi_boundary! { unsafe { parse_into(value, out_value) } }
}

unsafe fn parse_float(value: iree_string_view_t) -> Option<f64> {
    // SAFETY: views describe live characters (API contract).
    core::parse_c_float(unsafe { value.as_bytes() })
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atof(
    value: iree_string_view_t,
    out_value: *mut f32,
) -> bool {
    ffi_boundary! {
        // SAFETY: forwarded contract; `out_value` is NULL or caller storage.
        match unsafe { (parse_float(value), out_value.as_mut()) } {
            (Some(v), Some(out)) => {
                *out = v as f32;
                true
            }
            _ => false,
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_view_atod(
    value: iree_string_view_t,
    out_value: *mut f64,
) -> bool {
    ffi_boundary! {
        // SAFETY: forwarded contract; `out_value` is NULL or caller storage.
        match unsafe { (parse_float(value), out_value.as_mut()) } {
            (Some(v), Some(out)) => {
                *out = v;
                true
            }
            _ => false,
        }
    }
}
