//! The audited conversions between C pointers and Rust references/owners.
//!
//! A C handle type `iree_foo_t` is an opaque marker; `Castable` names the
//! Rust type behind it and how C holds it (borrowed, boxed or ref-counted).
//! Every cast of a handle pointer in the crate goes through these functions.

use std::sync::Arc;

/// C holds a plain pointer it never frees through us.
pub struct OwnershipRef;
/// C owns a `Box` and frees it through a `*_free`/`*_release` export.
pub struct OwnershipBox;
/// C holds strong counts of an `Arc` (retain/release exports).
pub struct OwnershipArc;

/// Links a C handle type to the Rust type it stands for.
pub trait Castable {
    type Ownership;
    type RustType;
}

/// Borrows the object behind a handle; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must point to a live `C::RustType` that this crate handed
/// out as a `*const C`, and must stay live for `'a`.
pub unsafe fn try_ref<'a, C: Castable>(ptr: *const C) -> Option<&'a C::RustType> {
    // SAFETY: guaranteed by the caller.
    unsafe { (ptr as *const C::RustType).as_ref() }
}

/// Mutably borrows the object behind a boxed handle; `None` for NULL.
///
/// # Safety
/// As [`try_ref`], and no other reference to the object may exist for `'a`.
pub unsafe fn try_mut<'a, C: Castable<Ownership = OwnershipBox>>(
    ptr: *mut C,
) -> Option<&'a mut C::RustType> {
    // SAFETY: guaranteed by the caller.
    unsafe { (ptr as *mut C::RustType).as_mut() }
}

/// Hands a boxed object to C.
pub fn box_into_ptr<C: Castable<Ownership = OwnershipBox>>(value: C::RustType) -> *mut C {
    Box::into_raw(Box::new(value)) as *mut C
}

/// Takes a boxed object back from C; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must come from [`box_into_ptr`] and not be used again.
pub unsafe fn box_from_ptr<C: Castable<Ownership = OwnershipBox>>(
    ptr: *mut C,
) -> Option<Box<C::RustType>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    Some(unsafe { Box::from_raw(ptr as *mut C::RustType) })
}

/// Hands one strong count of an `Arc` to C.
pub fn arc_into_ptr<C: Castable<Ownership = OwnershipArc>>(value: Arc<C::RustType>) -> *mut C {
    Arc::into_raw(value) as *mut C
}

/// Gets a new `Arc` from a handle without consuming C's count; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must come from [`arc_into_ptr`] and still hold a count.
pub unsafe fn arc_clone_from_ptr<C: Castable<Ownership = OwnershipArc>>(
    ptr: *const C,
) -> Option<Arc<C::RustType>> {
    if ptr.is_null() {
        return None;
    }
    let ptr = ptr as *const C::RustType;
    // SAFETY: the handle holds a strong count, so the allocation is live.
    unsafe {
        Arc::increment_strong_count(ptr);
        Some(Arc::from_raw(ptr))
    }
}

/// Adds a strong count (the `*_retain` exports). NULL is ignored.
///
/// # Safety
/// As [`arc_clone_from_ptr`].
pub unsafe fn arc_retain<C: Castable<Ownership = OwnershipArc>>(ptr: *const C) {
    if !ptr.is_null() {
        // SAFETY: the handle holds a strong count, so the allocation is live.
        unsafe { Arc::increment_strong_count(ptr as *const C::RustType) };
    }
}

/// Drops one strong count (the `*_release` exports). NULL is ignored.
///
/// # Safety
/// As [`arc_clone_from_ptr`]; the caller gives up the count it drops.
pub unsafe fn arc_release<C: Castable<Ownership = OwnershipArc>>(ptr: *const C) {
    if !ptr.is_null() {
        // SAFETY: the caller owns the count being dropped.
        unsafe { Arc::decrement_strong_count(ptr as *const C::RustType) };
    }
}
