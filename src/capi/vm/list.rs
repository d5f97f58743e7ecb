//! `iree/vm/list.h`.
//!
//! A list is a ref-counted VM object (`vm.list`). `iree_vm_list_create`
//! gives the caller one reference, released with `iree_vm_list_release`;
//! lists made in caller storage by `iree_vm_list_initialize` are ended by
//! `iree_vm_list_deinitialize`. Reading a ref element either lends it
//! (`*_assign`, `*_deref`: valid while the list holds it) or hands the
//! caller a new reference (`*_retain`, `*_move`).

use std::ffi::c_void;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::iree_err;
use crate::vm::list::List;
use crate::vm::r#ref::{self as refs, Ref};
use crate::vm::value::{TypeDef, Value, ValueRaw, ValueType, Variant, VariantRaw};
use crate::Result;

fn element_type_of(element_type: *const iree_vm_type_def_t) -> Option<TypeDef> {
    // SAFETY: NULL or a valid type def (API contract).
    unsafe { element_type.as_ref() }.copied()
}

/// Bytes of storage `iree_vm_list_initialize` needs (the same for every
/// element type and capacity: elements live on the Rust heap).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_storage_size(
    _element_type: *const iree_vm_type_def_t,
    _capacity: iree_host_size_t,
) -> iree_host_size_t {
    ffi_boundary(|| Ok(List::storage_size()))
}

/// Builds a list inside `storage`, which the caller owns and must keep
/// live and unmoved until `iree_vm_list_deinitialize`; `element_type` is
/// copied. `*out_list` points into `storage` (no reference to release).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_initialize(
    storage: iree_byte_span_t,
    element_type: *const iree_vm_type_def_t,
    capacity: iree_host_size_t,
    out_list: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_list = unsafe { arg!(out_list).out() }?;
        let element_type = element_type_of(element_type);
        // SAFETY: the span describes caller storage valid for the list's life.
        let list = unsafe {
            List::initialize_in(storage.data, storage.data_length, element_type, capacity)
        }?;
        out_list.write(handle::in_place_ptr(list));
        Ok(())
    })
}

/// Ends a list made by `iree_vm_list_initialize`, releasing the elements it
/// holds; the caller's storage is not freed. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_deinitialize(list: *mut iree_vm_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an in-place list the caller is done with.
        unsafe { handle::drop_in_place(list) };
        Ok(())
    })
}

/// Creates an empty list with room for `initial_capacity` elements;
/// `element_type` (NULL: any variant) is copied. The caller owns the one
/// reference in `*out_list` and releases it with `iree_vm_list_release`.
/// `allocator` is kept by the list.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_create(
    element_type: *const iree_vm_type_def_t,
    initial_capacity: iree_host_size_t,
    allocator: iree_allocator_t,
    out_list: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_list = unsafe { arg!(out_list).out() }?;
        let list = List::create(element_type_of(element_type), initial_capacity, allocator)?;
        out_list.write(handle::vm_ref_into_ptr(list)?);
        Ok(())
    })
}

/// Adds a reference to `list`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_retain(list: *mut iree_vm_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list (API contract).
        unsafe { handle::retain(list) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `list`; the last one frees
/// the list and releases its elements. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_release(list: *mut iree_vm_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list whose reference the caller gives up.
        unsafe { handle::release(list) };
        Ok(())
    })
}

/// Copies the list's element type into `*out_element_type`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_element_type(
    list: *const iree_vm_list_t,
    out_element_type: *mut iree_vm_type_def_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or the caller's slot (API contract).
        let (list, out) = unsafe { (arg!(list).handle()?, arg!(out_element_type).out()?) };
        out.write(list.element_type());
        Ok(())
    })
}

/// Elements the list can hold without growing (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_capacity(list: *const iree_vm_list_t) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list (API contract).
        Ok(unsafe { arg!(list).handle() }?.capacity())
    })
}

