//! HAL objects as VM refs from C: the `IREE_VM_DECLARE_TYPE_ADAPTERS`
//! exports the seeds' `iree/modules/hal/module.h` declares for
//! `iree_hal_buffer` and `iree_hal_buffer_view` (`_retain_ref`, `_move_ref`,
//! `_deref`, `_check_deref`, `_get_descriptor`, `_type_id`), plus IREE
//! 3.13's `_type`, so C can put buffers and views into VM lists
//! (`iree_vm_list_push_ref_retain`) and take them out of call results.
//!
//! A HAL object's ref is one C reference counted by its resource header
//! (offset 0), the same count `iree_hal_*_retain`/`_release` use, so a ref
//! and a C handle to one object are interchangeable. Only objects this
//! runtime made can become refs: a HAL object implemented in C (its own
//! vtable) gives the null ref.

use crate::abi::hal_resource::{iree_hal_resource_t, ResourceHeader};
use crate::abi::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::iree_hal_buffer_t;
use crate::capi::hal::buffer_view::iree_hal_buffer_view_t;
use crate::capi::handle::{arg, Castable, Resource};
use crate::capi::vm::types::{iree_vm_ref_t, iree_vm_ref_type_descriptor_t, iree_vm_ref_type_t};
use crate::modules::hal::types::HalRef;
use crate::vm::r#ref::{self as refs, RawRef};
use crate::Result;

/// A ref to the HAL object `value`, adding a C reference when `retain`
/// (else taking over the caller's); the null ref for NULL or an object
/// this runtime did not make.
///
/// # Safety
/// `value` is NULL or a live HAL object of the handle's type.
unsafe fn wrap<C>(value: *mut C, retain: bool) -> Result<RawRef>
where
    C: Castable<Ownership = Resource>,
    C::RustType: HalRef,
{
    let resource = value.cast::<iree_hal_resource_t>();
    // SAFETY: NULL or a live HAL resource (forwarded contract); `borrow`
    // checks the vtable is the Rust type's before anything is read past
    // the header.
    if resource.is_null() || unsafe { ResourceHeader::borrow::<C::RustType>(resource) }.is_none() {
        return Ok(RawRef::NULL);
    }
    let ref_type = C::RustType::ref_type();
    ref_type.register()?;
    if retain {
        // SAFETY: a live resource of ours (checked above).
        unsafe { ResourceHeader::retain_raw(resource) };
    }
    Ok(ref_type.raw_ref(resource.cast()))
}

/// The object `ref_` points at when it is a ref of `C`'s type, else NULL.
fn unwrap<C>(ref_: &iree_vm_ref_t) -> *mut C
where
    C: Castable<Ownership = Resource>,
    C::RustType: HalRef,
{
    let id = C::RustType::ref_type().id();
    if ref_.ptr.is_null() || id == refs::REF_TYPE_NULL || ref_.type_id() != id {
        std::ptr::null_mut()
    } else {
        ref_.ptr.cast()
    }
}

/// `_check_deref`: as [`unwrap`], failing for a null ref or another type.
///
/// # Safety
/// `out_ptr` is NULL or the caller's pointer slot.
unsafe fn check_unwrap<C>(ref_: iree_vm_ref_t, out_ptr: *mut *mut C) -> iree_status_t
where
    C: Castable<Ownership = Resource>,
    C::RustType: HalRef,
{
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        let out_ptr = unsafe { arg!(out_ptr).out() }?;
        out_ptr.write(std::ptr::null_mut());
        refs::check(&ref_, C::RustType::ref_type().register()?)?;
        out_ptr.write(unwrap::<C>(&ref_));
        Ok(())
    })
}

/// `_get_descriptor`: the type's static descriptor (registered on first use).
fn descriptor<T: HalRef>() -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary(|| {
        Ok(T::ref_type()
            .descriptor()
            .map_or(std::ptr::null(), std::ptr::from_ref))
    })
}

/// `_type_id`: the type's id (registered on first use).
fn type_id<T: HalRef>() -> iree_vm_ref_type_t {
    ffi_boundary(|| Ok(T::ref_type().id()))
}

// iree_hal_buffer_view_t (`!hal.buffer_view`).

