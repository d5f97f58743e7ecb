//! The bodies of `IREE_VM_DECLARE_TYPE_ADAPTERS(name, T)` exports
//! (`name_retain_ref`, `_move_ref`, `_deref`, `_check_deref`,
//! `_get_descriptor`, `_type_id`), generic over the handle type so every
//! built-in ref type (`vm.list`, `vm.buffer`, HAL types next) shares them.
//! The exports themselves stay one-line functions so cbindgen sees them.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Counted};
use crate::vm::r#ref::{self as refs, RefObject};

/// `name_retain_ref`: a ref holding a new reference (the caller owns it).
///
/// # Safety
/// `value` is NULL or a live object of the handle's type.
pub unsafe fn retain_ref<C>(value: *mut C) -> iree_vm_ref_t
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { handle::vm_ref_of(value, true) }))
}

/// `name_move_ref`: a ref taking over the caller's reference.
///
/// # Safety
/// `value` is NULL or a live object whose reference the caller hands over.
pub unsafe fn move_ref<C>(value: *mut C) -> iree_vm_ref_t
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    // SAFETY: forwarded contract.
    ffi_boundary(|| Ok(unsafe { handle::vm_ref_of(value, false) }))
}

/// `name_deref`: the object `ref_` points at, or NULL for another type.
pub fn deref<C>(ref_: iree_vm_ref_t) -> *mut C
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    ffi_boundary(|| Ok(handle::vm_ref_as_ptr(&ref_).unwrap_or(std::ptr::null_mut())))
}

/// `name_check_deref`: as [`deref`], failing for a null ref or another type.
///
/// # Safety
/// `out_ptr` is NULL or the caller's pointer slot.
pub unsafe fn check_deref<C>(ref_: iree_vm_ref_t, out_ptr: *mut *mut C) -> iree_status_t
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    ffi_boundary(|| {
        refs::check(&ref_, C::RustType::ref_type().id())?;
        // SAFETY: forwarded contract.
        let out_ptr = unsafe { arg!(out_ptr).out() }?;
        out_ptr.write(handle::vm_ref_as_ptr(&ref_).unwrap_or(std::ptr::null_mut()));
        Ok(())
    })
}

/// `name_get_descriptor`: the type's static descriptor (registered on
/// first use; NULL only if the registry is full).
pub fn descriptor<T: RefObject>() -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary(|| {
        Ok(T::ref_type()
            .descriptor()
            .map_or(std::ptr::null(), std::ptr::from_ref))
    })
}

/// `name_type_id`: the type's id (registered on first use).
pub fn type_id<T: RefObject>() -> iree_vm_ref_type_t {
    ffi_boundary(|| Ok(T::ref_type().id()))
}
