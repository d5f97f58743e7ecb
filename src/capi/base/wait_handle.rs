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
use crate::capi::handle::{self, Boxed, Castable};

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

/// Initializes a handle referencing (not owning) a primitive.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_wrap_primitive(
    primitive_type: iree_wait_primitive_type_t,
    primitive_value: iree_wait_primitive_value_t,
    out_handle: *mut iree_wait_handle_t,
) {
    ffi_boundary! {
        let primitive = primitive_from_c(primitive_type, primitive_value);
        // SAFETY: the caller passes writable storage (NULL is ignored).
        unsafe { write_handle(out_handle, iree_wait_handle_t::from_primitive(primitive)) };
    }
}

/// Resets a handle to immediate without closing anything.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_deinitialize(handle: *mut iree_wait_handle_t) {
    ffi_boundary! {
        // SAFETY: the caller passes writable storage (NULL is ignored).
        unsafe { write_handle(handle, iree_wait_handle_t::immediate()) };
    }
}

/// Closes the primitive behind a handle and resets the handle.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_close(handle: *mut iree_wait_handle_t) {
    ffi_boundary! {
        // SAFETY: the caller passes a valid handle (NULL is ignored).
        if let Some(primitive) = unsafe { read_handle(handle) } {
            primitive.close();
            // SAFETY: as above.
            unsafe { write_handle(handle, iree_wait_handle_t::immediate()) };
        }
    }
}

/// Control function of wait sources made from wait handles.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_handle_ctl(
    wait_source: iree_wait_source_t,
    command: iree_wait_source_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: sources using this ctl hold a wait handle in their storage.
        let handle = unsafe { wait_source.head.handle };
        let primitive = handle.primitive();
        match command {
            IREE_WAIT_SOURCE_COMMAND_QUERY => {
                let out = inout_ptr as *mut iree_status_code_t;
                if out.is_null() {
                    return crate::iree_err!(InvalidArgument, "query needs an output code").into();
                }
                let code = match primitive.wait(crate::base::time::TIME_INFINITE_PAST) {
                    Ok(()) => StatusCode::Ok,
                    Err(err) if err.code() == StatusCode::DeadlineExceeded => StatusCode::Deferred,
                    Err(err) => return err.into(),
                };
                // SAFETY: QUERY's inout_ptr is an iree_status_code_t* (checked non-NULL).
                unsafe { out.write(code as u32) };
                iree_status_t::OK
            }
            IREE_WAIT_SOURCE_COMMAND_WAIT_ONE => {
                let params = params as *const iree_wait_source_wait_params_t;
                // SAFETY: WAIT_ONE's params are wait params when non-NULL.
                let Some(params) = (unsafe { params.as_ref() }) else {
                    return crate::iree_err!(InvalidArgument, "wait needs parameters").into();
                };
                primitive.wait(params.timeout.as_deadline_ns()).into()
            }
            IREE_WAIT_SOURCE_COMMAND_EXPORT => {
                let params = params as *const iree_wait_source_export_params_t;
                // SAFETY: EXPORT's params are export params when non-NULL.
                let Some(params) = (unsafe { params.as_ref() }) else {
                    return crate::iree_err!(InvalidArgument, "export needs parameters").into();
                };
                let out = inout_ptr as *mut iree_wait_primitive_t;
                if out.is_null() {
                    return crate::iree_err!(InvalidArgument, "export needs an output primitive").into();
                }
                if params.target_type != kind::ANY && params.target_type != handle.type_ {
                    return crate::iree_err!(
                        Unavailable,
                        "requested wait primitive type {} is unavailable; have {}",
                        params.target_type,
                        handle.type_
                    )
                    .into();
                }
                // SAFETY: checked non-NULL; EXPORT's inout_ptr is a primitive.
                unsafe {
                    out.write(iree_wait_primitive_t {
                        type_: handle.type_,
                        value: handle.value,
                    })
                };
                iree_status_t::OK
            }
            other => crate::iree_err!(Unimplemented, "unimplemented wait source command {other}").into(),
        }
    }
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

/// Imports a native primitive as a wait source (the caller keeps ownership).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_source_import(
    wait_primitive: iree_wait_primitive_t,
    out_wait_source: *mut iree_wait_source_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_wait_source.is_null() {
            return crate::iree_err!(InvalidArgument, "out_wait_source is NULL").into();
        }
        let primitive = primitive_from_c(wait_primitive.type_, wait_primitive.value);
        let source = wait_source_from_handle(iree_wait_handle_t::from_primitive(primitive));
        // SAFETY: checked non-NULL; the caller provides writable storage.
        unsafe { out_wait_source.write(source) };
        iree_status_t::OK
    }
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

