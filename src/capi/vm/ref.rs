//! `iree/vm/ref.h`: type registration and ref manipulation.
//!
//! An `iree_vm_ref_t` is a plain struct the caller owns; a non-null one
//! holds one reference to its target. Functions that store into `out_ref`
//! release what it held first. Type descriptors are the caller's: a
//! registered descriptor must stay alive for the rest of the process.

use std::ffi::c_void;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::vm::r#ref::{self as refs, RawRef};
use crate::{iree_ensure, iree_err, Result};

/// Adds a reference to the object `ptr` of the type `type_descriptor`
/// describes; the caller then owns it. NULL for either is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_object_retain(
    ptr: *mut c_void,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a registered descriptor (API contract).
        let descriptor = unsafe { arg!(type_descriptor).value() }?;
        // SAFETY: `ptr` is NULL or a live object of that type.
        unsafe { refs::retain_object(ptr, descriptor.offsetof_counter()) };
        Ok(())
    })
}

/// Gives up one of the caller's references to the object `ptr`; the last
/// one calls the descriptor's destroy function. NULL for either is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_object_release(
    ptr: *mut c_void,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a registered descriptor (API contract).
        let descriptor = unsafe { arg!(type_descriptor).value() }?;
        // SAFETY: `ptr` is NULL or a live object of that type whose
        // reference the caller gives up.
        unsafe { refs::release_object(ptr, descriptor.offsetof_counter(), Some(descriptor)) };
        Ok(())
    })
}

/// Registers `descriptor` and writes its type id into it. The registry
/// keeps the pointer, not a copy: the descriptor must stay alive (and
/// unchanged) for the rest of the process.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_register_type(
    descriptor: *mut iree_vm_ref_type_descriptor_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let descriptor = arg!(descriptor).non_null_ptr()?;
        // SAFETY: a live descriptor the caller keeps alive (API contract).
        unsafe { refs::register_type(descriptor) }?;
        Ok(())
    })
}

/// The name of a registered type, borrowed from its descriptor (valid for
/// the rest of the process); empty for an unknown type.
#[no_mangle]
pub extern "C" fn iree_vm_ref_type_name(type_: iree_vm_ref_type_t) -> iree_string_view_t {
    ffi_boundary(|| {
        let descriptor = refs::lookup_type(type_)
            .ok_or_else(|| iree_err!(NotFound, "ref type {type_} is not registered"))?;
        Ok(descriptor.type_name)
    })
}

/// The descriptor registered under `full_name` (borrowed, alive for the
/// rest of the process), or NULL. `full_name` is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_lookup_registered_type(
    full_name: iree_string_view_t,
) -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary(|| {
        // SAFETY: the caller's view is valid for the call.
        let name = unsafe { full_name.as_bytes() };
        Ok(refs::lookup_type_by_name(name).map_or(std::ptr::null(), std::ptr::from_ref))
    })
}

/// Stores `value` into `out_ref`, releasing what it held before unless it
/// is the same object.
///
/// # Safety
/// A non-null `out_ref` must own a reference to a live target.
unsafe fn store(out_ref: &mut RawRef, value: RawRef) {
    if !out_ref.is_null() && out_ref.ptr != value.ptr {
        // SAFETY: forwarded contract.
        unsafe { refs::raw_release(out_ref) };
    }
    *out_ref = value;
}

/// Stores `value` into `out_ref`, releasing what it held before.
///
/// # Safety
/// A non-null `out_ref` must own a reference to a live target.
unsafe fn replace(out_ref: &mut RawRef, value: RawRef) {
    if !out_ref.is_null() {
        // SAFETY: forwarded contract.
        unsafe { refs::raw_release(out_ref) };
    }
    *out_ref = value;
}

