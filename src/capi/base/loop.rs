//! `iree/base/loop.h`: the loop interface (an object plus a control
//! function) and the functions that package each command for it.

use std::ffi::c_void;

use crate::base::r#loop::command;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::time::{iree_time_t, iree_timeout_t};
use crate::capi::base::wait_source::iree_wait_source_t;
use crate::capi::boundary::{ffi_boundary, null_argument};
use crate::capi::handle::arg;
use crate::{iree_bail, Result};

/// The C `iree_loop_command_t`.
/// cbindgen:ignore
pub type iree_loop_command_t = u32;
/// The C enum `iree_loop_priority_t`.
/// cbindgen:ignore
pub type iree_loop_priority_t = u32;

/// The C `iree_loop_callback_fn_t`.
/// cbindgen:ignore
pub type iree_loop_callback_fn_t =
    Option<unsafe extern "C" fn(*mut c_void, iree_loop_t, iree_status_t) -> iree_status_t>;
/// The C `iree_loop_workgroup_fn_t`.
/// cbindgen:ignore
pub type iree_loop_workgroup_fn_t =
    Option<unsafe extern "C" fn(*mut c_void, iree_loop_t, u32, u32, u32) -> iree_status_t>;
/// The C `iree_loop_ctl_fn_t`.
/// cbindgen:ignore
pub type iree_loop_ctl_fn_t = Option<
    unsafe extern "C" fn(
        *mut c_void,
        iree_loop_command_t,
        *const c_void,
        *mut *mut c_void,
    ) -> iree_status_t,
>;

/// Mirror of the C `iree_loop_t` (`self` is a keyword in Rust).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_t {
    pub self_: *mut c_void,
    pub ctl: iree_loop_ctl_fn_t,
}

impl iree_loop_t {
    /// A loop that accepts no work (passed to callbacks being aborted).
    pub fn null() -> iree_loop_t {
        iree_loop_t {
            self_: std::ptr::null_mut(),
            ctl: None,
        }
    }
}

/// Mirror of the C `iree_loop_callback_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_callback_t {
    pub fn_: iree_loop_callback_fn_t,
    pub user_data: *mut c_void,
}

impl iree_loop_callback_t {
    /// Issues the callback. A NULL function drops `status` and succeeds.
    ///
    /// # Safety
    /// The function pointer and user data must be what the enqueuer gave,
    /// still valid to call.
    pub unsafe fn call(self, loop_: iree_loop_t, status: iree_status_t) -> iree_status_t {
        match self.fn_ {
            // SAFETY: forwarded contract; the callee takes `status`.
            Some(f) => unsafe { f(self.user_data, loop_, status) },
            None => {
                // SAFETY: `status` is owned here and dropped once.
                drop(unsafe { status.into_result() });
                iree_status_t::OK
            }
        }
    }
}

/// Mirror of the C `iree_loop_call_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_call_params_t {
    pub callback: iree_loop_callback_t,
    pub priority: iree_loop_priority_t,
}

/// Mirror of the C `iree_loop_dispatch_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_dispatch_params_t {
    pub callback: iree_loop_callback_t,
    pub workgroup_fn: iree_loop_workgroup_fn_t,
    pub workgroup_count_xyz: [u32; 3],
}

/// Mirror of the C `iree_loop_wait_until_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_wait_until_params_t {
    pub callback: iree_loop_callback_t,
    pub deadline_ns: iree_time_t,
}

/// Mirror of the C `iree_loop_wait_one_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_loop_wait_one_params_t {
    pub callback: iree_loop_callback_t,
    pub deadline_ns: iree_time_t,
    pub wait_source: iree_wait_source_t,
}

/// Mirror of the C `iree_loop_wait_multi_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_wait_multi_params_t {
    pub callback: iree_loop_callback_t,
    pub deadline_ns: iree_time_t,
    pub count: usize,
    pub wait_sources: *mut iree_wait_source_t,
}

/// Mirror of the C `iree_loop_drain_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_drain_params_t {
    pub deadline_ns: iree_time_t,
}

/// Sends one command to a loop's control function.
///
/// # Safety
/// `params` must be the parameter struct `command` expects.
unsafe fn send<P>(loop_: iree_loop_t, command: iree_loop_command_t, params: &P) -> Result<()> {
    let Some(ctl) = loop_.ctl else {
        iree_bail!(InvalidArgument, "null loop");
    };
    let params = std::ptr::from_ref(params).cast::<c_void>();
    // SAFETY: forwarded contract; the loop's ctl was provided by its owner.
    unsafe { ctl(loop_.self_, command, params, std::ptr::null_mut()).into_result() }
}

