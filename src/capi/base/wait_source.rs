//! `iree/base/wait_source.h`: wait primitives and wait sources (callback
//! objects that resolve in the future), plus the Rust-side helpers the loops
//! use to query, wait on and export them.

use std::ffi::c_void;

use crate::base::internal::wait_handle::{kind, Primitive};
use crate::base::status::{Error, Result, StatusCode};
use crate::base::time::TIME_INFINITE_PAST;
use crate::base::wait_source::{delay_query, delay_wait};
use crate::capi::base::status::{iree_status_code_t, iree_status_t};
use crate::capi::base::time::{iree_time_t, iree_timeout_t, IREE_TIMEOUT_ABSOLUTE};
use crate::capi::base::wait_handle::iree_wait_handle_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::{iree_bail, iree_err};

/// The C `iree_wait_primitive_type_t` (uint8_t).
/// cbindgen:ignore
pub type iree_wait_primitive_type_t = u8;

/// Mirror of the C `iree_wait_primitive_value_t` (8 bytes on 64-bit Linux).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub union iree_wait_primitive_value_t {
    pub reserved: i32,
    /// `event.fd`, `sync_file.fd` and `pipe.{read_fd, write_fd}` alias these.
    pub fds: [i32; 2],
    pub local_futex: *mut c_void,
}

impl iree_wait_primitive_value_t {
    pub fn zeroed() -> Self {
        iree_wait_primitive_value_t {
            local_futex: std::ptr::null_mut(),
        }
    }

    fn raw_bits(self) -> u64 {
        // SAFETY: every member is plain data and `local_futex` spans all 8
        // bytes; reading them as an integer is always defined.
        unsafe { self.local_futex.addr() as u64 }
    }
}

/// Mirror of the C `iree_wait_primitive_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_primitive_t {
    pub type_: iree_wait_primitive_type_t,
    pub value: iree_wait_primitive_value_t,
}

/// Reads a C (type, value) pair as a primitive.
pub fn primitive_from_c(type_: u8, value: iree_wait_primitive_value_t) -> Primitive {
    // SAFETY: `fds` overlays the first 8 bytes of the union, all plain ints.
    let fds = unsafe { value.fds };
    match type_ {
        kind::NONE => Primitive::None,
        kind::EVENT_FD => Primitive::EventFd(fds[0]),
        kind::SYNC_FILE => Primitive::SyncFile(fds[0]),
        kind::PIPE => Primitive::Pipe {
            read: fds[0],
            write: fds[1],
        },
        other => Primitive::Unsupported {
            kind: other,
            bits: value.raw_bits(),
        },
    }
}

/// Writes a primitive as a C (type, value) pair.
pub fn primitive_to_c(primitive: Primitive) -> (u8, iree_wait_primitive_value_t) {
    let mut value = iree_wait_primitive_value_t::zeroed();
    match primitive {
        Primitive::None => {}
        Primitive::EventFd(fd) | Primitive::SyncFile(fd) => value.fds = [fd, 0],
        Primitive::Pipe { read, write } => value.fds = [read, write],
        Primitive::Unsupported { bits, .. } => {
            value.local_futex = std::ptr::without_provenance_mut(bits as usize);
        }
    }
    (primitive.kind(), value)
}

/// The C enum `iree_wait_source_command_t`.
/// cbindgen:ignore
pub type iree_wait_source_command_t = u32;
/// cbindgen:ignore
pub const IREE_WAIT_SOURCE_COMMAND_QUERY: iree_wait_source_command_t = 0;
/// cbindgen:ignore
pub const IREE_WAIT_SOURCE_COMMAND_WAIT_ONE: iree_wait_source_command_t = 1;
/// cbindgen:ignore
pub const IREE_WAIT_SOURCE_COMMAND_EXPORT: iree_wait_source_command_t = 2;

/// Mirror of the C `iree_wait_source_wait_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_source_wait_params_t {
    pub timeout: iree_timeout_t,
}