/// Makes `*out_ref` a ref to `ptr` of type `type_`, taking over one
/// reference the caller holds to `ptr` (the count is not changed). The
/// caller owns `*out_ref`; its old value is released.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_wrap_assign(
    ptr: *mut c_void,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref (API contract).
        let out_ref = unsafe { arg!(out_ref).in_out() }?;
        let descriptor = refs::lookup_type(type_)
            .ok_or_else(|| iree_err!(InvalidArgument, "type {type_} not registered with the VM"))?;
        // SAFETY: `out_ref` owns its old value (API contract).
        unsafe {
            store(
                out_ref,
                RawRef::new(ptr, descriptor.offsetof_counter(), type_),
            )
        };
        Ok(())
    })
}

/// As `iree_vm_ref_wrap_assign`, but adds a reference: the caller keeps
/// its own reference to `ptr` and owns the new one in `*out_ref`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_wrap_retain(
    ptr: *mut c_void,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref (API contract).
        let out_ref = unsafe { arg!(out_ref).in_out() }?;
        let descriptor = refs::lookup_type(type_)
            .ok_or_else(|| iree_err!(InvalidArgument, "type {type_} not registered with the VM"))?;
        let value = RawRef::new(ptr, descriptor.offsetof_counter(), type_);
        // SAFETY: `ptr` is NULL or a live object of that type; `out_ref`
        // owns its old value (API contract).
        unsafe {
            refs::raw_retain(&value);
            store(out_ref, value);
        }
        Ok(())
    })
}

/// Makes `*out_ref` a new reference to `*ref_`'s target (the caller owns
/// both). `out_ref`'s old value is released. NULL for either is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's refs (API contract).
        let value = *unsafe { arg!(ref_).value() }?;
        // SAFETY: as above.
        let out_ref = unsafe { arg!(out_ref).in_out() }?;
        // SAFETY: `value` references a live target (retained first, so the
        // release of the old value cannot destroy it); `out_ref` owns its
        // old value.
        unsafe {
            refs::raw_retain(&value);
            replace(out_ref, value);
        }
        Ok(())
    })
}

/// Fails unless `ref_` is null or of type `type_`.
fn check_source_type(ref_: &RawRef, type_: iree_vm_ref_type_t) -> Result<()> {
    iree_ensure!(
        ref_.type_id() == refs::REF_TYPE_NULL || ref_.type_id() == type_,
        InvalidArgument,
        "source ref type mismatch: {} is not {type_}",
        ref_.type_id()
    );
    Ok(())
}

/// As `iree_vm_ref_retain`, failing unless `*ref_` is null or of type
/// `type_`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_checked(
    ref_: *mut iree_vm_ref_t,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref (API contract).
        check_source_type(unsafe { arg!(ref_).value() }?, type_)?;
        arg!(out_ref).non_null_ptr()?;
        // SAFETY: forwarded contract.
        unsafe { iree_vm_ref_retain(ref_, out_ref) };
        Ok(())
    })
}

/// `iree_vm_ref_move` when `is_move`, else `iree_vm_ref_retain`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_or_move(
    is_move: i32,
    ref_: *mut iree_vm_ref_t,
    out_ref: *mut iree_vm_ref_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe {
            if is_move != 0 {
                iree_vm_ref_move(ref_, out_ref)
            } else {
                iree_vm_ref_retain(ref_, out_ref)
            }
        }
        Ok(())
    })
}

/// As `iree_vm_ref_retain_or_move`, failing unless `*ref_` is null or of
/// type `type_`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_retain_or_move_checked(
    is_move: i32,
    ref_: *mut iree_vm_ref_t,
    type_: iree_vm_ref_type_t,
    out_ref: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref (API contract).
        check_source_type(unsafe { arg!(ref_).value() }?, type_)?;
        arg!(out_ref).non_null_ptr()?;
        // SAFETY: forwarded contract.
        unsafe { iree_vm_ref_retain_or_move(is_move, ref_, out_ref) };
        Ok(())
    })
}

/// Gives up the reference `*ref_` holds (the last one destroys the
/// target) and leaves `*ref_` null. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_release(ref_: *mut iree_vm_ref_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref, owning its reference.
        let ref_ = unsafe { arg!(ref_).in_out() }?;
        // SAFETY: as above.
        unsafe { refs::raw_release(ref_) };
        Ok(())
    })
}

