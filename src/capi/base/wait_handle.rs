//! `iree/base/internal/wait_handle.h`: wait handles, wait sets and events.

use std::ffi::c_void;

use crate::base::internal::wait_handle::{kind, Event, Primitive, WaitSet};
use crate::base::status::StatusCode;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::{iree_status_code_t, iree_status_t};
use crate::capi::base::time::iree_time_t;
use crate::capi::base::wait_source::{
    iree_wait_primitive_t, iree_wait_primitive_type_t, iree_wait_primitive_value_t,
    iree_wait_source_command_t, iree_wait_source_export_params_t, iree_wait_source_head_t,
    iree_wait_source_t, iree_wait_source_wait_params_t, primitive_from_c, primitive_to_c,
    IREE_WAIT_SOURCE_COMMAND_EXPORT, IREE_WAIT_SOURCE_COMMAND_QUERY,
    IREE_WAIT_SOURCE_COMMAND_WAIT_ONE,
};
use crate::capi::boundary::{ffi_boundary, FfiReturn};
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::{iree_bail, iree_err, Result};

/// Mirror of the C `iree_wait_handle_t` (16 bytes). `set_internal` holds
/// the C bitfield union; its low 16 bits are the wake index.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_wait_handle_t {
    pub set_internal: u32,
    pub type_: iree_wait_primitive_type_t,
    pub value: iree_wait_primitive_value_t,
}

/// The C `iree_event_t`.
/// cbindgen:ignore
pub type iree_event_t = iree_wait_handle_t;

impl iree_wait_handle_t {
    pub fn immediate() -> iree_wait_handle_t {
        iree_wait_handle_t::from_primitive(Primitive::None)
    }

    pub fn from_primitive(primitive: Primitive) -> iree_wait_handle_t {
        let (type_, value) = primitive_to_c(primitive);
        iree_wait_handle_t {
            set_internal: 0,
            type_,
            value,
        }
    }

    pub fn primitive(&self) -> Primitive {
        primitive_from_c(self.type_, self.value)
    }

    /// The wake index a wait set stored in `set_internal`.
    fn index_hint(&self) -> usize {
        (self.set_internal & 0xFFFF) as usize
    }
}

/// Reads the handle behind a C pointer; `None` for NULL.
///
/// # Safety
/// A non-null `handle` must point to a readable `iree_wait_handle_t`.
unsafe fn read_handle(handle: *const iree_wait_handle_t) -> Option<Primitive> {
    // SAFETY: forwarded contract.
    unsafe { handle.as_ref() }.map(|h| h.primitive())
}

/// Writes a handle through a C pointer; ignored for NULL.
///
/// # Safety
/// A non-null `out` must point to writable storage for a handle.
unsafe fn write_handle(out: *mut iree_wait_handle_t, value: iree_wait_handle_t) {
    if !out.is_null() {
        // Zero first and store field by field: a whole-struct copy may carry
        // uninitialized padding (after `type_`), and callers memcmp handles.
        // SAFETY: forwarded contract.
        unsafe {
            out.write_bytes(0, 1);
            std::ptr::addr_of_mut!((*out).set_internal).write(value.set_internal);
            std::ptr::addr_of_mut!((*out).type_).write(value.type_);
            std::ptr::addr_of_mut!((*out).value).write(value.value);
        }
    }
}

/// Writes into the caller's `*out_handle` a handle that refers to (does not
/// own) the primitive: the caller keeps it open for as long as any handle or
/// wait set refers to it. NULL `out_handle` is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_wrap_primitive(
    primitive_type: iree_wait_primitive_type_t,
    primitive_value: iree_wait_primitive_value_t,
    out_handle: *mut iree_wait_handle_t,
) {
    ffi_boundary(|| {
        let primitive = primitive_from_c(primitive_type, primitive_value);
        // SAFETY: NULL or caller storage for one handle (API contract).
        unsafe { write_handle(out_handle, iree_wait_handle_t::from_primitive(primitive)) };
        Ok(())
    })
}