/// The completion callback, which the C API requires.
fn callback(fn_: iree_loop_callback_fn_t, user_data: *mut c_void) -> Result<iree_loop_callback_t> {
    if fn_.is_none() {
        return Err(null_argument("callback"));
    }
    Ok(iree_loop_callback_t { fn_, user_data })
}

fn require_loop(loop_: iree_loop_t) -> Result<()> {
    if loop_.ctl.is_none() {
        iree_bail!(InvalidArgument, "null loop");
    }
    Ok(())
}

/// Runs `callback_fn(user_data, ...)` from the loop at some later point.
/// `user_data` is borrowed by the loop until the callback has run (or been
/// aborted); the loop value is copied.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_call(
    loop_: iree_loop_t,
    priority: iree_loop_priority_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        let params = iree_loop_call_params_t {
            callback: callback(callback_fn, user_data)?,
            priority,
        };
        // SAFETY: CALL takes iree_loop_call_params_t.
        unsafe { send(loop_, command::CALL, &params) }
    })
}

/// Runs `workgroup_callback` over the XYZ grid in `workgroup_count_xyz`
/// (three counts, copied) and then the completion callback; `user_data` is
/// borrowed by the loop until the completion callback has run.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_dispatch(
    loop_: iree_loop_t,
    workgroup_count_xyz: *const u32,
    workgroup_callback: iree_loop_workgroup_fn_t,
    completion_callback: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an array of three counts (API contract).
        let xyz = unsafe { arg!(workgroup_count_xyz).value() }?;
        if workgroup_callback.is_none() {
            return Err(null_argument("workgroup_callback"));
        }
        let completion = callback(completion_callback, user_data)?;
        // SAFETY: the caller passes an array of three counts.
        let xyz = unsafe { std::ptr::from_ref(xyz).cast::<[u32; 3]>().read() };
        let params = iree_loop_dispatch_params_t {
            callback: completion,
            workgroup_fn: workgroup_callback,
            workgroup_count_xyz: xyz,
        };
        // SAFETY: DISPATCH takes iree_loop_dispatch_params_t.
        unsafe { send(loop_, command::DISPATCH, &params) }
    })
}

/// Runs the callback once `timeout` has elapsed; `user_data` is borrowed by
/// the loop until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_until(
    loop_: iree_loop_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        require_loop(loop_)?;
        // Fix the deadline now: the loop may run the wait much later.
        let params = iree_loop_wait_until_params_t {
            callback: callback(callback_fn, user_data)?,
            deadline_ns: timeout.as_deadline_ns(),
        };
        // SAFETY: WAIT_UNTIL takes iree_loop_wait_until_params_t.
        unsafe { send(loop_, command::WAIT_UNTIL, &params) }
    })
}

/// Runs the callback once `wait_source` resolves or `timeout` elapses. The
/// loop borrows the source (its owner keeps it live) and `user_data` until
/// the callback has run.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_one(
    loop_: iree_loop_t,
    wait_source: iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        require_loop(loop_)?;
        let params = iree_loop_wait_one_params_t {
            callback: callback(callback_fn, user_data)?,
            deadline_ns: timeout.as_deadline_ns(),
            wait_source,
        };
        // SAFETY: WAIT_ONE takes iree_loop_wait_one_params_t.
        unsafe { send(loop_, command::WAIT_ONE, &params) }
    })
}

/// Shared body of wait-any and wait-all: zero sources is a call and one
/// source is a wait-one.
///
/// # Safety
/// `wait_sources` must hold `count` sources that stay live until the callback.
unsafe fn wait_multi(
    command: iree_loop_command_t,
    loop_: iree_loop_t,
    count: usize,
    wait_sources: *mut iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> Result<()> {
    require_loop(loop_)?;
    let callback = callback(callback_fn, user_data)?;
    if count > 0 && wait_sources.is_null() {
        iree_bail!(InvalidArgument, "wait_sources is NULL with count {count}");
    }
    match count {
        // SAFETY: forwarded contracts.
        0 => unsafe { iree_loop_call(loop_, 0, callback_fn, user_data).into_result() },
        // SAFETY: count == 1 so the first source is readable.
        1 => unsafe {
            iree_loop_wait_one(loop_, *wait_sources, timeout, callback_fn, user_data).into_result()
        },
        _ => {
            let params = iree_loop_wait_multi_params_t {
                callback,
                deadline_ns: timeout.as_deadline_ns(),
                count,
                wait_sources,
            };
            // SAFETY: WAIT_ANY/WAIT_ALL take iree_loop_wait_multi_params_t.
            unsafe { send(loop_, command, &params) }
        }
    }
}

/// Runs the callback once any of the `count` `wait_sources` resolves or
/// `timeout` elapses. The loop borrows the source array and `user_data`
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_any(
    loop_: iree_loop_t,
    count: usize,
    wait_sources: *mut iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe {
            wait_multi(
                command::WAIT_ANY,
                loop_,
                count,
                wait_sources,
                timeout,
                callback_fn,
                user_data,
            )
        }
    })
}