/// Grows the capacity to at least `minimum_capacity` elements.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_reserve(
    list: *mut iree_vm_list_t,
    minimum_capacity: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list (API contract).
        unsafe { arg!(list).handle() }?.reserve(minimum_capacity)
    })
}

/// Elements in the list (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_size(list: *const iree_vm_list_t) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list (API contract).
        Ok(unsafe { arg!(list).handle() }?.size())
    })
}

/// Sets the size: new elements are empty, dropped ones are released.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_resize(
    list: *mut iree_vm_list_t,
    new_size: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list (API contract).
        unsafe { arg!(list).handle() }?.resize(new_size)
    })
}

/// # Safety
/// `list` NULL or live; `out_value` NULL or writable.
unsafe fn get_value_into(
    list: *const iree_vm_list_t,
    i: usize,
    as_type: Option<ValueType>,
    out_value: *mut iree_vm_value_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let (list, out_value) = unsafe { (arg!(list).handle()?, arg!(out_value).out()?) };
    out_value.write(ValueRaw::from_value(Some(list.get_value(i, as_type)?)));
    Ok(())
}

/// Copies the value at `i` into `*out_value` (values are plain data).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_value(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_value_t,
) -> iree_status_t {
    // SAFETY: forwarded contract.
    ffi_boundary(|| unsafe { get_value_into(list, i, None, out_value) })
}

/// Copies the value at `i`, converted to `value_type`, into `*out_value`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_value_as(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    value_type: iree_vm_value_type_t,
    out_value: *mut iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let value_type = ValueType::from_raw(value_type)
            .ok_or_else(|| iree_err!(InvalidArgument, "invalid value type {}", value_type))?;
        // SAFETY: forwarded contract.
        unsafe { get_value_into(list, i, Some(value_type), out_value) }
    })
}

/// # Safety
/// `value` NULL or a valid value.
unsafe fn read_value(value: *const iree_vm_value_t) -> Result<Value> {
    // SAFETY: forwarded contract.
    let value = unsafe { arg!(value).value() }?;
    value
        .to_value()
        .ok_or_else(|| iree_err!(InvalidArgument, "value has no valid type ({})", value.type_))
}

/// Stores a copy of `*value` at `i`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_value(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or a valid value (API contract).
        let (list, value) = unsafe { (arg!(list).handle()?, read_value(value)?) };
        list.set_value(i, value)
    })
}

/// Appends a copy of `*value`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_value(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_value_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or a valid value (API contract).
        let (list, value) = unsafe { (arg!(list).handle()?, read_value(value)?) };
        list.push_value(value)
    })
}

/// The object of the ref at `i` if it has `type_descriptor`'s type, else
/// NULL. Borrowed: valid while the list holds that ref.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_deref(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    type_descriptor: *const iree_vm_ref_type_descriptor_t,
) -> *mut c_void {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or a registered descriptor.
        let (list, descriptor) = unsafe { (arg!(list).handle()?, arg!(type_descriptor).value()?) };
        let element = list.get_ref(i)?;
        // The list keeps the object alive; the pointer is borrowed.
        if element.is_null() || element.type_id() != descriptor.type_id() {
            return Ok(std::ptr::null_mut());
        }
        Ok(element.ptr())
    })
}

/// Writes `r` into `*out_value` as `iree_vm_ref_retain`/`assign` would:
/// with `retain` the caller gets `r`'s reference, else a borrowed copy.
///
/// # Safety
/// `out_value` NULL or a valid ref that owns its old value (or is null).
unsafe fn store_ref(out_value: *mut iree_vm_ref_t, r: Ref, retain: bool) -> Result<()> {
    // SAFETY: forwarded contract.
    let out = unsafe { arg!(out_value).in_out() }?;
    let raw = if retain {
        r.into_raw()
    } else {
        // Borrowed: the list still holds a reference.
        *r.as_raw()
    };
    if !out.ptr.is_null() && (retain || out.ptr != raw.ptr) {
        // SAFETY: the old value owned a reference.
        unsafe { refs::raw_release(out) };
    }
    *out = raw;
    Ok(())
}

