//! `iree/vm/list.h`.

use std::ffi::c_void;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::handle;
use crate::vm::list::List;
use crate::vm::r#ref::{self as core, RawRef, Ref};
use crate::vm::value::{TypeDef, ValueRaw, ValueType, Variant, VariantRaw};
use crate::{iree_err, Result};

/// Borrows a list handle or fails with INVALID_ARGUMENT.
///
/// # Safety
/// A non-null `list` must be a live list made by this library.
unsafe fn list_ref<'a>(list: *const iree_vm_list_t) -> Result<&'a List> {
    // SAFETY: forwarded contract.
    unsafe { handle::try_ref(list) }.ok_or_else(|| iree_err!(InvalidArgument, "list is NULL"))
}

fn element_type_of(element_type: *const iree_vm_type_def_t) -> Option<TypeDef> {
    // SAFETY: NULL or a valid type def (API contract).
    unsafe { element_type.as_ref() }.copied()
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_storage_size(
    _element_type: *const iree_vm_type_def_t,
    _capacity: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary! { List::storage_size() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_initialize(
    storage: iree_byte_span_t,
    element_type: *const iree_vm_type_def_t,
    capacity: iree_host_size_t,
    out_list: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_list.is_null() {
            return iree_err!(InvalidArgument, "out_list is NULL").into();
        }
        // SAFETY: the span describes caller storage valid for the list's life.
        match unsafe { List::initialize_in(storage.data, storage.data_length, element_type_of(element_type), capacity) } {
            Ok(list) => {
                // SAFETY: checked non-null.
                unsafe { *out_list = list as *mut iree_vm_list_t };
                iree_status_t::OK
            }
            Err(e) => e.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_deinitialize(list: *mut iree_vm_list_t) {
    ffi_boundary! {
        if list.is_null() {
            return;
        }
        // SAFETY: an in-place list made by iree_vm_list_initialize; the
        // caller is done with it, so it is dropped where it lies.
        unsafe { std::ptr::drop_in_place(list as *mut List) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_create(
    element_type: *const iree_vm_type_def_t,
    initial_capacity: iree_host_size_t,
    allocator: iree_allocator_t,
    out_list: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_list.is_null() {
            return iree_err!(InvalidArgument, "out_list is NULL").into();
        }
        match List::create(element_type_of(element_type), initial_capacity, allocator) {
            Ok(r) => {
                // SAFETY: checked non-null; the caller takes our reference.
                unsafe { *out_list = r.into_raw().ptr as *mut iree_vm_list_t };
                iree_status_t::OK
            }
            Err(e) => e.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_retain(list: *mut iree_vm_list_t) {
    ffi_boundary! {
        // SAFETY: NULL or a live list.
        unsafe { core::retain_object(list as *mut c_void, 0) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_release(list: *mut iree_vm_list_t) {
    ffi_boundary! {
        // SAFETY: NULL or a live list; the caller gives up a reference.
        unsafe { core::release_object(list as *mut c_void, 0, core::lookup_type(crate::vm::list::type_id())) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_element_type(
    list: *const iree_vm_list_t,
    out_element_type: *mut iree_vm_type_def_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        let list = match unsafe { list_ref(list) } { Ok(l) => l, Err(e) => return e.into() };
        // SAFETY: NULL or valid out-pointer.
        match unsafe { out_element_type.as_mut() } {
            Some(out) => { *out = list.element_type(); iree_status_t::OK }
            None => iree_err!(InvalidArgument, "out_element_type is NULL").into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_capacity(list: *const iree_vm_list_t) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        unsafe { list_ref(list) }.map_or(0, |l| l.capacity())
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_reserve(
    list: *mut iree_vm_list_t,
    minimum_capacity: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        unsafe { list_ref(list) }.and_then(|l| l.reserve(minimum_capacity)).into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_size(list: *const iree_vm_list_t) -> iree_host_size_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        unsafe { list_ref(list) }.map_or(0, |l| l.size())
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_resize(
    list: *mut iree_vm_list_t,
    new_size: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        unsafe { list_ref(list) }.and_then(|l| l.resize(new_size)).into()
    }
}

unsafe fn get_value_impl(
    list: *const iree_vm_list_t,
    i: usize,
    as_type: Option<ValueType>,
    out_value: *mut iree_vm_value_t,
) -> Result<()> {
    // SAFETY: handle contract.
    let list = unsafe { list_ref(list) }?;
    // SAFETY: NULL or valid.
    let out = unsafe { out_value.as_mut() }
        .ok_or_else(|| iree_err!(InvalidArgument, "out_value is NULL"))?;
    *out = ValueRaw::from_value(Some(list.get_value(i, as_type)?));
    Ok(())
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_value(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_value_t,
) -> iree_status_t {
    // SAFETY: forwarded.
    ffi_boundary! { unsafe { get_value_impl(list, i, None, out_value) }.into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_value_as(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    value_type: iree_vm_value_type_t,
    out_value: *mut iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary! {
        let Some(t) = ValueType::from_raw(value_type) else {
            return iree_err!(InvalidArgument, "invalid value type {}", value_type).into();
        };
        // SAFETY: forwarded.
        unsafe { get_value_impl(list, i, Some(t), out_value) }.into()
    }
}

fn read_value(value: *const iree_vm_value_t) -> Result<crate::vm::value::Value> {
    // SAFETY: NULL or valid (API contract).
    let v = unsafe { value.as_ref() }.ok_or_else(|| iree_err!(InvalidArgument, "value is NULL"))?;
    v.to_value()
        .ok_or_else(|| iree_err!(InvalidArgument, "value has no valid type ({})", v.type_))
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_value(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        (|| unsafe { list_ref(list) }?.set_value(i, read_value(value)?))().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_value(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        (|| unsafe { list_ref(list) }?.push_value(read_value(value)?))().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_deref(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) -> *mut c_void {
    ffi_boundary! {
        // SAFETY: handle contract; descriptor NULL or registered.
        let (Ok(list), Some(d)) = (unsafe { list_ref(list) }, unsafe { type_descriptor.as_ref() }) else {
            return std::ptr::null_mut();
        };
        match list.get_ref(i) {
            // The list keeps the object alive; the pointer is borrowed.
            Ok(r) if r.type_id() == d.type_id() && !r.is_null() => r.ptr(),
            _ => std::ptr::null_mut(),
        }
    }
}

/// Writes `r` into `*out` as `iree_vm_ref_retain`/`assign` would.
unsafe fn store_ref(out: *mut iree_vm_ref_t, r: Ref, retain: bool) -> Result<()> {
    // SAFETY: NULL or valid; the old value owns its reference.
    let out =
        unsafe { out.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_value is NULL"))?;
    let raw = if retain {
        r.into_raw()
    } else {
        // Borrowed: the list still holds a reference.
        let raw = *r.as_raw();
        drop(r);
        raw
    };
    if !out.ptr.is_null() && (retain || out.ptr != raw.ptr) {
        // SAFETY: the old value owned a reference.
        unsafe { core::raw_release(out) };
    }
    *out = raw;
    Ok(())
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_assign(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract; out-pointer validated in store_ref.
        (|| unsafe { store_ref(out_value, list_ref(list)?.get_ref(i)?, false) })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_retain(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: as above.
        (|| unsafe { store_ref(out_value, list_ref(list)?.get_ref(i)?, true) })().into()
    }
}

unsafe fn set_ref_impl(
    list: *mut iree_vm_list_t,
    i: usize,
    value: *mut iree_vm_ref_t,
    is_move: bool,
    push: bool,
) -> Result<()> {
    // SAFETY: handle contract.
    let list = unsafe { list_ref(list) }?;
    // SAFETY: NULL or valid.
    let v = unsafe { value.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "value is NULL"))?;
    let i = if push {
        let n = list.size();
        list.resize(n + 1)?;
        n
    } else {
        i
    };
    if let Err(e) = list.check_ref_store(i, v.type_id()) {
        if push {
            list.resize(i)?;
        }
        return Err(e);
    }
    let owned = if is_move {
        // SAFETY: the caller hands its reference over; the source is reset.
        unsafe { Ref::from_raw(std::mem::take(v)) }
    } else {
        // SAFETY: the ref is live (API contract).
        unsafe { Ref::retain_raw(v) }
    };
    list.set_ref(i, owned)
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_ref_retain(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: retaining does not modify `value`.
    ffi_boundary! { unsafe { set_ref_impl(list, i, value as *mut _, false, false) }.into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_ref_retain(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: as above.
    ffi_boundary! { unsafe { set_ref_impl(list, 0, value as *mut _, false, true) }.into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_ref_move(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *mut iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded.
    ffi_boundary! { unsafe { set_ref_impl(list, i, value, true, false) }.into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_ref_move(
    list: *mut iree_vm_list_t,
    value: *mut iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded.
    ffi_boundary! { unsafe { set_ref_impl(list, 0, value, true, true) }.into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_pop_front_ref_move(
    list: *mut iree_vm_list_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract; out-pointer validated in store_ref.
        (|| unsafe { store_ref(out_value, list_ref(list)?.pop_front_ref()?, true) })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_variant(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: handle contract.
            let list = unsafe { list_ref(list) }?;
            // SAFETY: NULL or valid.
            let out = unsafe { out_value.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_value is NULL"))?;
            *out = match list.get_variant(i)? {
                Variant::Empty => VariantRaw::default(),
                Variant::Value(v) => VariantRaw {
                    type_: TypeDef::value(v.value_type()),
                    storage: [v.bits(), 0],
                },
                Variant::Ref(r) => {
                    // Ref-typed lists hand out a new reference; variant lists
                    // lend theirs (the list keeps it alive).
                    let raw = if list.element_type().is_ref() {
                        r.into_raw()
                    } else {
                        let raw = *r.as_raw();
                        drop(r);
                        raw
                    };
                    VariantRaw::from_ref_raw(raw)
                }
            };
            Ok(())
        })().into()
    }
}

fn read_variant(value: *const iree_vm_variant_t) -> Result<Variant> {
    // SAFETY: NULL or valid.
    let v = unsafe { value.as_ref() }.ok_or_else(|| iree_err!(InvalidArgument, "value is NULL"))?;
    Ok(if v.type_.is_ref() {
        // SAFETY: a ref variant references a live object; we take our own.
        Variant::Ref(unsafe { Ref::retain_raw(&v.ref_raw()) })
    } else if v.type_.is_value() {
        crate::vm::value::Value::from_bits(v.type_.value_type(), v.storage[0])
            .map_or(Variant::Empty, Variant::Value)
    } else {
        Variant::Empty
    })
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_variant(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        (|| unsafe { list_ref(list) }?.set_variant(i, read_variant(value)?))().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_variant(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        (|| unsafe { list_ref(list) }?.push_variant(read_variant(value)?))().into()
    }
}

// Type adapters (IREE_VM_DECLARE_TYPE_ADAPTERS(iree_vm_list, iree_vm_list_t)).

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_retain_ref(value: *mut iree_vm_list_t) -> iree_vm_ref_t {
    ffi_boundary! {
        // SAFETY: NULL or a live list.
        unsafe { core::retain_object(value as *mut c_void, 0) };
        RawRef::new(value as *mut c_void, 0, crate::vm::list::type_id())
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_move_ref(value: *mut iree_vm_list_t) -> iree_vm_ref_t {
    ffi_boundary! { RawRef::new(value as *mut c_void, 0, crate::vm::list::type_id()) }
}

#[no_mangle]
pub extern "C" fn iree_vm_list_deref(ref_: iree_vm_ref_t) -> *mut iree_vm_list_t {
    ffi_boundary! {
        if ref_.type_id() == crate::vm::list::type_id() { ref_.ptr as *mut iree_vm_list_t } else { std::ptr::null_mut() }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary! {
        if let Err(e) = core::check(&ref_, crate::vm::list::type_id()) {
            return e.into();
        }
        // SAFETY: NULL or valid out-pointer.
        match unsafe { out_ptr.as_mut() } {
            Some(out) => { *out = ref_.ptr as *mut iree_vm_list_t; iree_status_t::OK }
            None => iree_err!(InvalidArgument, "out_ptr is NULL").into(),
        }
    }
}

#[no_mangle]
pub extern "C" fn iree_vm_list_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary! { crate::vm::list::descriptor() }
}

#[no_mangle]
pub extern "C" fn iree_vm_list_type_id() -> iree_vm_ref_type_t {
    ffi_boundary! { crate::vm::list::type_id() }
}