/// Resets the caller's handle to immediate without closing the primitive it
/// referred to (handles never own what they wrap). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_deinitialize(handle: *mut iree_wait_handle_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one handle (API contract).
        unsafe { write_handle(handle, iree_wait_handle_t::immediate()) };
        Ok(())
    })
}

/// Closes the primitive behind `handle` and resets the handle.
///
/// # Safety
/// A non-null `handle` must be a valid handle in writable storage whose
/// primitive the caller owns.
unsafe fn close_handle(handle: *mut iree_wait_handle_t) {
    // SAFETY: forwarded contract.
    if let Some(primitive) = unsafe { read_handle(handle) } {
        primitive.close();
        // SAFETY: as above.
        unsafe { write_handle(handle, iree_wait_handle_t::immediate()) };
    }
}

/// Closes the primitive behind the caller's handle (the caller gives up the
/// primitive: no other handle may use it afterwards) and resets the handle
/// to immediate. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_close(handle: *mut iree_wait_handle_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid handle in caller storage (API contract).
        unsafe { close_handle(handle) };
        Ok(())
    })
}

/// The QUERY command: `DEFERRED` or `OK` into the caller's code slot.
///
/// # Safety
/// A non-null `out` must be writable for one status code.
unsafe fn query_primitive(primitive: Primitive, out: *mut iree_status_code_t) -> Result<()> {
    if out.is_null() {
        iree_bail!(InvalidArgument, "query needs an output code");
    }
    let code = match primitive.wait(crate::base::time::TIME_INFINITE_PAST) {
        Ok(()) => StatusCode::Ok,
        Err(err) if err.code() == StatusCode::DeadlineExceeded => StatusCode::Deferred,
        Err(err) => return Err(err),
    };
    // SAFETY: QUERY's inout_ptr is an iree_status_code_t* (checked non-NULL).
    unsafe { out.write(code as u32) };
    Ok(())
}

/// The EXPORT command: the handle's primitive into the caller's slot when
/// its type is the one asked for.
///
/// # Safety
/// A non-null `params` must be readable export params and a non-null `out`
/// writable for one primitive.
unsafe fn export_primitive(
    handle: &iree_wait_handle_t,
    params: *const iree_wait_source_export_params_t,
    out: *mut iree_wait_primitive_t,
) -> Result<()> {
    // SAFETY: EXPORT's params are export params when non-NULL.
    let Some(params) = (unsafe { params.as_ref() }) else {
        iree_bail!(InvalidArgument, "export needs parameters");
    };
    if out.is_null() {
        iree_bail!(InvalidArgument, "export needs an output primitive");
    }
    if params.target_type != kind::ANY && params.target_type != handle.type_ {
        iree_bail!(
            Unavailable,
            "requested wait primitive type {} is unavailable; have {}",
            params.target_type,
            handle.type_
        );
    }
    // SAFETY: checked non-NULL; EXPORT's inout_ptr is a primitive.
    unsafe {
        out.write(iree_wait_primitive_t {
            type_: handle.type_,
            value: handle.value,
        })
    };
    Ok(())
}

/// Control function of wait sources made from wait handles: the source
/// carries the handle by value and borrows its primitive. `params` and
/// `inout_ptr` are the command's, borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_ctl(
    wait_source: iree_wait_source_t,
    command: iree_wait_source_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: sources using this ctl hold a wait handle in their storage.
        let handle = unsafe { wait_source.head.handle };
        let primitive = handle.primitive();
        match command {
            // SAFETY: QUERY's inout_ptr is NULL or a status code slot.
            IREE_WAIT_SOURCE_COMMAND_QUERY => unsafe {
                query_primitive(primitive, inout_ptr.cast())
            },
            IREE_WAIT_SOURCE_COMMAND_WAIT_ONE => {
                let params = params.cast::<iree_wait_source_wait_params_t>();
                // SAFETY: WAIT_ONE's params are wait params when non-NULL.
                let Some(params) = (unsafe { params.as_ref() }) else {
                    iree_bail!(InvalidArgument, "wait needs parameters");
                };
                primitive.wait(params.timeout.as_deadline_ns())
            }
            // SAFETY: EXPORT's params and inout_ptr are NULL or export
            // params and a primitive slot.
            IREE_WAIT_SOURCE_COMMAND_EXPORT => unsafe {
                export_primitive(&handle, params.cast(), inout_ptr.cast())
            },
            other => Err(iree_err!(
                Unimplemented,
                "unimplemented wait source command {other}"
            )),
        }
    })
}