/// Mirror of the C `iree_wait_source_export_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_source_export_params_t {
    pub target_type: iree_wait_primitive_type_t,
    pub timeout: iree_timeout_t,
}

/// The C `iree_wait_source_ctl_fn_t`.
/// cbindgen:ignore
pub type iree_wait_source_ctl_fn_t = Option<
    unsafe extern "C" fn(
        iree_wait_source_t,
        iree_wait_source_command_t,
        *const c_void,
        *mut *mut c_void,
    ) -> iree_status_t,
>;

/// The `self`/`data` view of a wait source's leading union.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_source_self_data_t {
    pub self_: *mut c_void,
    pub data: u64,
}

/// The leading 16-byte union of `iree_wait_source_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub union iree_wait_source_head_t {
    pub fields: iree_wait_source_self_data_t,
    pub storage: [u64; 2],
    /// An imported wait handle lives here.
    pub handle: iree_wait_handle_t,
}

/// Mirror of the C `iree_wait_source_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_source_t {
    pub head: iree_wait_source_head_t,
    pub ctl: iree_wait_source_ctl_fn_t,
}

impl iree_wait_source_t {
    pub fn immediate() -> iree_wait_source_t {
        iree_wait_source_t {
            head: iree_wait_source_head_t { storage: [0, 0] },
            ctl: None,
        }
    }

    pub fn is_immediate(&self) -> bool {
        self.ctl.is_none()
    }

    pub fn is_delay(&self) -> bool {
        let delay_ctl = iree_wait_source_delay_ctl as *const ();
        self.ctl.is_some_and(|f| f as *const () == delay_ctl)
    }

    /// The `data` word (the deadline of a delay source).
    pub fn data(&self) -> u64 {
        // SAFETY: both views of the union are plain data.
        unsafe { self.head.storage[1] }
    }
}

fn code_status(code: StatusCode) -> iree_status_t {
    iree_status_t::from_code(code)
}

/// Runs a wait source's control function.
///
/// # Safety
/// `source.ctl` must be a valid control function and `params`/`inout` must
/// be what it expects for `command`.
unsafe fn call_ctl(
    source: iree_wait_source_t,
    command: iree_wait_source_command_t,
    params: *const c_void,
    inout: *mut *mut c_void,
) -> Result<()> {
    let Some(ctl) = source.ctl else {
        return Ok(());
    };
    // SAFETY: forwarded contract; the returned status is owned by us.
    unsafe { ctl(source, command, params, inout).into_result() }
}

/// Queries a wait source: `Ok`, `Deferred` (unresolved) or a failure code.
///
/// # Safety
/// `source` must be a valid wait source (its control function callable).
pub unsafe fn query(source: iree_wait_source_t) -> Result<StatusCode> {
    let mut code: iree_status_code_t = StatusCode::Ok as u32;
    // SAFETY: QUERY writes an iree_status_code_t through inout_ptr.
    unsafe {
        call_ctl(
            source,
            IREE_WAIT_SOURCE_COMMAND_QUERY,
            std::ptr::null(),
            std::ptr::from_mut(&mut code).cast(),
        )?
    };
    Ok(StatusCode::from_raw(code))
}

/// Waits on a wait source until `deadline_ns`.
///
/// # Safety
/// As [`query`].
pub unsafe fn wait_one(source: iree_wait_source_t, deadline_ns: iree_time_t) -> Result<()> {
    let params = iree_wait_source_wait_params_t {
        timeout: iree_timeout_t {
            type_: IREE_TIMEOUT_ABSOLUTE,
            nanos: deadline_ns,
        },
    };
    // SAFETY: WAIT_ONE reads iree_wait_source_wait_params_t.
    unsafe {
        call_ctl(
            source,
            IREE_WAIT_SOURCE_COMMAND_WAIT_ONE,
            std::ptr::from_ref(&params).cast(),
            std::ptr::null_mut(),
        )
    }
}