/// A `!hal.buffer_view` ref to `value` holding a new reference (the caller
/// owns it and ends it with `iree_vm_ref_release`; `value` keeps its own).
/// NULL, or a view this runtime did not make, gives the null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_retain_ref(
    value: *mut iree_hal_buffer_view_t,
) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer view (API contract).
    ffi_boundary(|| unsafe { wrap(value, true) })
}

/// A `!hal.buffer_view` ref that takes over the caller's reference to
/// `value`. NULL, or a view this runtime did not make, gives the null ref
/// (and the caller keeps its reference).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_move_ref(
    value: *mut iree_hal_buffer_view_t,
) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer view whose reference the caller hands over.
    ffi_boundary(|| unsafe { wrap(value, false) })
}

/// The buffer view `ref_` points at, or NULL when it is not one. Borrowed:
/// valid while `ref_` holds its reference.
#[no_mangle]
pub extern "C" fn iree_hal_buffer_view_deref(ref_: iree_vm_ref_t) -> *mut iree_hal_buffer_view_t {
    ffi_boundary(|| Ok(unwrap::<iree_hal_buffer_view_t>(&ref_)))
}

/// As `iree_hal_buffer_view_deref`, failing with INVALID_ARGUMENT for a
/// null ref or one of another type (`*out_ptr` is then NULL). `*out_ptr`
/// is borrowed like `iree_hal_buffer_view_deref`'s.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    // SAFETY: NULL or the caller's pointer slot (API contract).
    unsafe { check_unwrap(ref_, out_ptr) }
}

/// The `hal.buffer_view` type descriptor (static; registered on first use).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_view_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    descriptor::<<iree_hal_buffer_view_t as Castable>::RustType>()
}

/// The `hal.buffer_view` ref type id (registered on first use).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_view_type_id() -> iree_vm_ref_type_t {
    type_id::<<iree_hal_buffer_view_t as Castable>::RustType>()
}

/// IREE 3.13's name for `iree_hal_buffer_view_type_id` (the same id).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_view_type() -> iree_vm_ref_type_t {
    type_id::<<iree_hal_buffer_view_t as Castable>::RustType>()
}

// iree_hal_buffer_t (`!hal.buffer`).

/// A `!hal.buffer` ref to `value` holding a new reference (the caller owns
/// it and ends it with `iree_vm_ref_release`; `value` keeps its own). NULL,
/// or a buffer this runtime did not make, gives the null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_retain_ref(
    value: *mut iree_hal_buffer_t,
) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer (API contract).
    ffi_boundary(|| unsafe { wrap(value, true) })
}

/// A `!hal.buffer` ref that takes over the caller's reference to `value`.
/// NULL, or a buffer this runtime did not make, gives the null ref (and
/// the caller keeps its reference).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_move_ref(value: *mut iree_hal_buffer_t) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer whose reference the caller hands over.
    ffi_boundary(|| unsafe { wrap(value, false) })
}

/// The buffer `ref_` points at, or NULL when it is not one. Borrowed: valid
/// while `ref_` holds its reference.
#[no_mangle]
pub extern "C" fn iree_hal_buffer_deref(ref_: iree_vm_ref_t) -> *mut iree_hal_buffer_t {
    ffi_boundary(|| Ok(unwrap::<iree_hal_buffer_t>(&ref_)))
}

/// As `iree_hal_buffer_deref`, failing with INVALID_ARGUMENT for a null ref
/// or one of another type (`*out_ptr` is then NULL). `*out_ptr` is borrowed
/// like `iree_hal_buffer_deref`'s.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    // SAFETY: NULL or the caller's pointer slot (API contract).
    unsafe { check_unwrap(ref_, out_ptr) }
}

/// The `hal.buffer` type descriptor (static; registered on first use).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    descriptor::<<iree_hal_buffer_t as Castable>::RustType>()
}

/// The `hal.buffer` ref type id (registered on first use).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_type_id() -> iree_vm_ref_type_t {
    type_id::<<iree_hal_buffer_t as Castable>::RustType>()
}

/// IREE 3.13's name for `iree_hal_buffer_type_id` (the same id).
#[no_mangle]
pub extern "C" fn iree_hal_buffer_type() -> iree_vm_ref_type_t {
    type_id::<<iree_hal_buffer_t as Castable>::RustType>()
}
