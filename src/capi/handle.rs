//! The audited conversions between C pointers and Rust references/owners.
//!
//! A C handle type `iree_foo_t` is an opaque marker; [`Castable`] names the
//! Rust type behind it and how C holds it:
//!
//! | Ownership | C holds | made by | ended by |
//! | --- | --- | --- | --- |
//! | [`Borrowed`] | a pointer it never frees through us | [`borrowed_ptr`] | nothing |
//! | [`Boxed`] | the only owner of a `Box` | [`box_into_ptr`] | [`box_from_ptr`] (`*_free`) |
//! | [`Shared`] | strong counts of an `Arc` | [`arc_into_ptr`] | [`release`] (`*_release`) |
//! | [`Counted`] | references to an object that counts itself ([`RefCounted`]: VM refs) | [`vm_ref_into_ptr`], [`borrowed_ptr`] + [`retain`] | [`release`] |
//! | [`Resource`] | references counted in the HAL object's `iree_hal_resource_t` header, owning one strong count of its `Arc` ([`HalResource`]) | [`hal_into_ptr`] | [`release`] |
//!
//! Arguments are read through [`Arg`] (made by `arg!(name)`), which
//! checks NULL with the one wording of [`null_argument`] and names the
//! argument. Every cast of a handle pointer in the crate is in this file.

use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::sync::Arc;

use crate::abi::boundary::null_argument;
use crate::abi::hal_resource::{iree_hal_resource_t, HalResource, ResourceHeader};
use crate::vm::r#ref::{RawRef, Ref, RefObject};
use crate::{iree_bail, Result};

/// C holds a plain pointer it never frees through us.
pub struct Borrowed;
/// C owns a `Box` and frees it through a `*_free`/`*_deinitialize` export.
pub struct Boxed;
/// C holds strong counts of an `Arc` (retain/release exports).
pub struct Shared;
/// C holds references to an object that carries its own count.
pub struct Counted;
/// C holds references to a HAL object, counted in its resource header
/// (see `abi::hal_resource`).
pub struct Resource;

/// Links a C handle type to the Rust type it stands for.
pub trait Castable {
    type Ownership;
    type RustType;
}

/// Objects that count their own references (VM ref targets, HAL resources).
///
/// # Safety
/// `retain`/`release` must keep the object alive while counts remain and
/// destroy it exactly once, on the last release.
pub unsafe trait RefCounted {
    /// # Safety
    /// `this` is a live object.
    unsafe fn retain(this: *mut Self);
    /// # Safety
    /// `this` is a live object; the caller gives up one reference.
    unsafe fn release(this: *mut Self);
}

/// Every VM ref target counts itself through its ref type's descriptor.
// SAFETY: `RefObject` guarantees the object is a target of its ref type,
// whose destroy callback runs once on the last release.
unsafe impl<T: RefObject> RefCounted for T {
    unsafe fn retain(this: *mut Self) {
        // SAFETY: forwarded contract.
        unsafe { T::ref_type().retain(this.cast::<c_void>()) }
    }
    unsafe fn release(this: *mut Self) {
        // SAFETY: forwarded contract.
        unsafe { T::ref_type().release(this.cast::<c_void>()) }
    }
}

/// How C's references to a handle are counted, chosen by its ownership
/// (implemented on the ownership markers so each kind has its own impl).
pub trait Counting<C> {
    /// # Safety
    /// `ptr` is non-null and holds a reference.
    unsafe fn retain_raw(ptr: *mut C);
    /// # Safety
    /// `ptr` is non-null and the caller gives up the reference it holds.
    unsafe fn release_raw(ptr: *mut C);
}

impl<C: Castable<Ownership = Shared>> Counting<C> for Shared {
    unsafe fn retain_raw(ptr: *mut C) {
        // SAFETY: the handle holds a strong count, so the allocation is live.
        unsafe { Arc::increment_strong_count(ptr.cast::<C::RustType>().cast_const()) }
    }
    unsafe fn release_raw(ptr: *mut C) {
        // SAFETY: the caller owns the count being dropped.
        unsafe { Arc::decrement_strong_count(ptr.cast::<C::RustType>().cast_const()) }
    }
}

impl<C: Castable<Ownership = Counted>> Counting<C> for Counted
where
    C::RustType: RefCounted,
{
    unsafe fn retain_raw(ptr: *mut C) {
        // SAFETY: forwarded contract.
        unsafe { C::RustType::retain(ptr.cast::<C::RustType>()) }
    }
    unsafe fn release_raw(ptr: *mut C) {
        // SAFETY: forwarded contract.
        unsafe { C::RustType::release(ptr.cast::<C::RustType>()) }
    }
}