/// Copies `*ref_` into `*out_ref` without adding a reference (the caller
/// must account for the shared one). `out_ref`'s old value is released.
/// NULL for either, or the same ref twice, is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_assign(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary(|| {
        if ref_ == out_ref {
            return Ok(());
        }
        // SAFETY: NULL or the caller's distinct refs (API contract).
        let value = *unsafe { arg!(ref_).value() }?;
        // SAFETY: as above; `out_ref` owns its old value.
        unsafe { store(arg!(out_ref).in_out()?, value) };
        Ok(())
    })
}

/// Moves the reference in `*ref_` to `*out_ref` (count unchanged) and
/// leaves `*ref_` null. `out_ref`'s old value is released. NULL for either,
/// or the same ref twice, is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_move(ref_: *mut iree_vm_ref_t, out_ref: *mut iree_vm_ref_t) {
    ffi_boundary(|| {
        if ref_ == out_ref {
            return Ok(());
        }
        // SAFETY: NULL or the caller's distinct refs (API contract); both
        // are checked before either changes.
        let (ref_, out_ref) = unsafe { (arg!(ref_).in_out()?, arg!(out_ref).in_out()?) };
        // SAFETY: `out_ref` owns its old value.
        unsafe { replace(out_ref, std::mem::take(ref_)) };
        Ok(())
    })
}

/// Whether `*ref_` is null (true for a NULL pointer). Borrowed for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_is_null(ref_: *mut iree_vm_ref_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's ref (API contract).
        Ok(unsafe { ref_.as_ref() }.is_none_or(RawRef::is_null))
    })
}

/// Whether both refs point at the same target. Borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_ref_equal(
    lhs: *mut iree_vm_ref_t,
    rhs: *mut iree_vm_ref_t,
) -> bool {
    ffi_boundary(|| {
        if lhs == rhs {
            return Ok(true);
        }
        // SAFETY: NULL or the caller's refs (API contract).
        let (lhs, rhs) = unsafe { (arg!(lhs).value()?, arg!(rhs).value()?) };
        Ok(lhs.ptr == rhs.ptr)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::iree_allocator_t;
    use crate::vm::buffer::Buffer;
    use crate::StatusCode;

    fn new_buffer_ref() -> RawRef {
        Buffer::create(0, 16, iree_allocator_t::system())
            .unwrap()
            .into_raw()
    }

    fn count(r: &RawRef) -> i32 {
        // SAFETY: a live buffer ref.
        unsafe { refs::object_count(r.ptr, r.offsetof_counter()) }
    }

    #[test]
    fn retain_move_and_release_keep_counts() {
        let mut a = new_buffer_ref();
        let mut b = RawRef::NULL;
        // SAFETY: refs on this stack frame, each owning what it holds.
        unsafe {
            iree_vm_ref_retain(&mut a, &mut b);
            assert_eq!(count(&a), 2);
            // A NULL target leaves the source untouched.
            iree_vm_ref_move(&mut b, std::ptr::null_mut());
            assert!(!b.is_null());
            iree_vm_ref_move(&mut b, &mut a);
            assert!(b.is_null());
            assert_eq!(count(&a), 1);
            iree_vm_ref_release(&mut a);
            assert!(a.is_null());
        }
    }

    #[test]
    fn checked_retain_names_the_problem() {
        let mut a = new_buffer_ref();
        let mut out = RawRef::NULL;
        // SAFETY: refs on this stack frame, each owning what it holds.
        unsafe {
            let status = iree_vm_ref_retain_checked(&mut a, a.type_id() + 1, &mut out);
            assert_eq!(status.code(), StatusCode::InvalidArgument);
            let err = status.into_result().unwrap_err();
            assert!(err.to_string().contains("type mismatch"), "{err}");
            let status = iree_vm_ref_retain_checked(&mut a, a.type_id(), std::ptr::null_mut());
            let err = status.into_result().unwrap_err();
            assert!(err.to_string().contains("`out_ref` is NULL"), "{err}");
            assert_eq!(count(&a), 1);
            iree_vm_ref_release(&mut a);
        }
    }
}
