//! Numeric helpers whose results must match the C runtime bit for bit.

use crate::{iree_err, Error};

pub(super) fn div_by_zero() -> Error {
    iree_err!(InvalidArgument, "integer division by zero")
}

/// C `lround`/`llround` on x86-64 glibc: round half away from zero; NaN and
/// out-of-range inputs produce the "integer indefinite" value `i64::MIN`.
/// Callers truncate to 32 bits where the C code casts the result.
pub(super) fn lround(x: f64) -> i64 {
    let r = x.round();
    if r.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&r) {
        i64::MIN
    } else {
        r as i64
    }
}

/// `vm.cast.f32.ui64`. The C runtime rounds in f32 (`roundf`) and converts
/// to `uint64_t`, which x86-64 compilers do exactly for [2^63, 2^64); below
/// that (negative values included) it is the signed conversion, and NaN,
/// infinities and values outside [-2^63, 2^64) give 2^63.
pub(super) fn cast_f32_to_ui64(x: f32) -> u64 {
    const TWO_63: f32 = (1u64 << 63) as f32;
    let r = x.round();
    if (TWO_63..2.0 * TWO_63).contains(&r) {
        r as u64
    } else {
        lround(x as f64) as u64
    }
}

/// `vm.cast.f64.si32` and `vm.cast.f64.ui32`: the C runtime narrows the
/// value to f32 (round to nearest even) and calls `lroundf`/`llroundf`,
/// keeping the low 32 bits. So 16777217.0 gives 16777216 and
/// 2147483647.0 gives -2147483648.
pub(super) fn cast_f64_to_i32(x: f64) -> u32 {
    lround((x as f32) as f64) as u32
}

/// `a * b + c` with an intermediate rounding, as the C runtime computes it
/// when the target has no fast fused multiply-add.
pub(super) fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    a * b + c
}

pub(super) fn fma_f64(a: f64, b: f64, c: f64) -> f64 {
    a * b + c
}

/// `fminf`/`fmaxf`: a NaN operand yields the other operand.
pub(super) fn min_f32(a: f32, b: f32) -> f32 {
    a.min(b)
}
pub(super) fn max_f32(a: f32, b: f32) -> f32 {
    a.max(b)
}
pub(super) fn min_f64(a: f64, b: f64) -> f64 {
    a.min(b)
}
pub(super) fn max_f64(a: f64, b: f64) -> f64 {
    a.max(b)
}

// The C runtime calls libm for these; calling the same functions keeps the
// results bit-identical (Rust's std has no `erf` or `remainder`).
extern "C" {
    fn erff(x: f32) -> f32;
    fn erf(x: f64) -> f64;
    fn remainderf(x: f32, y: f32) -> f32;
    fn remainder(x: f64, y: f64) -> f64;
}

/// IEEE 754 remainder (C `remainderf`), as upstream's `rem.f32`.
pub(super) fn remainder_f32(x: f32, y: f32) -> f32 {
    // SAFETY: pure libm function on plain values; no pointers involved.
    unsafe { remainderf(x, y) }
}

pub(super) fn remainder_f64(x: f64, y: f64) -> f64 {
    // SAFETY: pure libm function on plain values; no pointers involved.
    unsafe { remainder(x, y) }
}

pub(super) fn erf_f32(x: f32) -> f32 {
    // SAFETY: pure libm function on plain values; no pointers involved.
    unsafe { erff(x) }
}

pub(super) fn erf_f64(x: f64) -> f64 {
    // SAFETY: pure libm function on plain values; no pointers involved.
    unsafe { erf(x) }
}