impl<C: Castable<Ownership = Resource>> Counting<C> for Resource
where
    C::RustType: HalResource,
{
    unsafe fn retain_raw(ptr: *mut C) {
        // SAFETY: forwarded contract; every HAL handle starts with its header.
        unsafe { ResourceHeader::retain_raw(ptr.cast::<iree_hal_resource_t>()) }
    }
    unsafe fn release_raw(ptr: *mut C) {
        // SAFETY: as above.
        unsafe { ResourceHeader::release_raw(ptr.cast::<iree_hal_resource_t>()) }
    }
}

/// Runs a HAL handle's `destroy` (the `iree_hal_*_destroy` exports, which
/// implementations call once the count reached zero). NULL is ignored.
///
/// # Safety
/// A non-null `ptr` must be a live HAL resource whose last reference the
/// caller owns.
pub unsafe fn destroy<C: Castable<Ownership = Resource>>(ptr: *mut C) {
    if !ptr.is_null() {
        // SAFETY: forwarded contract.
        unsafe { ResourceHeader::destroy_raw(ptr.cast::<iree_hal_resource_t>()) }
    }
}

/// Gives C a new reference to a HAL object: its handle, the same pointer
/// for every clone of the `Arc`. The caller hands the pointer to C, which
/// releases it with the type's `*_release` (or `iree_hal_resource_release`).
pub fn hal_into_ptr<C>(object: &Arc<C::RustType>) -> *mut C
where
    C: Castable<Ownership = Resource>,
    C::RustType: HalResource,
{
    ResourceHeader::c_handle(object).cast::<C>()
}

/// The status for a HAL handle that is not one of this runtime's objects of
/// the expected type (C-implemented objects are not supported).
fn foreign_resource<C>(name: &str) -> crate::Error {
    let full = std::any::type_name::<C>();
    let c_type = full.rsplit("::").next().unwrap_or(full);
    crate::iree_err!(
        Unimplemented,
        "`{}` is not an {} made by this runtime (C-implemented HAL objects are not supported)",
        name,
        c_type
    )
}

/// Adds one reference to a [`Shared`] or [`Counted`] handle (the
/// `*_retain` exports). NULL is ignored.
///
/// # Safety
/// A non-null `ptr` must be a live handle this library handed out.
pub unsafe fn retain<C: Castable>(ptr: *mut C)
where
    C::Ownership: Counting<C>,
{
    if !ptr.is_null() {
        // SAFETY: forwarded contract.
        unsafe { C::Ownership::retain_raw(ptr) }
    }
}

/// Drops one reference to a [`Shared`] or [`Counted`] handle (the
/// `*_release` exports), destroying the object on the last one. NULL is
/// ignored.
///
/// # Safety
/// As [`retain`]; the caller gives up the reference it drops.
pub unsafe fn release<C: Castable>(ptr: *mut C)
where
    C::Ownership: Counting<C>,
{
    if !ptr.is_null() {
        // SAFETY: forwarded contract.
        unsafe { C::Ownership::release_raw(ptr) }
    }
}

/// A handle argument or out-parameter of an export, with its C name.
pub struct Arg<P> {
    ptr: P,
    name: &'static str,
}

/// `arg!(list)`: the argument `list` with its name, for [`Arg`]'s checks.
macro_rules! arg {
    ($name:ident) => {
        $crate::capi::handle::Arg::new($name, stringify!($name))
    };
}
pub(crate) use arg;

/// Raw pointers an [`Arg`] can hold.
pub trait RawPtr: Copy {
    type Target;
    fn as_mut_ptr(self) -> *mut Self::Target;
}
impl<T> RawPtr for *const T {
    type Target = T;
    fn as_mut_ptr(self) -> *mut T {
        self.cast_mut()
    }
}
impl<T> RawPtr for *mut T {
    type Target = T;
    fn as_mut_ptr(self) -> *mut T {
        self
    }
}

impl<P: RawPtr> Arg<P> {
    pub fn new(ptr: P, name: &'static str) -> Arg<P> {
        Arg { ptr, name }
    }

    fn non_null(&self) -> Result<*mut P::Target> {
        let ptr = self.ptr.as_mut_ptr();
        if ptr.is_null() {
            return Err(null_argument(self.name));
        }
        Ok(ptr)
    }

    /// The pointer itself, checked non-null (for data pointers that are
    /// not handles: byte buffers the export reads or writes).
    pub fn non_null_ptr(self) -> Result<*mut P::Target> {
        self.non_null()
    }