/// Exports a wait source to a native primitive without blocking; immediate
/// sources export as [`Primitive::None`].
///
/// # Safety
/// As [`query`].
pub unsafe fn export(source: iree_wait_source_t, target_type: u8) -> Result<Primitive> {
    let params = iree_wait_source_export_params_t {
        target_type,
        timeout: iree_timeout_t {
            type_: IREE_TIMEOUT_ABSOLUTE,
            nanos: TIME_INFINITE_PAST,
        },
    };
    let mut out = iree_wait_primitive_t {
        type_: kind::NONE,
        value: iree_wait_primitive_value_t::zeroed(),
    };
    // SAFETY: EXPORT reads export params and writes an iree_wait_primitive_t.
    unsafe {
        call_ctl(
            source,
            IREE_WAIT_SOURCE_COMMAND_EXPORT,
            std::ptr::from_ref(&params).cast(),
            std::ptr::from_mut(&mut out).cast(),
        )?
    };
    Ok(primitive_from_c(out.type_, out.value))
}

/// Control function of delay wait sources (`data` holds the deadline).
/// `params` and `inout_ptr` are the command's, borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_delay_ctl(
    wait_source: iree_wait_source_t,
    command: iree_wait_source_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        let deadline_ns = wait_source.data() as iree_time_t;
        match command {
            IREE_WAIT_SOURCE_COMMAND_QUERY => {
                let out = inout_ptr.cast::<iree_status_code_t>();
                if out.is_null() {
                    iree_bail!(InvalidArgument, "query needs an output code");
                }
                // SAFETY: QUERY's inout_ptr is an iree_status_code_t* (checked non-NULL).
                unsafe { out.write(delay_query(deadline_ns) as u32) };
                Ok(())
            }
            IREE_WAIT_SOURCE_COMMAND_WAIT_ONE => {
                let params = params.cast::<iree_wait_source_wait_params_t>();
                // SAFETY: WAIT_ONE's params are wait params when non-NULL.
                let Some(params) = (unsafe { params.as_ref() }) else {
                    iree_bail!(InvalidArgument, "wait needs parameters");
                };
                delay_wait(deadline_ns, params.timeout.as_deadline_ns())
            }
            IREE_WAIT_SOURCE_COMMAND_EXPORT => Err(iree_err!(
                Unimplemented,
                "delay wait sources cannot be exported"
            )),
            other => Err(iree_err!(
                Unimplemented,
                "unhandled wait source command {other}"
            )),
        }
    })
}

/// Exports the borrowed `wait_source` to a native primitive of
/// `target_type` (or any) in the caller's `*out_wait_primitive` (none on
/// failure). The primitive still belongs to the source's owner: the caller
/// may wait on it but not close it, and only while the source is live.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_export(
    wait_source: iree_wait_source_t,
    target_type: iree_wait_primitive_type_t,
    timeout: iree_timeout_t,
    out_wait_primitive: *mut iree_wait_primitive_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one primitive (API contract).
        let out_wait_primitive =
            unsafe { arg!(out_wait_primitive).out() }?.write(iree_wait_primitive_t {
                type_: kind::NONE,
                value: iree_wait_primitive_value_t::zeroed(),
            });
        let params = iree_wait_source_export_params_t {
            target_type,
            timeout,
        };
        // SAFETY: EXPORT reads export params and writes the primitive.
        unsafe {
            call_ctl(
                wait_source,
                IREE_WAIT_SOURCE_COMMAND_EXPORT,
                std::ptr::from_ref(&params).cast(),
                std::ptr::from_mut(out_wait_primitive).cast(),
            )
        }
    })
}

/// Reports in the caller's `*out_wait_status_code` whether the borrowed
/// `wait_source` has resolved (`OK`), not yet (`DEFERRED`), or failed (its
/// code); never blocks. On an error status the code slot holds `OK`.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_query(
    wait_source: iree_wait_source_t,
    out_wait_status_code: *mut iree_status_code_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one code (API contract).
        let out = unsafe { arg!(out_wait_status_code).out() }?.write(StatusCode::Ok as u32);
        // SAFETY: the caller passed a valid wait source.
        *out = unsafe { query(wait_source) }? as u32;
        Ok(())
    })
}

