//! `iree/base/internal/synchronization.h`: mutexes and notifications whose
//! storage belongs to C (layouts in `iree/abi/threading_types.h`).
//!
//! Each export borrows the caller's struct as the atomic word inside it and
//! runs the core algorithm on it. NULL objects are ignored (or report
//! failure where the function returns something).

use std::ffi::c_void;

use crate::base::internal::call_once;
use crate::base::internal::synchronization as sync;
use crate::capi::base::time::{iree_time_t, iree_timeout_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;

pub use abi::*;

/// Rust mirrors of the hand-written C layouts; cbindgen leaves them to
/// `iree/abi/threading_types.h` .
/// cbindgen:ignore
pub mod abi {
    use std::ffi::c_void;
    use std::sync::atomic::{AtomicI32, AtomicI64};

    /// `iree_mutex_t`: one futex lock word.
    #[repr(C)]
    #[derive(Default)]
    pub struct iree_mutex_t {
        pub value: AtomicI32,
    }

    /// `iree_slim_mutex_t`: one futex lock word.
    #[repr(C)]
    #[derive(Default)]
    pub struct iree_slim_mutex_t {
        pub value: AtomicI32,
    }

    /// `iree_notification_t`: waiter count (low half) and epoch (high half).
    #[repr(C)]
    #[derive(Default)]
    pub struct iree_notification_t {
        pub value: AtomicI64,
    }

    /// `iree_once_flag`: the call_once state word.
    pub type iree_once_flag = AtomicI32;

    /// `iree_wait_token_t`.
    pub type iree_wait_token_t = u32;

    /// `iree_condition_fn_t`.
    pub type iree_condition_fn_t = Option<unsafe extern "C" fn(arg: *mut c_void) -> bool>;

    const _: () = assert!(std::mem::size_of::<iree_mutex_t>() == 4);
    const _: () = assert!(std::mem::size_of::<iree_slim_mutex_t>() == 4);
    const _: () = assert!(std::mem::size_of::<iree_notification_t>() == 8);
    const _: () = assert!(std::mem::align_of::<iree_notification_t>() == 8);
}

//===----------------------------------------------------------------------===//
// iree_mutex_t
//===----------------------------------------------------------------------===//

/// Sets the caller-owned `*out_mutex` to unlocked. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_initialize(out_mutex: *mut iree_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let m = unsafe { arg!(out_mutex).value() }?;
        sync::lock_init(&m.value);
        Ok(())
    })
}

/// Nothing to release: the mutex is only its word (the caller owns it).
#[no_mangle]
pub extern "C" fn iree_mutex_deinitialize(mutex: *mut iree_mutex_t) {
    ffi_boundary(|| {
        let _ = mutex;
        Ok(())
    })
}

/// Blocks until the caller holds `mutex` (caller storage). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_lock(mutex: *mut iree_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        sync::lock(&m.value);
        Ok(())
    })
}

/// Takes `mutex` (caller storage) if free; true when the caller now holds
/// it, false otherwise or for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_try_lock(mutex: *mut iree_mutex_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        Ok(sync::lock_try(&m.value))
    })
}

/// Releases `mutex` (caller storage), which the caller holds. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_unlock(mutex: *mut iree_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        sync::unlock(&m.value);
        Ok(())
    })
}

//===----------------------------------------------------------------------===//
// iree_slim_mutex_t
//===----------------------------------------------------------------------===//

/// Sets the caller-owned `*out_mutex` to unlocked. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_initialize(out_mutex: *mut iree_slim_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let m = unsafe { arg!(out_mutex).value() }?;
        sync::lock_init(&m.value);
        Ok(())
    })
}

/// Nothing to release: the mutex is only its word (the caller owns it).
#[no_mangle]
pub extern "C" fn iree_slim_mutex_deinitialize(mutex: *mut iree_slim_mutex_t) {
    ffi_boundary(|| {
        let _ = mutex;
        Ok(())
    })
}

/// Blocks until the caller holds `mutex` (caller storage). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_lock(mutex: *mut iree_slim_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        sync::lock(&m.value);
        Ok(())
    })
}

