//! `iree/base/time.h`: the clock, timeout conversions and sleeping.

use crate::base::time::{self, Timeout};
use crate::capi::boundary::ffi_boundary;

/// Nanoseconds since the unix epoch (C typedef in `iree/abi/loop_types.h`).
/// cbindgen:ignore
pub type iree_time_t = i64;
/// Relative nanoseconds (C typedef in `iree/abi/loop_types.h`).
/// cbindgen:ignore
pub type iree_duration_t = i64;
/// The C enum `iree_timeout_type_t`.
/// cbindgen:ignore
pub type iree_timeout_type_t = u32;
/// cbindgen:ignore
pub const IREE_TIMEOUT_ABSOLUTE: iree_timeout_type_t = 0;
/// cbindgen:ignore
pub const IREE_TIMEOUT_RELATIVE: iree_timeout_type_t = 1;

/// Mirror of the C `iree_timeout_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct iree_timeout_t {
    pub type_: iree_timeout_type_t,
    pub nanos: iree_time_t,
}

impl From<iree_timeout_t> for Timeout {
    /// Like the C helpers, anything but ABSOLUTE counts as relative.
    fn from(t: iree_timeout_t) -> Timeout {
        if t.type_ == IREE_TIMEOUT_ABSOLUTE {
            Timeout::Absolute(t.nanos)
        } else {
            Timeout::Relative(t.nanos)
        }
    }
}

impl From<Timeout> for iree_timeout_t {
    fn from(t: Timeout) -> iree_timeout_t {
        match t {
            Timeout::Absolute(nanos) => iree_timeout_t {
                type_: IREE_TIMEOUT_ABSOLUTE,
                nanos,
            },
            Timeout::Relative(nanos) => iree_timeout_t {
                type_: IREE_TIMEOUT_RELATIVE,
                nanos,
            },
        }
    }
}

impl iree_timeout_t {
    pub fn as_deadline_ns(self) -> iree_time_t {
        Timeout::from(self).as_deadline_ns()
    }
}

/// The current time in unix nanoseconds (a plain value; nothing is owned).
#[no_mangle]
pub extern "C" fn iree_time_now() -> iree_time_t {
    ffi_boundary(|| Ok(time::now()))
}

/// Converts a relative timeout into an absolute deadline (plain values).
#[no_mangle]
pub extern "C" fn iree_relative_timeout_to_deadline_ns(timeout_ns: iree_duration_t) -> iree_time_t {
    ffi_boundary(|| Ok(time::relative_timeout_to_deadline_ns(timeout_ns)))
}

/// Nanoseconds left until a deadline (plain values).
#[no_mangle]
pub extern "C" fn iree_absolute_deadline_to_timeout_ns(
    deadline_ns: iree_time_t,
) -> iree_duration_t {
    ffi_boundary(|| Ok(time::absolute_deadline_to_timeout_ns(deadline_ns)))
}

/// Milliseconds left until a deadline, rounded up (plain values).
#[no_mangle]
pub extern "C" fn iree_absolute_deadline_to_timeout_ms(deadline_ns: iree_time_t) -> u32 {
    ffi_boundary(|| Ok(time::absolute_deadline_to_timeout_ms(deadline_ns)))
}

/// Sleeps the calling thread until a deadline; false if it could not (an
/// infinite deadline). Nothing is retained.
#[no_mangle]
pub extern "C" fn iree_wait_until(deadline_ns: iree_time_t) -> bool {
    ffi_boundary(|| Ok(time::wait_until(deadline_ns)))
}