/// Lends the ref at `i` into `*out_value` (no new reference: valid while
/// the list holds it), releasing what `*out_value` held unless it is the
/// same object.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_assign(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; `out_value` NULL or a valid ref.
        unsafe { store_ref(out_value, arg!(list).handle()?.get_ref(i)?, false) }
    })
}

/// Puts a new reference to the ref at `i` into `*out_value` (the caller
/// owns it), releasing what `*out_value` held.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_ref_retain(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; `out_value` NULL or a valid ref.
        unsafe { store_ref(out_value, arg!(list).handle()?.get_ref(i)?, true) }
    })
}

/// How a ref argument is stored into a list.
#[derive(Clone, Copy)]
enum RefStore {
    /// The list takes a new reference; the caller keeps its own.
    Retain,
    /// The list takes the caller's reference; `*value` is reset to null.
    Move,
}

/// # Safety
/// `list` NULL or live; `value` NULL or a valid ref (owning its reference
/// for `RefStore::Move`).
unsafe fn store_into_list(
    list: *mut iree_vm_list_t,
    index: Option<usize>,
    value: *mut iree_vm_ref_t,
    how: RefStore,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let (list, value) = unsafe { (arg!(list).handle()?, arg!(value).in_out()?) };
    let i = match index {
        Some(i) => i,
        None => {
            let n = list.size();
            list.resize(n + 1)?;
            n
        }
    };
    if let Err(e) = list.check_ref_store(i, value.type_id()) {
        if index.is_none() {
            list.resize(i)?;
        }
        return Err(e);
    }
    let owned = match how {
        // SAFETY: the caller hands its reference over; the source is reset.
        RefStore::Move => unsafe { Ref::from_raw(std::mem::take(value)) },
        // SAFETY: the ref is live (API contract).
        RefStore::Retain => unsafe { Ref::retain_raw(value) },
    };
    list.set_ref(i, owned)
}

/// Stores a new reference to `*value` at `i`; the caller keeps its own.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_ref_retain(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded contract; retaining does not modify `*value`.
    ffi_boundary(|| unsafe { store_into_list(list, Some(i), value.cast_mut(), RefStore::Retain) })
}

/// Appends a new reference to `*value`; the caller keeps its own.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_ref_retain(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded contract; retaining does not modify `*value`.
    ffi_boundary(|| unsafe { store_into_list(list, None, value.cast_mut(), RefStore::Retain) })
}

/// Moves the caller's reference in `*value` to index `i`; `*value` is
/// reset to null.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_ref_move(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *mut iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded contract.
    ffi_boundary(|| unsafe { store_into_list(list, Some(i), value, RefStore::Move) })
}

/// Appends the caller's reference in `*value`; `*value` is reset to null.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_ref_move(
    list: *mut iree_vm_list_t,
    value: *mut iree_vm_ref_t,
) -> iree_status_t {
    // SAFETY: forwarded contract.
    ffi_boundary(|| unsafe { store_into_list(list, None, value, RefStore::Move) })
}

/// Removes the first element and moves its reference into `*out_value`
/// (the caller owns it), releasing what `*out_value` held.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_pop_front_ref_move(
    list: *mut iree_vm_list_t,
    out_value: *mut iree_vm_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; `out_value` NULL or a valid ref.
        unsafe { store_ref(out_value, arg!(list).handle()?.pop_front_ref()?, true) }
    })
}

/// Copies the element at `i` into `*out_value`. A ref element of a
/// ref-typed list comes with a new reference the caller owns; one of a
/// variant list is lent (valid while the list holds it).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_get_variant(
    list: *const iree_vm_list_t,
    i: iree_host_size_t,
    out_value: *mut iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or the caller's slot.
        let (list, out_value) = unsafe { (arg!(list).handle()?, arg!(out_value).out()?) };
        out_value.write(match list.get_variant(i)? {
            Variant::Empty => VariantRaw::default(),
            Variant::Value(v) => VariantRaw {
                type_: TypeDef::value(v.value_type()),
                storage: [v.bits(), 0],
            },
            Variant::Ref(r) if list.element_type().is_ref() => {
                VariantRaw::from_ref_raw(r.into_raw())
            }
            // Lent: the list keeps its reference alive.
            Variant::Ref(r) => VariantRaw::from_ref_raw(*r.as_raw()),
        });
        Ok(())
    })
}