/// Takes `mutex` (caller storage) if free; true when the caller now holds
/// it, false otherwise or for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_try_lock(mutex: *mut iree_slim_mutex_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        Ok(sync::lock_try(&m.value))
    })
}

/// Releases `mutex` (caller storage), which the caller holds. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_unlock(mutex: *mut iree_slim_mutex_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let m = unsafe { arg!(mutex).value() }?;
        sync::unlock(&m.value);
        Ok(())
    })
}

//===----------------------------------------------------------------------===//
// iree_notification_t
//===----------------------------------------------------------------------===//

/// Sets the caller-owned `*out_notification` to no waiters, epoch 0. NULL
/// is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_initialize(out_notification: *mut iree_notification_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let n = unsafe { arg!(out_notification).value() }?;
        sync::notification_init(&n.value);
        Ok(())
    })
}

/// Nothing to release: the notification is only its word (the caller owns
/// it).
#[no_mangle]
pub extern "C" fn iree_notification_deinitialize(notification: *mut iree_notification_t) {
    ffi_boundary(|| {
        let _ = notification;
        Ok(())
    })
}

/// Wakes up to `count` waiters (`IREE_ALL_WAITERS` for all) of the
/// caller's notification. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_post(
    notification_ptr: *mut iree_notification_t,
    count: i32,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let n = unsafe { arg!(notification_ptr).value() }?;
        sync::notification_post(&n.value, count);
        Ok(())
    })
}

/// Registers the caller as a waiter of the caller's notification; returns
/// the token for commit_wait (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_notification_prepare_wait(
    notification_ptr: *mut iree_notification_t,
) -> iree_wait_token_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let n = unsafe { arg!(notification_ptr).value() }?;
        Ok(sync::notification_prepare_wait(&n.value))
    })
}

/// Sleeps until a post after `wait_token` was taken (true) or the deadline
/// (false).
#[no_mangle]
pub unsafe extern "C" fn iree_notification_commit_wait(
    notification_ptr: *mut iree_notification_t,
    wait_token: iree_wait_token_t,
    deadline_ns: iree_time_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let n = unsafe { arg!(notification_ptr).value() }?;
        Ok(sync::notification_commit_wait(
            &n.value,
            wait_token,
            deadline_ns,
        ))
    })
}

/// Withdraws a prepared wait without sleeping. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_cancel_wait(notification_ptr: *mut iree_notification_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized object (API contract).
        let n = unsafe { arg!(notification_ptr).value() }?;
        sync::notification_cancel_wait(&n.value);
        Ok(())
    })
}

/// Waits until `condition_fn(condition_arg)` is true or the timeout expires;
/// returns whether the condition held. `condition_arg` is borrowed for the
/// call. NULL arguments report false.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_await(
    notification_ptr: *mut iree_notification_t,
    condition_fn: iree_condition_fn_t,
    condition_arg: *mut c_void,
    timeout: iree_timeout_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        let n = unsafe { arg!(notification_ptr).value() }?;
        let Some(condition_fn) = condition_fn else {
            return Ok(false);
        };
        let deadline_ns = timeout.as_deadline_ns();
        // SAFETY: the caller supplies a condition callable with its argument.
        let condition = || unsafe { condition_fn(condition_arg) };
        Ok(sync::notification_await(&n.value, condition, deadline_ns))
    })
}

//===----------------------------------------------------------------------===//
// iree_call_once (call_once.h)
//===----------------------------------------------------------------------===//

/// Calls `func` the first time any thread calls this with `flag`; other
/// callers return once that call has finished. `flag` is the caller's
/// static word. NULL arguments do nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_call_once(
    flag: *mut iree_once_flag,
    func: Option<unsafe extern "C" fn()>,
) {
    ffi_boundary(|| {
        // SAFETY: a non-null flag is the caller's IREE_ONCE_FLAG_INIT word.
        let flag = unsafe { arg!(flag).value() }?;
        let Some(func) = func else {
            return Ok(());
        };
        // SAFETY: the caller supplies a callable initializer.
        call_once::call_once(flag, || unsafe { func() });
        Ok(())
    })
}
