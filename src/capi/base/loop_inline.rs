//! `iree/base/loop_inline.h`: a loop that runs each operation on the
//! caller's stack as it is issued. Work enqueued from callbacks goes into a
//! small bounded queue drained before the top-level call returns; the first
//! error is stored in the caller's status and aborts everything pending.

use std::cell::RefCell;
use std::ffi::c_void;

use crate::base::loop_inline::{INLINE_QUEUE_LIMIT, INLINE_STORAGE_SIZE};
use crate::base::r#loop::BoundedQueue;
use crate::base::status::{Error, StatusCode};
use crate::base::time;
use crate::capi::base::r#loop::{iree_loop_command_t, iree_loop_t, run_workgroups, LoopOp};
use crate::capi::base::status::iree_status_t;
use crate::capi::base::wait_source::{self, iree_wait_source_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::{iree_bail, Result};

/// Mirror of the C `iree_loop_inline_storage_t`.
/// cbindgen:ignore
#[repr(C, align(16))]
pub struct iree_loop_inline_storage_t {
    pub opaque: [u8; INLINE_STORAGE_SIZE],
    pub status: iree_status_t,
}

/// One top-level execution: its queue and where errors go.
struct InlineRun {
    queue: RefCell<BoundedQueue<LoopOp>>,
    status_ptr: *mut iree_status_t,
}

impl InlineRun {
    /// The loop handed to callbacks: enqueues into this run.
    fn reentrant_loop(&self) -> iree_loop_t {
        iree_loop_t {
            self_: std::ptr::from_ref(self).cast_mut().cast(),
            ctl: Some(inline_reentrant_ctl),
        }
    }

    fn pop(&self) -> Option<LoopOp> {
        self.queue.borrow_mut().pop()
    }

    /// Whether an earlier error is already recorded.
    ///
    /// # Safety
    /// `status_ptr` must be NULL or readable.
    unsafe fn has_failed(&self) -> bool {
        // SAFETY: forwarded contract.
        unsafe { self.status_ptr.as_ref() }.is_some_and(|s| !s.is_ok())
    }

    /// Records the first error (later ones are dropped) and aborts the rest.
    ///
    /// # Safety
    /// `status_ptr` must be NULL or writable; `status` is owned.
    unsafe fn emit_error(&self, status: iree_status_t) {
        // SAFETY: forwarded contract.
        match unsafe { self.status_ptr.as_mut() } {
            Some(slot) if slot.is_ok() => *slot = status,
            // SAFETY: `status` is owned here and freed once.
            _ => drop(unsafe { status.into_result() }),
        }
        // SAFETY: forwarded contract.
        unsafe { self.abort_all() };
    }

    /// Issues every pending callback with ABORTED and a null loop.
    ///
    /// # Safety
    /// The queued callbacks must be valid to call.
    unsafe fn abort_all(&self) {
        while let Some(op) = self.pop() {
            let aborted: iree_status_t = Error::from_code(StatusCode::Aborted).into();
            // SAFETY: forwarded contract; the result is owned and dropped.
            let result = unsafe { op.callback().call(iree_loop_t::null(), aborted) };
            // SAFETY: as above.
            drop(unsafe { result.into_result() });
        }
    }

    /// Runs one operation to completion on this thread.
    ///
    /// # Safety
    /// The operation's callbacks and wait sources must be valid.
    unsafe fn run(&self, op: LoopOp) {
        let loop_ = self.reentrant_loop();
        // SAFETY (whole match): forwarded contract; statuses are owned.
        let outcome: iree_status_t = unsafe {
            match op {
                LoopOp::Call(p) => p.callback.call(loop_, iree_status_t::OK),
                LoopOp::Dispatch(p) => {
                    let workgroups = run_workgroups(loop_, &p);
                    p.callback.call(loop_, workgroups)
                }
                LoopOp::WaitUntil(p) => {
                    let waited: iree_status_t = if time::wait_until(p.deadline_ns) {
                        iree_status_t::OK
                    } else {
                        crate::iree_err!(
                            Aborted,
                            "sleep until {} could not complete",
                            p.deadline_ns
                        )
                        .into()
                    };
                    p.callback.call(loop_, waited)
                }
                LoopOp::WaitOne(p) => {
                    let waited = wait_source::wait_one(p.wait_source, p.deadline_ns).into();
                    p.callback.call(loop_, waited)
                }
                LoopOp::WaitAny(p) => {
                    let waited = wait_source::wait_any_sources(
                        sources(p.wait_sources, p.count),
                        p.deadline_ns,
                    )
                    .into();
                    p.callback.call(loop_, waited)
                }
                LoopOp::WaitAll(p) => {
                    let waited = wait_source::wait_all_sources(
                        sources(p.wait_sources, p.count),
                        p.deadline_ns,
                    )
                    .into();
                    p.callback.call(loop_, waited)
                }
            }
        };
        if !outcome.is_ok() {
            // SAFETY: forwarded contract.
            unsafe { self.emit_error(outcome) };
        }
    }
}

/// Views the caller's wait source array.
///
/// # Safety
/// `ptr` must hold `count` sources (it is checked non-NULL when count > 0 by
/// iree_loop_wait_any/all) that outlive the returned slice.
unsafe fn sources<'a>(ptr: *const iree_wait_source_t, count: usize) -> &'a [iree_wait_source_t] {
    if ptr.is_null() || count == 0 {
        return &[];
    }
    // SAFETY: forwarded contract.
    unsafe { std::slice::from_raw_parts(ptr, count) }
}

/// Enqueues work issued from inside a callback of a running inline loop.
unsafe extern "C" fn inline_reentrant_ctl(
    self_: *mut c_void,
    command: iree_loop_command_t,
    params: *const c_void,
    _inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: this ctl is only handed out with `self_` pointing at the
        // live InlineRun on the stack of the running top-level call.
        let Some(run) = (unsafe { self_.cast::<InlineRun>().as_ref() }) else {
            iree_bail!(InvalidArgument, "inline loop state is NULL");
        };
        // SAFETY: the caller passes the params struct for `command`.
        match unsafe { LoopOp::read(command, params) }? {
            // Draining from inside is a no-op: the top-level call drains.
            None => Ok(()),
            Some(op) => run.queue.borrow_mut().push(op),
        }
    })
}