/// # Safety
/// `value` NULL or a valid variant.
unsafe fn read_variant(value: *const iree_vm_variant_t) -> Result<Variant> {
    // SAFETY: forwarded contract.
    let v = unsafe { arg!(value).value() }?;
    Ok(if v.type_.is_ref() {
        // SAFETY: a ref variant references a live object; we take our own.
        Variant::Ref(unsafe { Ref::retain_raw(&v.ref_raw()) })
    } else if v.type_.is_value() {
        Value::from_bits(v.type_.value_type(), v.storage[0]).map_or(Variant::Empty, Variant::Value)
    } else {
        Variant::Empty
    })
}

/// Stores a copy of `*value` at `i` (a ref gets a new reference; the caller
/// keeps its own).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_set_variant(
    list: *mut iree_vm_list_t,
    i: iree_host_size_t,
    value: *const iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or a valid variant.
        let (list, value) = unsafe { (arg!(list).handle()?, read_variant(value)?) };
        list.set_variant(i, value)
    })
}

/// Appends a copy of `*value` (a ref gets a new reference; the caller keeps
/// its own).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_push_variant(
    list: *mut iree_vm_list_t,
    value: *const iree_vm_variant_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live list; NULL or a valid variant.
        let (list, value) = unsafe { (arg!(list).handle()?, read_variant(value)?) };
        list.push_variant(value)
    })
}

// Type adapters (IREE_VM_DECLARE_TYPE_ADAPTERS(iree_vm_list, iree_vm_list_t)).

/// A ref to `value` holding a new reference (the caller owns it; `value`
/// keeps its own). NULL gives the null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_retain_ref(value: *mut iree_vm_list_t) -> iree_vm_ref_t {
    // SAFETY: NULL or a live list (API contract).
    ffi_boundary(|| Ok(unsafe { handle::vm_ref_of(value, true) }))
}

/// A ref to `value` that takes over the caller's reference. NULL gives the
/// null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_move_ref(value: *mut iree_vm_list_t) -> iree_vm_ref_t {
    // SAFETY: NULL or a live list whose reference the caller hands over.
    ffi_boundary(|| Ok(unsafe { handle::vm_ref_of(value, false) }))
}

/// The list `ref_` points at, or NULL when it is not a list. Borrowed:
/// valid while `ref_` holds its reference.
#[no_mangle]
pub extern "C" fn iree_vm_list_deref(ref_: iree_vm_ref_t) -> *mut iree_vm_list_t {
    ffi_boundary(|| Ok(handle::vm_ref_as_ptr(&ref_).unwrap_or(std::ptr::null_mut())))
}

/// As `iree_vm_list_deref`, failing with INVALID_ARGUMENT for a null ref or
/// one of another type. `*out_ptr` is borrowed like `iree_vm_list_deref`'s.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_list_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary(|| {
        refs::check(&ref_, crate::vm::list::type_id())?;
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_ptr = unsafe { arg!(out_ptr).out() }?;
        out_ptr.write(handle::vm_ref_as_ptr(&ref_).unwrap_or(std::ptr::null_mut()));
        Ok(())
    })
}

/// The `vm.list` type descriptor (static; registered on first use).
#[no_mangle]
pub extern "C" fn iree_vm_list_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary(|| Ok(crate::vm::list::descriptor()))
}

/// The `vm.list` ref type id (registered on first use).
#[no_mangle]
pub extern "C" fn iree_vm_list_type_id() -> iree_vm_ref_type_t {
    ffi_boundary(|| Ok(crate::vm::list::type_id()))
}