/// Blocks the calling thread until the borrowed `wait_source` resolves
/// (`OK`), fails (its status) or `timeout` passes (`DEADLINE_EXCEEDED`).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_wait_one(
    wait_source: iree_wait_source_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let deadline_ns = timeout.as_deadline_ns();
        // SAFETY: the caller passed a valid wait source.
        unsafe { wait_one(wait_source, deadline_ns) }
    })
}

/// A status for an error code with no payload (used for DEFERRED and friends).
pub fn status_from_code(code: StatusCode) -> iree_status_t {
    if code == StatusCode::Ok {
        iree_status_t::OK
    } else {
        code_status(code)
    }
}

/// An error for a non-OK code with no payload.
pub fn error_from_code(code: StatusCode) -> Error {
    Error::from_code(code)
}

/// Longest a loop sleeps between polls of a source it cannot export.
/// cbindgen:ignore
pub const UNEXPORTABLE_POLL_NS: iree_time_t = 1_000_000;

/// Waits until any of `sources` resolves (`Ok`), one fails (its error) or
/// `deadline_ns` passes (`DEADLINE_EXCEEDED`). Exportable sources are waited
/// on together in a wait set; delays and unexportable ones bound the sleep.
///
/// # Safety
/// Every source must be a valid wait source.
pub unsafe fn wait_any_sources(
    sources: &[iree_wait_source_t],
    deadline_ns: iree_time_t,
) -> Result<()> {
    use crate::base::internal::wait_handle::WaitSet;
    use crate::base::time::{self, TIME_INFINITE_FUTURE};

    let mut set: Option<WaitSet> = None;
    let mut wake_by = TIME_INFINITE_FUTURE;
    let mut must_poll = false;
    loop {
        for source in sources {
            // SAFETY: forwarded contract.
            match unsafe { query(*source) }? {
                StatusCode::Ok => return Ok(()),
                StatusCode::Deferred => {}
                failed => return Err(Error::from_code(failed)),
            }
        }
        let now = time::now();
        if now >= deadline_ns {
            return Err(Error::from_code(StatusCode::DeadlineExceeded));
        }
        let set = match &mut set {
            Some(set) => set,
            None => {
                let mut built = WaitSet::new(sources.len().min(u16::MAX as usize - 1))?;
                for source in sources {
                    if source.is_delay() {
                        wake_by = wake_by.min(source.data() as iree_time_t);
                        continue;
                    }
                    // SAFETY: forwarded contract.
                    match unsafe { export(*source, kind::ANY) } {
                        Ok(p) if !p.is_immediate() && built.insert(p).is_ok() => {}
                        _ => must_poll = true,
                    }
                }
                set.insert(built)
            }
        };
        let mut until = deadline_ns.min(wake_by);
        if must_poll {
            until = until.min(now.saturating_add(UNEXPORTABLE_POLL_NS));
        }
        if set.is_empty() {
            time::wait_until(until);
        } else {
            match set.wait_any(until) {
                Ok(_) => {}
                Err(err) if err.code() == StatusCode::DeadlineExceeded => {}
                Err(err) => return Err(err),
            }
        }
    }
}

/// Waits until every source resolves, stopping at the first failure or at
/// `deadline_ns` (`DEADLINE_EXCEEDED`).
///
/// # Safety
/// Every source must be a valid wait source.
pub unsafe fn wait_all_sources(
    sources: &[iree_wait_source_t],
    deadline_ns: iree_time_t,
) -> Result<()> {
    for source in sources {
        // SAFETY: forwarded contract.
        unsafe { wait_one(*source, deadline_ns) }?;
    }
    Ok(())
}
