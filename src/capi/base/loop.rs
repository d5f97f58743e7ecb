//! `iree/base/loop.h`: the loop interface (an object plus a control
//! function) and the functions that package each command for it.

use std::ffi::c_void;

use crate::base::r#loop::command;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::time::{iree_time_t, iree_timeout_t};
use crate::capi::base::wait_source::iree_wait_source_t;

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
/// `params` must point to the parameter struct `command` expects.
unsafe fn send(
    loop_: iree_loop_t,
    command: iree_loop_command_t,
    params: *const c_void,
) -> iree_status_t {
    let Some(ctl) = loop_.ctl else {
        return crate::iree_err!(InvalidArgument, "null loop").into();
    };
    // SAFETY: forwarded contract; the loop's ctl was provided by its owner.
    unsafe { ctl(loop_.self_, command, params, std::ptr::null_mut()) }
}

fn callback(fn_: iree_loop_callback_fn_t, user_data: *mut c_void) -> iree_loop_callback_t {
    iree_loop_callback_t { fn_, user_data }
}

/// Runs `callback` from the loop at some later point.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_call(
    loop_: iree_loop_t,
    priority: iree_loop_priority_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if callback_fn.is_none() {
            return crate::iree_err!(InvalidArgument, "callback is NULL").into();
        }
        let params = iree_loop_call_params_t { callback: callback(callback_fn, user_data), priority };
        // SAFETY: CALL takes iree_loop_call_params_t.
        unsafe { send(loop_, command::CALL, &params as *const _ as *const c_void) }
    }
}

/// Runs `workgroup_callback` over an XYZ grid and then the completion callback.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_dispatch(
    loop_: iree_loop_t,
    workgroup_count_xyz: *const u32,
    workgroup_callback: iree_loop_workgroup_fn_t,
    completion_callback: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if workgroup_count_xyz.is_null() || workgroup_callback.is_none() || completion_callback.is_none() {
            return crate::iree_err!(InvalidArgument, "dispatch needs a grid and both callbacks").into();
        }
        // SAFETY: the caller passes an array of three counts (checked non-NULL).
        let xyz = unsafe { std::ptr::read(workgroup_count_xyz as *const [u32; 3]) };
        let params = iree_loop_dispatch_params_t {
            callback: callback(completion_callback, user_data),
            workgroup_fn: workgroup_callback,
            workgroup_count_xyz: xyz,
        };
        // SAFETY: DISPATCH takes iree_loop_dispatch_params_t.
        unsafe { send(loop_, command::DISPATCH, &params as *const _ as *const c_void) }
    }
}

/// Runs `callback` once `timeout` has elapsed.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_until(
    loop_: iree_loop_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if loop_.ctl.is_none() {
            return crate::iree_err!(InvalidArgument, "null loop").into();
        }
        if callback_fn.is_none() {
            return crate::iree_err!(InvalidArgument, "callback is NULL").into();
        }
        // Fix the deadline now: the loop may run the wait much later.
        let params = iree_loop_wait_until_params_t {
            callback: callback(callback_fn, user_data),
            deadline_ns: timeout.as_deadline_ns(),
        };
        // SAFETY: WAIT_UNTIL takes iree_loop_wait_until_params_t.
        unsafe { send(loop_, command::WAIT_UNTIL, &params as *const _ as *const c_void) }
    }
}

/// Runs `callback` once `wait_source` resolves or `timeout` elapses.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_one(
    loop_: iree_loop_t,
    wait_source: iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if loop_.ctl.is_none() {
            return crate::iree_err!(InvalidArgument, "null loop").into();
        }
        if callback_fn.is_none() {
            return crate::iree_err!(InvalidArgument, "callback is NULL").into();
        }
        let params = iree_loop_wait_one_params_t {
            callback: callback(callback_fn, user_data),
            deadline_ns: timeout.as_deadline_ns(),
            wait_source,
        };
        // SAFETY: WAIT_ONE takes iree_loop_wait_one_params_t.
        unsafe { send(loop_, command::WAIT_ONE, &params as *const _ as *const c_void) }
    }
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
) -> iree_status_t {
    if loop_.ctl.is_none() {
        return crate::iree_err!(InvalidArgument, "null loop").into();
    }
    if callback_fn.is_none() {
        return crate::iree_err!(InvalidArgument, "callback is NULL").into();
    }
    if count > 0 && wait_sources.is_null() {
        return crate::iree_err!(InvalidArgument, "wait_sources is NULL with count {count}").into();
    }
    match count {
        // SAFETY: forwarded contracts.
        0 => unsafe { iree_loop_call(loop_, 0, callback_fn, user_data) },
        // SAFETY: count == 1 so the first source is readable.
        1 => unsafe { iree_loop_wait_one(loop_, *wait_sources, timeout, callback_fn, user_data) },
        _ => {
            let params = iree_loop_wait_multi_params_t {
                callback: callback(callback_fn, user_data),
                deadline_ns: timeout.as_deadline_ns(),
                count,
                wait_sources,
            };
            // SAFETY: WAIT_ANY/WAIT_ALL take iree_loop_wait_multi_params_t.
            unsafe { send(loop_, command, &params as *const _ as *const c_void) }
        }
    }
}

/// Runs `callback` once any of the sources resolves or `timeout` elapses.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_any(
    loop_: iree_loop_t,
    count: usize,
    wait_sources: *mut iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: forwarded contract.
        unsafe { wait_multi(command::WAIT_ANY, loop_, count, wait_sources, timeout, callback_fn, user_data) }
    }
}

/// Runs `callback` once all of the sources resolve or `timeout` elapses.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_wait_all(
    loop_: iree_loop_t,
    count: usize,
    wait_sources: *mut iree_wait_source_t,
    timeout: iree_timeout_t,
    callback_fn: iree_loop_callback_fn_t,
    user_data: *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: forwarded contract.
        unsafe { wait_multi(command::WAIT_ALL, loop_, count, wait_sources, timeout, callback_fn, user_data) }
    }
}

/// Blocks until the loop is idle or `timeout` elapses.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_drain(
    loop_: iree_loop_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary! {
        let params = iree_loop_drain_params_t { deadline_ns: timeout.as_deadline_ns() };
        // SAFETY: DRAIN takes iree_loop_drain_params_t.
        unsafe { send(loop_, command::DRAIN, &params as *const _ as *const c_void) }
    }
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
                command::CALL => LoopOp::Call(*(params as *const iree_loop_call_params_t)),
                command::DISPATCH => {
                    LoopOp::Dispatch(*(params as *const iree_loop_dispatch_params_t))
                }
                command::WAIT_UNTIL => {
                    LoopOp::WaitUntil(*(params as *const iree_loop_wait_until_params_t))
                }
                command::WAIT_ONE => {
                    LoopOp::WaitOne(*(params as *const iree_loop_wait_one_params_t))
                }
                command::WAIT_ANY => {
                    LoopOp::WaitAny(*(params as *const iree_loop_wait_multi_params_t))
                }
                command::WAIT_ALL => {
                    LoopOp::WaitAll(*(params as *const iree_loop_wait_multi_params_t))
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