    /// Borrows the object behind a handle.
    ///
    /// # Safety
    /// A non-null pointer must be a live handle this library handed out,
    /// live for `'a`.
    pub unsafe fn handle<'a>(self) -> Result<&'a <P::Target as Castable>::RustType>
    where
        P::Target: Castable,
    {
        let ptr = self.non_null()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { &*ptr.cast::<<P::Target as Castable>::RustType>() })
    }

    /// Mutably borrows the object behind a boxed handle.
    ///
    /// # Safety
    /// As [`Arg::handle`], and nothing else uses the object for `'a`.
    pub unsafe fn handle_mut<'a>(self) -> Result<&'a mut <P::Target as Castable>::RustType>
    where
        P::Target: Castable<Ownership = Boxed>,
    {
        let ptr = self.non_null()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { &mut *ptr.cast::<<P::Target as Castable>::RustType>() })
    }

    /// A new `Arc` of a shared handle; C keeps its own count.
    ///
    /// # Safety
    /// As [`Arg::handle`], and the handle holds a strong count.
    pub unsafe fn shared(self) -> Result<Arc<<P::Target as Castable>::RustType>>
    where
        P::Target: Castable<Ownership = Shared>,
    {
        let ptr = self.non_null()?.cast::<<P::Target as Castable>::RustType>();
        // SAFETY: the handle holds a strong count, so the allocation is live.
        unsafe {
            Arc::increment_strong_count(ptr.cast_const());
            Ok(Arc::from_raw(ptr.cast_const()))
        }
    }

    /// A new VM ref to a counted handle's object; C keeps its own
    /// reference.
    ///
    /// # Safety
    /// As [`Arg::handle`].
    pub unsafe fn vm_ref(self) -> Result<Ref>
    where
        P::Target: Castable<Ownership = Counted>,
        <P::Target as Castable>::RustType: RefObject,
    {
        let ptr = self.non_null()?.cast::<c_void>();
        let raw = <<P::Target as Castable>::RustType as RefObject>::ref_type().raw_ref(ptr);
        // SAFETY: a live object of that ref type (forwarded contract).
        Ok(unsafe { Ref::retain_raw(&raw) })
    }

    /// Borrows the HAL object behind a handle C holds a reference on;
    /// `UNIMPLEMENTED` for an object of another type or one C implemented.
    ///
    /// # Safety
    /// A non-null pointer must be a live HAL resource, referenced for `'a`.
    pub unsafe fn hal_ref<'a>(self) -> Result<&'a <P::Target as Castable>::RustType>
    where
        P::Target: Castable<Ownership = Resource>,
        <P::Target as Castable>::RustType: HalResource,
    {
        let ptr = self.non_null()?.cast::<iree_hal_resource_t>();
        // SAFETY: forwarded contract.
        unsafe { ResourceHeader::borrow(ptr) }
            .ok_or_else(|| foreign_resource::<P::Target>(self.name))
    }

    /// A new `Arc` of the HAL object behind a handle (C keeps its own
    /// reference); `UNIMPLEMENTED` as for [`Arg::hal_ref`].
    ///
    /// # Safety
    /// As [`Arg::hal_ref`], for the duration of the call.
    pub unsafe fn hal(self) -> Result<Arc<<P::Target as Castable>::RustType>>
    where
        P::Target: Castable<Ownership = Resource>,
        <P::Target as Castable>::RustType: HalResource,
    {
        let ptr = self.non_null()?.cast::<iree_hal_resource_t>();
        // SAFETY: forwarded contract.
        unsafe { ResourceHeader::to_arc(ptr) }
            .ok_or_else(|| foreign_resource::<P::Target>(self.name))
    }

    /// Borrows a plain input struct (`const iree_vm_value_t* value`).
    ///
    /// # Safety
    /// A non-null pointer must point at a valid value, live for `'a`.
    pub unsafe fn value<'a>(self) -> Result<&'a P::Target> {
        let ptr = self.non_null()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { &*ptr })
    }

    /// Borrows an in-out struct the export reads and updates.
    ///
    /// # Safety
    /// A non-null pointer must point at a valid value nothing else uses
    /// for `'a`.
    pub unsafe fn in_out<'a>(self) -> Result<&'a mut P::Target> {
        let ptr = self.non_null()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { &mut *ptr })
    }

    /// An out-parameter the export writes (its old contents are not read).
    ///
    /// # Safety
    /// A non-null pointer must be writable for one `P::Target` for `'a`.
    pub unsafe fn out<'a>(self) -> Result<&'a mut MaybeUninit<P::Target>> {
        let ptr = self.non_null()?;
        // SAFETY: forwarded contract; MaybeUninit makes no claim on the
        // old contents.
        Ok(unsafe { &mut *ptr.cast::<MaybeUninit<P::Target>>() })
    }
}

/// Borrows the object behind a handle; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must point to a live `C::RustType` that this crate handed
/// out as a `*const C`, and must stay live for `'a`.
pub unsafe fn try_ref<'a, C: Castable>(ptr: *const C) -> Option<&'a C::RustType> {
    // SAFETY: guaranteed by the caller.
    unsafe { ptr.cast::<C::RustType>().as_ref() }
}