/// A wait source that refers to a wait handle.
pub fn wait_source_from_handle(handle: iree_wait_handle_t) -> iree_wait_source_t {
    if handle.type_ == kind::NONE {
        return iree_wait_source_t::immediate();
    }
    iree_wait_source_t {
        head: iree_wait_source_head_t { handle },
        ctl: Some(iree_wait_handle_ctl),
    }
}

/// The wait handle inside a source using [`iree_wait_handle_ctl`].
pub fn handle_from_wait_source(source: &iree_wait_source_t) -> Option<Primitive> {
    let ctl = source.ctl? as *const ();
    if ctl != iree_wait_handle_ctl as *const () {
        return None;
    }
    // SAFETY: sources using this ctl hold a wait handle in their storage.
    Some(unsafe { source.head.handle }.primitive())
}

/// Writes into the caller's `*out_wait_source` a source that refers to (does
/// not own) `wait_primitive`: the caller keeps the primitive open while the
/// source is in use.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_import(
    wait_primitive: iree_wait_primitive_t,
    out_wait_source: *mut iree_wait_source_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one source (API contract).
        let out_wait_source = unsafe { arg!(out_wait_source).out() }?;
        let primitive = primitive_from_c(wait_primitive.type_, wait_primitive.value);
        out_wait_source.write(wait_source_from_handle(iree_wait_handle_t::from_primitive(
            primitive,
        )));
        Ok(())
    })
}

//===----------------------------------------------------------------------===//
// iree_wait_set_t
//===----------------------------------------------------------------------===//

/// Opaque handle to a [`WaitSet`].
pub struct iree_wait_set_t {
    _private: [u8; 0],
}

impl Castable for iree_wait_set_t {
    type Ownership = Boxed;
    type RustType = WaitSet;
}

/// Allocates a wait set holding up to `capacity` distinct handles. The
/// caller owns `*out_set` (NULL on failure) and frees it with
/// `iree_wait_set_free`; a set is used by one thread at a time. Host memory
/// comes from the Rust allocator, so `allocator` is not kept.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_allocate(
    capacity: usize,
    allocator: iree_allocator_t,
    out_set: *mut *mut iree_wait_set_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let _ = allocator;
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_set = unsafe { arg!(out_set).out() }?.write(std::ptr::null_mut());
        *out_set = handle::box_into_ptr(WaitSet::new(capacity)?);
        Ok(())
    })
}

/// Frees a wait set the caller owns; the primitives it referred to stay
/// open. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_free(set: *mut iree_wait_set_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a set from iree_wait_set_allocate, not used again.
        drop(unsafe { handle::box_from_ptr(set) });
        Ok(())
    })
}

/// True when the borrowed set holds no handles (NULL counts as empty).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_is_empty(set: *const iree_wait_set_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait set (API contract).
        Ok(unsafe { handle::try_ref(set) }.is_none_or(|s| s.is_empty()))
    })
}

/// Adds a copy of `handle` to the set; its primitive must stay open while
/// the set holds it. Duplicates need as many erases.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_insert(
    set: *mut iree_wait_set_t,
    handle: iree_wait_handle_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait set used by this thread alone.
        unsafe { arg!(set).handle_mut() }?.insert(handle.primitive())
    })
}

/// Removes one instance of `handle` from the set (absent handles and a NULL
/// set are ignored); the primitive is not closed.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_erase(
    set: *mut iree_wait_set_t,
    handle: iree_wait_handle_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait set used by this thread alone.
        let set = unsafe { arg!(set).handle_mut() }?;
        set.erase(handle.primitive(), Some(handle.index_hint()));
        Ok(())
    })
}

