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

/// Sets `out_mutex` to unlocked.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_initialize(out_mutex: *mut iree_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is the caller's mutex storage (API contract).
        if let Some(m) = unsafe { out_mutex.as_ref() } {
            sync::lock_init(&m.value);
        }
    }
}

/// Nothing to release: the mutex is only its word.
#[no_mangle]
pub extern "C" fn iree_mutex_deinitialize(mutex: *mut iree_mutex_t) {
    let _ = mutex;
}

/// Blocks until the caller holds `mutex`.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_lock(mutex: *mut iree_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        if let Some(m) = unsafe { mutex.as_ref() } {
            sync::lock(&m.value);
        }
    }
}

/// Takes `mutex` if free; true when the caller now holds it.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_try_lock(mutex: *mut iree_mutex_t) -> bool {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        match unsafe { mutex.as_ref() } {
            Some(m) => sync::lock_try(&m.value),
            None => false,
        }
    }
}

/// Releases `mutex`, which the caller holds.
#[no_mangle]
pub unsafe extern "C" fn iree_mutex_unlock(mutex: *mut iree_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        if let Some(m) = unsafe { mutex.as_ref() } {
            sync::unlock(&m.value);
        }
    }
}

//===----------------------------------------------------------------------===//
// iree_slim_mutex_t
//===----------------------------------------------------------------------===//

/// Sets `out_mutex` to unlocked.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_initialize(out_mutex: *mut iree_slim_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is the caller's mutex storage (API contract).
        if let Some(m) = unsafe { out_mutex.as_ref() } {
            sync::lock_init(&m.value);
        }
    }
}

/// Nothing to release: the mutex is only its word.
#[no_mangle]
pub extern "C" fn iree_slim_mutex_deinitialize(mutex: *mut iree_slim_mutex_t) {
    let _ = mutex;
}

/// Blocks until the caller holds `mutex`.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_lock(mutex: *mut iree_slim_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        if let Some(m) = unsafe { mutex.as_ref() } {
            sync::lock(&m.value);
        }
    }
}

/// Takes `mutex` if free; true when the caller now holds it.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_try_lock(mutex: *mut iree_slim_mutex_t) -> bool {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        match unsafe { mutex.as_ref() } {
            Some(m) => sync::lock_try(&m.value),
            None => false,
        }
    }
}

/// Releases `mutex`, which the caller holds.
#[no_mangle]
pub unsafe extern "C" fn iree_slim_mutex_unlock(mutex: *mut iree_slim_mutex_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized mutex (API contract).
        if let Some(m) = unsafe { mutex.as_ref() } {
            sync::unlock(&m.value);
        }
    }
}

//===----------------------------------------------------------------------===//
// iree_notification_t
//===----------------------------------------------------------------------===//

/// Borrows a notification; `None` for NULL.
///
/// # Safety
/// A non-null pointer must be an initialized notification live for `'a`.
unsafe fn notification<'a>(ptr: *mut iree_notification_t) -> Option<&'a iree_notification_t> {
    // SAFETY: forwarded contract.
    unsafe { ptr.as_ref() }
}

/// Sets `out_notification` to no waiters, epoch 0.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_initialize(out_notification: *mut iree_notification_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is the caller's storage (API contract).
        if let Some(n) = unsafe { notification(out_notification) } {
            sync::notification_init(&n.value);
        }
    }
}

/// Nothing to release: the notification is only its word.
#[no_mangle]
pub extern "C" fn iree_notification_deinitialize(notification: *mut iree_notification_t) {
    let _ = notification;
}

/// Wakes up to `count` waiters (`IREE_ALL_WAITERS` for all).
#[no_mangle]
pub unsafe extern "C" fn iree_notification_post(
    notification_ptr: *mut iree_notification_t,
    count: i32,
) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        if let Some(n) = unsafe { notification(notification_ptr) } {
            sync::notification_post(&n.value, count);
        }
    }
}

/// Registers the caller as a waiter; returns the token for commit_wait.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_prepare_wait(
    notification_ptr: *mut iree_notification_t,
) -> iree_wait_token_t {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        match unsafe { notification(notification_ptr) } {
            Some(n) => sync::notification_prepare_wait(&n.value),
            None => 0,
        }
    }
}

/// Sleeps until a post after `wait_token` was taken (true) or the deadline
/// (false).
#[no_mangle]
pub unsafe extern "C" fn iree_notification_commit_wait(
    notification_ptr: *mut iree_notification_t,
    wait_token: iree_wait_token_t,
    deadline_ns: iree_time_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        match unsafe { notification(notification_ptr) } {
            Some(n) => sync::notification_commit_wait(&n.value, wait_token, deadline_ns),
            None => false,
        }
    }
}

/// Withdraws a prepared wait without sleeping.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_cancel_wait(notification_ptr: *mut iree_notification_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        if let Some(n) = unsafe { notification(notification_ptr) } {
            sync::notification_cancel_wait(&n.value);
        }
    }
}

/// Waits until `condition_fn(condition_arg)` is true or the timeout expires;
/// returns whether the condition held. NULL arguments report false.
#[no_mangle]
pub unsafe extern "C" fn iree_notification_await(
    notification_ptr: *mut iree_notification_t,
    condition_fn: iree_condition_fn_t,
    condition_arg: *mut c_void,
    timeout: iree_timeout_t,
) -> bool {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized notification (API contract).
        let Some(n) = (unsafe { notification(notification_ptr) }) else {
            return false;
        };
        let Some(condition_fn) = condition_fn else {
            return false;
        };
        let deadline_ns = timeout.as_deadline_ns();
        // SAFETY: the caller supplies a condition callable with its argument.
        let condition = || unsafe { condition_fn(condition_arg) };
        sync::notification_await(&n.value, condition, deadline_ns)
    }
}

//===----------------------------------------------------------------------===//
// iree_call_once (call_once.h)
//===----------------------------------------------------------------------===//

/// Calls `func` the first time any thread calls this with `flag`; other
/// callers return once that call has finished. NULL arguments do nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_call_once(
    flag: *mut iree_once_flag,
    func: Option<unsafe extern "C" fn()>,
) {
    ffi_boundary! {
        // SAFETY: a non-null flag is the caller's IREE_ONCE_FLAG_INIT word.
        let Some(flag) = (unsafe { flag.as_ref() }) else {
            return;
        };
        let Some(func) = func else {
            return;
        };
        // SAFETY: the caller supplies a callable initializer.
        call_once::call_once(flag, || unsafe { func() });
    }
}