/// Mutably borrows the object behind a boxed handle; `None` for NULL.
///
/// # Safety
/// As [`try_ref`], and no other reference to the object may exist for `'a`.
pub unsafe fn try_mut<'a, C: Castable<Ownership = Boxed>>(
    ptr: *mut C,
) -> Option<&'a mut C::RustType> {
    // SAFETY: guaranteed by the caller.
    unsafe { ptr.cast::<C::RustType>().as_mut() }
}

/// The handle of an object C borrows (or, for [`Counted`] objects, is
/// about to [`retain`]).
pub fn borrowed_ptr<C: Castable>(object: &C::RustType) -> *mut C {
    (object as *const C::RustType).cast_mut().cast::<C>()
}

/// Hands a boxed object to C.
pub fn box_into_ptr<C: Castable<Ownership = Boxed>>(value: C::RustType) -> *mut C {
    Box::into_raw(Box::new(value)).cast::<C>()
}

/// Takes a boxed object back from C; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must come from [`box_into_ptr`] and not be used again.
pub unsafe fn box_from_ptr<C: Castable<Ownership = Boxed>>(
    ptr: *mut C,
) -> Option<Box<C::RustType>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    Some(unsafe { Box::from_raw(ptr.cast::<C::RustType>()) })
}

/// Hands one strong count of an `Arc` to C.
pub fn arc_into_ptr<C: Castable<Ownership = Shared>>(value: Arc<C::RustType>) -> *mut C {
    Arc::into_raw(value).cast_mut().cast::<C>()
}

/// Gets a new `Arc` from a handle without consuming C's count; `None` for NULL.
///
/// # Safety
/// A non-null `ptr` must come from [`arc_into_ptr`] and still hold a count.
pub unsafe fn arc_clone_from_ptr<C: Castable<Ownership = Shared>>(
    ptr: *const C,
) -> Option<Arc<C::RustType>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: forwarded contract.
    unsafe { Arg::new(ptr, "handle").shared() }.ok()
}

/// Adds a strong count (older name of [`retain`]).
///
/// # Safety
/// As [`retain`].
pub unsafe fn arc_retain<C: Castable<Ownership = Shared>>(ptr: *const C) {
    // SAFETY: forwarded contract.
    unsafe { retain(ptr.cast_mut()) }
}

/// Drops a strong count (older name of [`release`]).
///
/// # Safety
/// As [`release`].
pub unsafe fn arc_release<C: Castable<Ownership = Shared>>(ptr: *const C) {
    // SAFETY: forwarded contract.
    unsafe { release(ptr.cast_mut()) }
}

/// Hands the reference `r` owns to C as a handle of its type.
pub fn vm_ref_into_ptr<C>(r: Ref) -> Result<*mut C>
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    let expected = <C::RustType as RefObject>::ref_type().id();
    if r.is_null() || r.type_id() != expected {
        iree_bail!(
            Internal,
            "ref of type {} is not a handle of type {expected}",
            r.type_id()
        );
    }
    Ok(r.into_raw().ptr.cast::<C>())
}

/// The handle a raw VM ref points at, if it is one of `C`'s type (the
/// reference stays with the ref).
pub fn vm_ref_as_ptr<C>(r: &RawRef) -> Option<*mut C>
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    let expected = <C::RustType as RefObject>::ref_type().id();
    (!r.is_null() && r.type_id() == expected).then(|| r.ptr.cast::<C>())
}

/// A raw VM ref to a counted handle's object: with a new reference when
/// `retain`, else taking over the one C gives up (`*_move_ref`). NULL
/// gives the null ref.
///
/// # Safety
/// A non-null `ptr` must be a live handle; without `retain`, the caller
/// must own the reference the ref takes over.
pub unsafe fn vm_ref_of<C>(ptr: *mut C, retain: bool) -> RawRef
where
    C: Castable<Ownership = Counted>,
    C::RustType: RefObject,
{
    if ptr.is_null() {
        return RawRef::NULL;
    }
    let ref_type = <C::RustType as RefObject>::ref_type();
    if retain {
        // SAFETY: forwarded contract.
        unsafe { ref_type.retain(ptr.cast::<c_void>()) };
    }
    ref_type.raw_ref(ptr.cast::<c_void>())
}

/// Drops, where it lies, an object C built in its own storage
/// (`*_initialize` / `*_deinitialize` pairs).
///
/// # Safety
/// A non-null `ptr` must be such an object, not used again afterwards.
pub unsafe fn drop_in_place<C: Castable<Ownership = Counted>>(ptr: *mut C) {
    if !ptr.is_null() {
        // SAFETY: forwarded contract.
        unsafe { std::ptr::drop_in_place(ptr.cast::<C::RustType>()) }
    }
}

/// The handle of an object built in caller storage (`*_initialize`).
pub fn in_place_ptr<C: Castable<Ownership = Counted>>(object: *mut C::RustType) -> *mut C {
    object.cast::<C>()
}