/// Removes every handle from the set without closing any primitive. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_clear(set: *mut iree_wait_set_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait set used by this thread alone.
        unsafe { arg!(set).handle_mut() }?.clear();
        Ok(())
    })
}

/// Blocks the calling thread until every handle in the borrowed set is
/// signaled (`DEADLINE_EXCEEDED` once `deadline_ns` passes).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_all(
    set: *mut iree_wait_set_t,
    deadline_ns: iree_time_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait set used by this thread alone.
        unsafe { arg!(set).handle_mut() }?.wait_all(deadline_ns)
    })
}

/// Blocks the calling thread until any handle in the borrowed set is
/// signaled (`DEADLINE_EXCEEDED` once `deadline_ns` passes). A copy of the
/// woken handle (immediate if none) goes to the caller's `*out_wake_handle`
/// (may be NULL); it refers to the same primitive, which the set still holds.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_any(
    set: *mut iree_wait_set_t,
    deadline_ns: iree_time_t,
    out_wake_handle: *mut iree_wait_handle_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one handle (API contract).
        unsafe { write_handle(out_wake_handle, iree_wait_handle_t::immediate()) };
        // SAFETY: NULL or a live wait set used by this thread alone.
        let set = unsafe { arg!(set).handle_mut() }?;
        if let Some(wake) = set.wait_any(deadline_ns)? {
            let mut handle = iree_wait_handle_t::from_primitive(wake.primitive);
            handle.set_internal = wake.index as u32 & 0xFFFF;
            // SAFETY: as above.
            unsafe { write_handle(out_wake_handle, handle) };
        }
        Ok(())
    })
}

/// Blocks the calling thread until the borrowed handle is signaled
/// (`DEADLINE_EXCEEDED` once `deadline_ns` passes).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_one(
    handle: *mut iree_wait_handle_t,
    deadline_ns: iree_time_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid handle (API contract).
        unsafe { arg!(handle).value() }?
            .primitive()
            .wait(deadline_ns)
    })
}

//===----------------------------------------------------------------------===//
// iree_event_t
//===----------------------------------------------------------------------===//

/// Creates an event (signaled or not) in the caller's `*out_event`, which
/// then owns the event's primitive until `iree_event_deinitialize` (on
/// failure it is left immediate). Events may be set, reset and waited on
/// from any thread.
#[no_mangle]
pub unsafe extern "C" fn iree_event_initialize(
    initial_state: bool,
    out_event: *mut iree_event_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one event (API contract).
        let out_event = unsafe { arg!(out_event).out() }?.write(iree_wait_handle_t::immediate());
        let event = Event::new(initial_state)?;
        *out_event = iree_wait_handle_t::from_primitive(event.into_primitive());
        Ok(())
    })
}

/// Closes the caller's event (no handle or source copied from it may be
/// used afterwards) and resets it to immediate. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_event_deinitialize(event: *mut iree_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an event in caller storage that owns its primitive.
        unsafe { close_handle(event) };
        Ok(())
    })
}

/// Signals the borrowed event; it stays signaled until reset. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_event_set(event: *mut iree_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid event (API contract).
        let event = unsafe { arg!(event).value() }?;
        // Setting has no way to report failure; a failed write leaves the
        // event as it was.
        let _ = event.primitive().signal();
        Ok(())
    })
}

/// Returns the borrowed event to the unsignaled state. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_event_reset(event: *mut iree_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid event (API contract).
        let event = unsafe { arg!(event).value() }?;
        let _ = event.primitive().clear();
        Ok(())
    })
}

/// A wait source that resolves when the event is signaled (immediate for
/// NULL). It refers to the event's primitive, so the caller keeps the event
/// initialized while the source is in use.
#[no_mangle]
pub unsafe extern "C" fn iree_event_await(event: *mut iree_event_t) -> iree_wait_source_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid event (API contract).
        Ok(wait_source_from_handle(*unsafe { arg!(event).value() }?))
    })
}

impl FfiReturn for iree_wait_source_t {
    fn from_error(_: crate::Error) -> Self {
        iree_wait_source_t::immediate()
    }
}
