//! `iree/vm/ref.h`: type registration and ref manipulation.

use std::ffi::c_void;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::iree_err;
use crate::vm::r#ref::{self as core, RawRef};

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_object_retain(
    ptr: *mut c_void,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) {
    ffi_boundary! {
        // SAFETY: descriptor is NULL or a registered descriptor (API contract).
        if let Some(d) = unsafe { type_descriptor.as_ref() } {
            // SAFETY: `ptr` is NULL or a live object of that type.
            unsafe { core::retain_object(ptr, d.offsetof_counter()) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_object_release(
    ptr: *mut c_void,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) {
    ffi_boundary! {
        // SAFETY: as for retain; the caller gives up one reference.
        if let Some(d) = unsafe { type_descriptor.as_ref() } {
            // SAFETY: forwarded contract.
            unsafe { core::release_object(ptr, d.offsetof_counter(), Some(d)) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_register_type(
    descriptor: *mut iree_vm_ref_type_descriptor_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: the C contract keeps registered descriptors alive.
        unsafe { core::register_type(descriptor) }.map(|_| ()).into()
    }
}

#[no_mangle]
pub extern "C" fn iree_vm_ref_type_name(type_: iree_vm_ref_type_t) -> iree_string_view_t {
    ffi_boundary! {
        core::lookup_type(type_).map_or(iree_string_view_t::EMPTY, |d| d.type_name)
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_lookup_registered_type(
    full_name: iree_string_view_t,
) -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary! {
        // SAFETY: the caller's view is valid for the call.
        let name = unsafe { full_name.as_bytes() };
        core::lookup_type_by_name(name).map_or(std::ptr::null(), |d| d as *const _)
    }
}

/// Stores `value` into `*out_ref`, releasing what it held before unless it
/// is the same object.
///
/// # Safety
/// `out_ref` must be valid; its old value must own a reference (or be null).
unsafe fn store(out_ref: *mut iree_vm_ref_t, value: RawRef) {
    // SAFETY: forwarded contract.
    unsafe {
        let old = &mut *out_ref;
        if !old.ptr.is_null() && old.ptr != value.ptr {
            core::raw_release(old);
        }
        *out_ref = value;
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_wrap_assign(
    ptr: *mut c_void,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_ref.is_null() {
            return iree_err!(InvalidArgument, "out_ref is NULL").into();
        }
        let Some(d) = core::lookup_type(type_) else {
            return iree_err!(InvalidArgument, "type {} not registered with the VM", type_).into();
        };
        // SAFETY: `out_ref` is valid (checked) and owns its old value.
        unsafe { store(out_ref, RawRef::new(ptr, d.offsetof_counter(), type_)) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_wrap_retain(
    ptr: *mut c_void,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: forwarded to wrap_assign, which validates the arguments.
        let status = unsafe { iree_vm_ref_wrap_assign(ptr, type_, out_ref) };
        if status.is_ok() {
            // SAFETY: `out_ref` now references the live object.
            unsafe { core::raw_retain(&*out_ref) };
        }
        status
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary! {
        if ref_.is_null() || out_ref.is_null() {
            return;
        }
        // SAFETY: both refs are valid (checked above, API contract).
        unsafe {
            let value = *ref_;
            core::raw_retain(&value);
            let old = &mut *out_ref;
            if !old.ptr.is_null() {
                core::raw_release(old);
            }
            *out_ref = value;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_checked(
    ref_: *mut iree_vm_ref_t,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        if ref_.is_null() || out_ref.is_null() {
            return iree_err!(InvalidArgument, "ref is NULL").into();
        }
        // SAFETY: checked non-null; valid per contract.
        let r = unsafe { *ref_ };
        if r.type_id() != core::REF_TYPE_NULL && r.type_id() != type_ {
            return iree_err!(InvalidArgument, "source ref type mismatch").into();
        }
        // SAFETY: forwarded.
        unsafe { iree_vm_ref_retain(ref_, out_ref) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_or_move(
    is_move: i32,
    ref_: *mut iree_vm_ref_t,
    out_ref: *mut iree_vm_ref_t,
) {
    ffi_boundary! {
        // SAFETY: forwarded.
        unsafe {
            if is_move != 0 {
                iree_vm_ref_move(ref_, out_ref)
            } else {
                iree_vm_ref_retain(ref_, out_ref)
            }
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_or_move_checked(
    is_move: i32,
    ref_: *mut iree_vm_ref_t,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        if ref_.is_null() || out_ref.is_null() {
            return iree_err!(InvalidArgument, "ref is NULL").into();
        }
        // SAFETY: checked non-null.
        let r = unsafe { *ref_ };
        if r.type_id() != core::REF_TYPE_NULL && r.type_id() != type_ {
            return iree_err!(InvalidArgument, "source ref type mismatch").into();
        }
        // SAFETY: forwarded.
        unsafe { iree_vm_ref_retain_or_move(is_move, ref_, out_ref) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_release(ref_: *mut iree_vm_ref_t) {
    ffi_boundary! {
        // SAFETY: NULL or a valid ref owning its reference.
        if let Some(r) = unsafe { ref_.as_mut() } {
            // SAFETY: as above.
            unsafe { core::raw_release(r) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_assign(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary! {
        if ref_.is_null() || out_ref.is_null() || ref_ == out_ref {
            return;
        }
        // SAFETY: both valid; `out_ref` owns its old value.
        unsafe { store(out_ref, *ref_) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_move(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary! {
        if ref_.is_null() || out_ref.is_null() || ref_ == out_ref {
            return;
        }
        // SAFETY: both valid; the reference moves from `ref_` to `out_ref`.
        unsafe {
            let value = std::mem::take(&mut *ref_);
            let old = &mut *out_ref;
            if !old.ptr.is_null() {
                core::raw_release(old);
            }
            *out_ref = value;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_is_null(ref_: *mut iree_vm_ref_t) -> bool {
    ffi_boundary! {
        // SAFETY: NULL or valid.
        unsafe { ref_.as_ref() }.is_none_or(|r| r.is_null())
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_equal(
    lhs: *mut iree_vm_ref_t,
    rhs: *mut iree_vm_ref_t,
) -> bool {
    ffi_boundary! {
        if lhs == rhs {
            return true;
        }
        // SAFETY: NULL or valid.
        match unsafe { (lhs.as_ref(), rhs.as_ref()) } {
            (Some(a), Some(b)) => a.ptr == b.ptr,
            _ => false,
        }
    }
}
