//! `iree/task/scope.h`: caller-owned scopes. A scope keeps the first failure
//! of its tasks (sticky until deinitialized) and counts outstanding fences;
//! it is idle when none are outstanding.

use std::ffi::c_char;
use std::sync::atomic::Ordering;

use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::base::internal::synchronization as sync;
use crate::base::time::TIME_INFINITE_PAST;
use crate::capi::base::time::iree_time_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::task::types::{iree_task_dispatch_statistics_t, iree_task_scope_t};
use crate::{Error, StatusCode};

/// Frees a status the task system owns.
pub fn free_status(status: iree_status_t) {
    // SAFETY: statuses stored by the task system came from this library
    // (closures return them through the API) and are owned by us here.
    drop(unsafe { status.into_result() });
}

/// Keeps `status` in `slot` unless a failure is already there (then
/// `status` is freed). OK statuses are ignored.
pub fn try_set_status(slot: &std::sync::atomic::AtomicIsize, status: iree_status_t) {
    if status.is_ok() {
        return;
    }
    if slot
        .compare_exchange(0, status.raw() as isize, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        free_status(status);
    }
}

/// Records `status` as the scope's failure (if it is the first).
///
/// # Safety
/// `scope` must be NULL or a live initialized scope.
pub unsafe fn fail(scope: *mut iree_task_scope_t, status: iree_status_t) {
    // SAFETY: forwarded contract.
    match unsafe { scope.as_ref() } {
        Some(scope) => try_set_status(&scope.permanent_status, status),
        None => free_status(status),
    }
}

/// Whether the scope holds a failure (false for NULL).
///
/// # Safety
/// As [`fail`].
pub unsafe fn has_failed(scope: *const iree_task_scope_t) -> bool {
    // SAFETY: forwarded contract.
    unsafe { scope.as_ref() }.is_some_and(|s| s.permanent_status.load(Ordering::SeqCst) != 0)
}

/// Counts one more outstanding submission.
///
/// # Safety
/// As [`fail`].
pub unsafe fn begin(scope: *const iree_task_scope_t) {
    // SAFETY: forwarded contract.
    if let Some(scope) = unsafe { scope.as_ref() } {
        sync::lock(&scope.mutex.value);
        scope.pending_submissions.fetch_add(1, Ordering::SeqCst);
        sync::unlock(&scope.mutex.value);
    }
}

/// Ends one outstanding submission, waking idle waiters on the last. The
/// post happens with the lock held and idle checks take the lock, so a
/// waiter cannot see the scope idle (and free it) before this is done with
/// the scope's memory.
///
/// # Safety
/// As [`fail`].
pub unsafe fn end(scope: *const iree_task_scope_t) {
    // SAFETY: forwarded contract.
    if let Some(scope) = unsafe { scope.as_ref() } {
        sync::lock(&scope.mutex.value);
        let previous = scope.pending_submissions.load(Ordering::SeqCst);
        let now = previous.saturating_sub(1);
        scope.pending_submissions.store(now, Ordering::SeqCst);
        if now == 0 {
            sync::notification_post(&scope.idle_notification.value, i32::MAX);
        }
        sync::unlock(&scope.mutex.value);
    }
}

fn is_idle(scope: &iree_task_scope_t) -> bool {
    sync::lock(&scope.mutex.value);
    let idle = scope.pending_submissions.load(Ordering::SeqCst) == 0;
    sync::unlock(&scope.mutex.value);
    idle
}

/// Initializes the caller's `*out_scope` named `name` (truncated to 15
/// characters), idle and without failure.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_initialize(
    name: iree_string_view_t,
    out_scope: *mut iree_task_scope_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one scope (API contract).
        let out = unsafe { arg!(out_scope).out() }?;
        // SAFETY: all-zero bytes are a valid idle scope.
        let scope = out.write(unsafe { std::mem::zeroed() });
        // SAFETY: a view of readable characters (API contract).
        let bytes = unsafe { name.try_as_bytes() }.unwrap_or_default();
        for (dst, &src) in scope.name.iter_mut().zip(bytes.iter().take(15)) {
            *dst = src as c_char;
        }
        sync::lock_init(&scope.mutex.value);
        sync::notification_init(&scope.idle_notification.value);
        Ok(())
    })
}