/// Allocates a wait set holding up to `capacity` handles.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_allocate(
    capacity: usize,
    allocator: iree_allocator_t,
    out_set: *mut *mut iree_wait_set_t,
) -> iree_status_t {
    ffi_boundary! {
        // Host memory for the set comes from the Rust allocator.
        let _ = allocator;
        if out_set.is_null() {
            return crate::iree_err!(InvalidArgument, "out_set is NULL").into();
        }
        // SAFETY: checked non-NULL.
        unsafe { out_set.write(std::ptr::null_mut()) };
        match WaitSet::new(capacity) {
            Ok(set) => {
                // SAFETY: checked non-NULL.
                unsafe { out_set.write(handle::box_into_ptr(set)) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Frees a wait set (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_free(set: *mut iree_wait_set_t) {
    ffi_boundary! {
        // SAFETY: `set` came from iree_wait_set_allocate and is not used again.
        drop(unsafe { handle::box_from_ptr(set) });
    }
}

/// True when the set holds no handles (NULL counts as empty).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_is_empty(set: *const iree_wait_set_t) -> bool {
    ffi_boundary! {
        // SAFETY: `set` is NULL or a live wait set.
        unsafe { handle::try_ref(set) }.is_none_or(|s| s.is_empty())
    }
}

/// Adds a handle; duplicates need as many erases.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_insert(
    set: *mut iree_wait_set_t,
    handle: iree_wait_handle_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `set` is NULL or a live wait set used by one thread.
        let Some(set) = (unsafe { handle::try_mut(set) }) else {
            return crate::iree_err!(InvalidArgument, "set is NULL").into();
        };
        set.insert(handle.primitive()).into()
    }
}

/// Removes one instance of a handle (absent handles are ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_erase(
    set: *mut iree_wait_set_t,
    handle: iree_wait_handle_t,
) {
    ffi_boundary! {
        // SAFETY: `set` is NULL or a live wait set used by one thread.
        if let Some(set) = unsafe { handle::try_mut(set) } {
            set.erase(handle.primitive(), Some(handle.index_hint()));
        }
    }
}

/// Removes every handle.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_set_clear(set: *mut iree_wait_set_t) {
    ffi_boundary! {
        // SAFETY: `set` is NULL or a live wait set used by one thread.
        if let Some(set) = unsafe { handle::try_mut(set) } {
            set.clear();
        }
    }
}

/// Waits until every handle in the set is signaled or the deadline passes.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_all(
    set: *mut iree_wait_set_t,
    deadline_ns: iree_time_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `set` is NULL or a live wait set used by one thread.
        let Some(set) = (unsafe { handle::try_mut(set) }) else {
            return crate::iree_err!(InvalidArgument, "set is NULL").into();
        };
        set.wait_all(deadline_ns).into()
    }
}

/// Waits until any handle in the set is signaled or the deadline passes;
/// the woken handle (or an immediate one) goes to `out_wake_handle`.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_any(
    set: *mut iree_wait_set_t,
    deadline_ns: iree_time_t,
    out_wake_handle: *mut iree_wait_handle_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: the caller passes writable storage or NULL.
        unsafe { write_handle(out_wake_handle, iree_wait_handle_t::immediate()) };
        // SAFETY: `set` is NULL or a live wait set used by one thread.
        let Some(set) = (unsafe { handle::try_mut(set) }) else {
            return crate::iree_err!(InvalidArgument, "set is NULL").into();
        };
        match set.wait_any(deadline_ns) {
            Ok(Some(wake)) => {
                let mut handle = iree_wait_handle_t::from_primitive(wake.primitive);
                handle.set_internal = wake.index as u32 & 0xFFFF;
                // SAFETY: as above.
                unsafe { write_handle(out_wake_handle, handle) };
                iree_status_t::OK
            }
            Ok(None) => iree_status_t::OK,
            Err(err) => err.into(),
        }
    }
}

/// Waits until one handle is signaled or the deadline passes.
#[no_mangle]
pub unsafe extern "C" fn iree_wait_one(
    handle: *mut iree_wait_handle_t,
    deadline_ns: iree_time_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: the caller passes a valid handle or NULL.
        let Some(primitive) = (unsafe { read_handle(handle) }) else {
            return crate::iree_err!(InvalidArgument, "handle is NULL").into();
        };
        primitive.wait(deadline_ns).into()
    }
}

//===----------------------------------------------------------------------===//
// iree_event_t
//===----------------------------------------------------------------------===//

/// Creates an event (signaled or not); close it with iree_event_deinitialize.
#[no_mangle]
pub unsafe extern "C" fn iree_event_initialize(
    initial_state: bool,
    out_event: *mut iree_event_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_event.is_null() {
            return crate::iree_err!(InvalidArgument, "out_event is NULL").into();
        }
        // SAFETY: checked non-NULL; the caller provides writable storage.
        unsafe { out_event.write(iree_wait_handle_t::immediate()) };
        match Event::new(initial_state) {
            Ok(event) => {
                let handle = iree_wait_handle_t::from_primitive(event.into_primitive());
                // SAFETY: as above.
                unsafe { out_event.write(handle) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Closes an event and resets it to immediate.
#[no_mangle]
pub unsafe extern "C" fn iree_event_deinitialize(event: *mut iree_event_t) {
    ffi_boundary! {
        // SAFETY: forwarded to iree_wait_handle_close's contract.
        unsafe { iree_wait_handle_close(event) };
    }
}

/// Signals an event; it stays signaled until reset.
#[no_mangle]
pub unsafe extern "C" fn iree_event_set(event: *mut iree_event_t) {
    ffi_boundary! {
        // SAFETY: the caller passes a valid event or NULL.
        if let Some(primitive) = unsafe { read_handle(event) } {
            // Setting has no way to report failure; a failed write leaves the
            // event as it was.
            let _ = primitive.signal();
        }
    }
}

/// Returns an event to the unsignaled state.
#[no_mangle]
pub unsafe extern "C" fn iree_event_reset(event: *mut iree_event_t) {
    ffi_boundary! {
        // SAFETY: the caller passes a valid event or NULL.
        if let Some(primitive) = unsafe { read_handle(event) } {
            let _ = primitive.clear();
        }
    }
}

/// A wait source that resolves when the event is signaled.
#[no_mangle]
pub unsafe extern "C" fn iree_event_await(event: *mut iree_event_t) -> iree_wait_source_t {
    ffi_boundary! {
        // SAFETY: the caller passes a valid event or NULL.
        match unsafe { event.as_ref() } {
            Some(handle) => wait_source_from_handle(*handle),
            None => iree_wait_source_t::immediate(),
        }
    }
}

impl crate::capi::boundary::FfiReturn for iree_wait_source_t {
    fn from_error(_: crate::Error) -> Self {
        iree_wait_source_t::immediate()
    }
}