/// Runs one top-level command and everything it enqueues.
///
/// # Safety
/// `status_ptr` must be NULL or a valid status slot; `params` must match
/// `command`.
unsafe fn run_top_level(
    status_ptr: *mut iree_status_t,
    command: iree_loop_command_t,
    params: *const c_void,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let Some(op) = (unsafe { LoopOp::read(command, params) })? else {
        // Nothing is ever left pending between calls, so a drain is done.
        return Ok(());
    };
    let run = InlineRun {
        queue: RefCell::new(BoundedQueue::new(INLINE_QUEUE_LIMIT)),
        status_ptr,
    };
    run.queue.borrow_mut().push(op)?;
    // SAFETY (below): forwarded contract.
    if unsafe { run.has_failed() } {
        // A recorded error makes the loop sticky-failed: abort new work.
        unsafe { run.abort_all() };
        return Ok(());
    }
    while let Some(op) = run.pop() {
        // SAFETY: forwarded contract.
        unsafe { run.run(op) };
    }
    Ok(())
}

/// Control function of `iree_loop_inline(&status)`: `self_` is the
/// caller's status slot (or NULL to drop errors), borrowed for the call;
/// the first error of the run is stored there and owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_inline_ctl(
    self_: *mut c_void,
    command: iree_loop_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        let _ = inout_ptr;
        // SAFETY: `self_` is the caller's status slot (or NULL to drop errors).
        unsafe { run_top_level(self_.cast(), command, params) }
    })
}

/// Control function of `iree_loop_inline_initialize(&storage)`: `self_` is
/// the caller's storage, borrowed for the call; errors land in
/// `storage->status`, owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_inline_using_storage_ctl(
    self_: *mut c_void,
    command: iree_loop_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        let _ = inout_ptr;
        let storage = self_.cast::<iree_loop_inline_storage_t>();
        // SAFETY: NULL or the caller's live storage (API contract).
        let storage = unsafe { arg!(storage).in_out() }?;
        // The queue lives on this stack frame; only the status slot of the
        // storage is used.
        // SAFETY: forwarded contract.
        unsafe { run_top_level(&mut storage.status, command, params) }
    })
}