/// Releases the scope's kept failure. The scope must be idle: tasks still
/// referring to it would use freed memory once the caller reclaims it.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_deinitialize(scope: *mut iree_task_scope_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        let status = scope.permanent_status.swap(0, Ordering::SeqCst);
        free_status(iree_status_t(status as usize as *mut _));
        Ok(())
    })
}

/// The scope's name, borrowed from the scope.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_name(scope: *mut iree_task_scope_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        let len = scope
            .name
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(scope.name.len());
        Ok(iree_string_view_t {
            data: scope.name.as_ptr(),
            size: len,
        })
    })
}

/// Returns and resets the scope's dispatch statistics (none are kept yet).
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_consume_statistics(
    scope: *mut iree_task_scope_t,
) -> iree_task_dispatch_statistics_t {
    let _ = scope;
    iree_task_dispatch_statistics_t::default()
}

/// Whether a task of the scope failed (or the scope was aborted).
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_has_failed(scope: *mut iree_task_scope_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        Ok(scope.permanent_status.load(Ordering::SeqCst) != 0)
    })
}

/// Returns the scope's first failure (the caller owns it) and keeps a bare
/// status of the same code, so the failure stays sticky. OK when none.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_consume_status(
    scope: *mut iree_task_scope_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        let slot = &scope.permanent_status;
        let mut current = slot.load(Ordering::SeqCst);
        loop {
            if current == 0 {
                return Ok(iree_status_t::OK);
            }
            let status = iree_status_t(current as usize as *mut _);
            let sticky = iree_status_t::from_code(status.code()).raw() as isize;
            match slot.compare_exchange(current, sticky, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Ok(status),
                Err(seen) => current = seen,
            }
        }
    })
}

/// Fails the scope with ABORTED (unless it already failed).
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_abort(scope: *mut iree_task_scope_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        let status = Error::new(StatusCode::Aborted, "entire scope aborted by user");
        try_set_status(&scope.permanent_status, status.into());
        Ok(())
    })
}

/// Fails the scope with `status`, which the scope takes; dropped when the
/// scope already failed.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_fail(
    scope: *mut iree_task_scope_t,
    status: iree_status_t,
) {
    ffi_boundary(|| {
        if scope.is_null() {
            free_status(status);
        }
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        try_set_status(&scope.permanent_status, status);
        Ok(())
    })
}

/// Counts one more outstanding submission (what fence initialization does).
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_begin(scope: *mut iree_task_scope_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        unsafe { begin(arg!(scope).non_null_ptr()?) };
        Ok(())
    })
}

/// Ends one outstanding submission, waking idle waiters on the last.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_end(scope: *mut iree_task_scope_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        unsafe { end(arg!(scope).non_null_ptr()?) };
        Ok(())
    })
}

/// Whether no submission of the scope is outstanding.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_is_idle(scope: *mut iree_task_scope_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        Ok(is_idle(unsafe { arg!(scope).value() }?))
    })
}

/// Blocks until the scope is idle: OK, or DEADLINE_EXCEEDED once
/// `deadline_ns` passes (IREE_TIME_INFINITE_PAST polls). Task failures are
/// not reported here; see iree_task_scope_consume_status.
#[no_mangle]
pub unsafe extern "C" fn iree_task_scope_wait_idle(
    scope: *mut iree_task_scope_t,
    deadline_ns: iree_time_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live scope (API contract).
        let scope = unsafe { arg!(scope).value() }?;
        let idle = if deadline_ns == TIME_INFINITE_PAST {
            is_idle(scope)
        } else {
            sync::notification_await(
                &scope.idle_notification.value,
                || is_idle(scope),
                deadline_ns,
            )
        };
        if idle {
            Ok(iree_status_t::OK)
        } else {
            Ok(iree_status_t::from_code(StatusCode::DeadlineExceeded))
        }
    })
}