/// As `iree_loop_wait_any`, once all of the sources resolve.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_all(
    loop_: iree_loop_t,
    count: usize,
    wait_sources: *mut iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe {
            wait_multi(
                command::WAIT_ALL,
                loop_,
                count,
                wait_sources,
                timeout,
                callback_fn,
                user_data,
            )
        }
    })
}

/// Blocks until the loop is idle or `timeout` elapses; nothing is retained.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_drain(
    loop_: iree_loop_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let params = iree_loop_drain_params_t {
            deadline_ns: timeout.as_deadline_ns(),
        };
        // SAFETY: DRAIN takes iree_loop_drain_params_t.
        unsafe { send(loop_, command::DRAIN, &params) }
    })
}

/// One queued loop operation, copied out of its C parameters.
#[derive(Clone, Copy)]
pub enum LoopOp {
    Call(iree_loop_call_params_t),
    Dispatch(iree_loop_dispatch_params_t),
    WaitUntil(iree_loop_wait_until_params_t),
    WaitOne(iree_loop_wait_one_params_t),
    WaitAny(iree_loop_wait_multi_params_t),
    WaitAll(iree_loop_wait_multi_params_t),
}

impl LoopOp {
    /// Copies the parameters of a queueable command; `Ok(None)` for DRAIN.
    ///
    /// # Safety
    /// `params` must be NULL or point to the struct `command` expects.
    pub unsafe fn read(
        command: iree_loop_command_t,
        params: *const c_void,
    ) -> crate::Result<Option<LoopOp>> {
        if command == command::DRAIN {
            return Ok(None);
        }
        crate::iree_ensure!(
            !params.is_null(),
            InvalidArgument,
            "loop command {command} has NULL params"
        );
        // SAFETY: per the contract `params` matches `command`.
        let op = unsafe {
            match command {
                command::CALL => LoopOp::Call(*params.cast::<iree_loop_call_params_t>()),
                command::DISPATCH => {
                    LoopOp::Dispatch(*params.cast::<iree_loop_dispatch_params_t>())
                }
                command::WAIT_UNTIL => {
                    LoopOp::WaitUntil(*params.cast::<iree_loop_wait_until_params_t>())
                }
                command::WAIT_ONE => LoopOp::WaitOne(*params.cast::<iree_loop_wait_one_params_t>()),
                command::WAIT_ANY => {
                    LoopOp::WaitAny(*params.cast::<iree_loop_wait_multi_params_t>())
                }
                command::WAIT_ALL => {
                    LoopOp::WaitAll(*params.cast::<iree_loop_wait_multi_params_t>())
                }
                other => crate::iree_bail!(Unimplemented, "unimplemented loop command {other}"),
            }
        };
        Ok(Some(op))
    }

    /// The completion callback of the operation.
    pub fn callback(&self) -> iree_loop_callback_t {
        match self {
            LoopOp::Call(p) => p.callback,
            LoopOp::Dispatch(p) => p.callback,
            LoopOp::WaitUntil(p) => p.callback,
            LoopOp::WaitOne(p) => p.callback,
            LoopOp::WaitAny(p) | LoopOp::WaitAll(p) => p.callback,
        }
    }
}

/// Runs every workgroup of a dispatch on the calling thread, stopping at the
/// first failure, and returns that failure (or OK) for the completion.
///
/// # Safety
/// The dispatch's callbacks must be valid to call with its user data.
pub unsafe fn run_workgroups(
    loop_: iree_loop_t,
    params: &iree_loop_dispatch_params_t,
) -> iree_status_t {
    let Some(workgroup_fn) = params.workgroup_fn else {
        return crate::iree_err!(InvalidArgument, "dispatch has no workgroup function").into();
    };
    let [nx, ny, nz] = params.workgroup_count_xyz;
    for z in 0..nz {
        for y in 0..ny {
            for x in 0..nx {
                // SAFETY: forwarded contract.
                let status = unsafe { workgroup_fn(params.callback.user_data, loop_, x, y, z) };
                if !status.is_ok() {
                    return status;
                }
            }
        }
    }
    iree_status_t::OK
}
