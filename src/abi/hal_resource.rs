//! `iree_hal_resource_t`: the header every HAL object C sees starts with,
//! and how C's references in it relate to the core's `Arc`s.
//!
//! A core HAL object is `#[repr(C)]` with a [`ResourceHeader`] as its first
//! field and lives in an `Arc`. Its C handle is `Arc::as_ptr`, so every
//! clone of the `Arc` gives C the same pointer. The header's count holds
//! only C's references, which together own one strong count of the `Arc`:
//! the first C reference (0 -> 1, made only by Rust code that holds an
//! `Arc` itself) adds that strong count, the last C release (1 -> 0, by an
//! export or C's inline `iree_hal_resource_release`) drops it through the
//! vtable's `destroy`. C's retain is a plain increment, legal only while C
//! already holds a reference.
//!
//! Each type's vtable is a `static` made by [`hal_resource!`], so its
//! address tells this runtime's objects of that type apart from other
//! types and from objects C implemented itself.

use std::ffi::c_void;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use crate::abi::boundary::ffi_boundary;

/// The C header (`iree/hal/resource.h`): the count of C's references and
/// the object's vtable, at offset 0 of every HAL object.
/// cbindgen:ignore
#[repr(C)]
#[derive(Debug)]
pub struct iree_hal_resource_t {
    pub ref_count: AtomicI32,
    pub vtable: *const c_void,
}

/// The part of every HAL vtable C may call directly: `destroy`, run by the
/// release that drops the last C reference.
/// cbindgen:ignore
#[repr(C)]
#[derive(Debug)]
pub struct iree_hal_resource_vtable_t {
    pub destroy: Option<unsafe extern "C" fn(resource: *mut iree_hal_resource_t)>,
}

/// A core HAL object that C can hold.
///
/// # Safety
/// The type is `#[repr(C)]` with its [`ResourceHeader`] (the one
/// [`HalResource::header`] returns) as its first field, built with
/// `ResourceHeader::new::<Self>()`. Use [`hal_resource!`], which also
/// makes [`HalResource::vtable`].
pub unsafe trait HalResource: Send + Sync + Sized + 'static {
    /// The type's one vtable (a `static`, so its address is unique).
    fn vtable() -> &'static iree_hal_resource_vtable_t;
    /// The object's header.
    fn header(&self) -> &ResourceHeader;
}

/// Implements [`HalResource`] for a `#[repr(C)]` type whose first field
/// is `header: ResourceHeader`: `hal_resource!(Semaphore);`.
#[macro_export]
macro_rules! hal_resource {
    ($type:ty) => {
        const _: () = assert!(
            ::std::mem::offset_of!($type, header) == 0,
            "a HAL resource's header must be its first field"
        );
        // SAFETY: `header` is at offset 0 (checked above) of a type the
        // caller declares repr(C).
        unsafe impl $crate::abi::hal_resource::HalResource for $type {
            fn vtable() -> &'static $crate::abi::hal_resource::iree_hal_resource_vtable_t {
                static VTABLE: $crate::abi::hal_resource::iree_hal_resource_vtable_t =
                    $crate::abi::hal_resource::vtable_of::<$type>();
                &VTABLE
            }
            fn header(&self) -> &$crate::abi::hal_resource::ResourceHeader {
                &self.header
            }
        }
    };
}

/// The vtable of `T` (for [`hal_resource!`]'s static).
pub const fn vtable_of<T: HalResource>() -> iree_hal_resource_vtable_t {
    iree_hal_resource_vtable_t {
        destroy: Some(destroy_arc::<T>),
    }
}

/// `destroy` of every Rust HAL object: gives back the strong count C's
/// references owned.
unsafe extern "C" fn destroy_arc<T: HalResource>(resource: *mut iree_hal_resource_t) {
    ffi_boundary(|| {
        // SAFETY: only the last C release calls destroy, and C's references
        // own one strong count of the `Arc` whose pointer this is.
        unsafe { Arc::decrement_strong_count(resource.cast::<T>().cast_const()) };
        Ok(())
    })
}

/// The Rust side of an `iree_hal_resource_t`; the first field of every HAL
/// object C sees.
#[repr(transparent)]
#[derive(Debug)]
pub struct ResourceHeader {
    raw: iree_hal_resource_t,
}

// SAFETY: the vtable pointer names a `static` table of function pointers,
// never written; the count is atomic.
unsafe impl Send for ResourceHeader {}
// SAFETY: as above.
unsafe impl Sync for ResourceHeader {}

impl ResourceHeader {
    /// The header of a new `T`, with no C references yet.
    pub fn new<T: HalResource>() -> ResourceHeader {
        ResourceHeader {
            raw: iree_hal_resource_t {
                ref_count: AtomicI32::new(0),
                vtable: (T::vtable() as *const iree_hal_resource_vtable_t).cast(),
            },
        }
    }

    /// How many references C holds now (for tests and diagnostics).
    pub fn c_reference_count(&self) -> i32 {
        self.raw.ref_count.load(Ordering::Acquire)
    }

    /// Gives C one new reference to `object`, returning its handle (the
    /// same pointer for every clone of the `Arc`).
    pub fn c_handle<T: HalResource>(object: &Arc<T>) -> *mut iree_hal_resource_t {
        let handle = Arc::as_ptr(object).cast_mut().cast::<iree_hal_resource_t>();
        debug_assert!(
            std::ptr::eq(
                object.header(),
                handle.cast_const().cast::<ResourceHeader>()
            ),
            "HAL resource header is not the first field"
        );
        if object
            .header()
            .raw
            .ref_count
            .fetch_add(1, Ordering::Relaxed)
            == 0
        {
            // The first C reference: C's references now own a strong count.
            // SAFETY: `object` is a live Arc of this allocation.
            unsafe { Arc::increment_strong_count(Arc::as_ptr(object)) };
        }
        handle
    }

    /// Adds a reference for C (`iree_hal_*_retain`).
    ///
    /// # Safety
    /// `resource` is a live resource on which the caller holds a reference.
    pub unsafe fn retain_raw(resource: *mut iree_hal_resource_t) {
        // SAFETY: forwarded contract.
        let count = unsafe { &(*resource).ref_count };
        count.fetch_add(1, Ordering::Relaxed);
    }

    /// Drops a reference of C's (`iree_hal_*_release`), destroying the
    /// object through its vtable on the last one. Works for any resource,
    /// also one C implemented.
    ///
    /// # Safety
    /// `resource` is a live resource; the caller gives up its reference.
    pub unsafe fn release_raw(resource: *mut iree_hal_resource_t) {
        // SAFETY: forwarded contract.
        let header = unsafe { &*resource };
        if header.ref_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            // SAFETY: the count reached zero, so this call owns the object;
            // the vtable of a live resource starts with `destroy`.
            unsafe { Self::destroy_raw(resource) };
        }
    }

    /// Runs the resource's `destroy` (`iree_hal_*_destroy`).
    ///
    /// # Safety
    /// `resource` is a live resource whose last reference the caller owns.
    pub unsafe fn destroy_raw(resource: *mut iree_hal_resource_t) {
        // SAFETY: forwarded contract.
        let vtable = unsafe { (*resource).vtable.cast::<iree_hal_resource_vtable_t>() };
        // SAFETY: a resource's vtable is NULL or starts with `destroy`.
        if let Some(destroy) = unsafe { vtable.as_ref() }.and_then(|v| v.destroy) {
            // SAFETY: forwarded contract.
            unsafe { destroy(resource) };
        }
    }

    /// Whether `resource` is an object of type `T` made by this runtime.
    ///
    /// # Safety
    /// `resource` is a live resource.
    pub unsafe fn is<T: HalResource>(resource: *const iree_hal_resource_t) -> bool {
        // SAFETY: forwarded contract.
        let vtable = unsafe { (*resource).vtable };
        std::ptr::eq(
            vtable,
            (T::vtable() as *const iree_hal_resource_vtable_t).cast(),
        )
    }

    /// Borrows the `T` behind a handle C holds a reference on; `None` when
    /// it is not one of this runtime's `T`s.
    ///
    /// # Safety
    /// `resource` is a live resource that stays referenced for `'a`.
    pub unsafe fn borrow<'a, T: HalResource>(
        resource: *const iree_hal_resource_t,
    ) -> Option<&'a T> {
        // SAFETY: forwarded contract.
        if !unsafe { Self::is::<T>(resource) } {
            return None;
        }
        // SAFETY: a `T` of ours, kept alive by C's reference.
        Some(unsafe { &*resource.cast::<T>() })
    }

    /// A new `Arc` to the `T` behind a handle C holds a reference on (C
    /// keeps its reference); `None` when it is not one of this runtime's.
    ///
    /// # Safety
    /// As [`ResourceHeader::borrow`], for the duration of the call.
    pub unsafe fn to_arc<T: HalResource>(resource: *const iree_hal_resource_t) -> Option<Arc<T>> {
        // SAFETY: forwarded contract.
        if !unsafe { Self::is::<T>(resource) } {
            return None;
        }
        let object = resource.cast::<T>();
        // SAFETY: C's references own a strong count of this Arc, so the
        // allocation is live and one more count may be taken.
        unsafe {
            Arc::increment_strong_count(object);
            Some(Arc::from_raw(object))
        }
    }
}

/// One C reference to any HAL resource (also one C implemented), dropped
/// with the guard: how Rust keeps alive a resource C handed it.
#[derive(Debug)]
pub struct RetainedResource {
    resource: std::ptr::NonNull<iree_hal_resource_t>,
}

// SAFETY: the guard only moves the resource's atomic count; HAL resources
// may be released from any thread.
unsafe impl Send for RetainedResource {}
// SAFETY: as above; `&self` only reads the pointer.
unsafe impl Sync for RetainedResource {}

impl RetainedResource {
    /// Adds a reference to `resource`, owned by the guard; `None` for NULL.
    ///
    /// # Safety
    /// A non-null `resource` is live and the caller holds a reference.
    pub unsafe fn retain(resource: *mut iree_hal_resource_t) -> Option<RetainedResource> {
        let resource = std::ptr::NonNull::new(resource)?;
        // SAFETY: forwarded contract.
        unsafe { ResourceHeader::retain_raw(resource.as_ptr()) };
        Some(RetainedResource { resource })
    }

    /// A guard for `object`'s C handle, owning the C reference that
    /// [`ResourceHeader::c_handle`] takes for it.
    pub fn of<T: HalResource>(object: &Arc<T>) -> RetainedResource {
        let handle = ResourceHeader::c_handle(object);
        RetainedResource {
            // SAFETY: `c_handle` returns the `Arc::as_ptr` of a live Arc
            // (keeping its provenance over the allocation), never NULL.
            resource: unsafe { std::ptr::NonNull::new_unchecked(handle) },
        }
    }

    /// The resource (valid while the guard lives).
    pub fn as_ptr(&self) -> *mut iree_hal_resource_t {
        self.resource.as_ptr()
    }
}

impl Drop for RetainedResource {
    fn drop(&mut self) {
        // SAFETY: the guard owns the reference `retain` added.
        unsafe { ResourceHeader::release_raw(self.resource.as_ptr()) }
    }
}
