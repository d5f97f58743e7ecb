//! `iree/hal/utils/resource_set.h`: sets that keep HAL resources alive.
//!
//! The C struct's layout is public (callers may read its `mru` array), so
//! the handle is [`iree_hal_resource_set_t`] itself: upstream's fields
//! first, then the core [`ResourceSet`] holding one C reference per
//! distinct resource. Any resource is accepted, also ones C implemented
//! (the set only retains and releases them). `iree_hal_resource_set_allocate`
//! gives the caller the set, freed with `iree_hal_resource_set_free`.

use std::ffi::c_void;

use crate::abi::hal_resource::{iree_hal_resource_t, RetainedResource};
use crate::abi::status::iree_status_t;
use crate::capi::base::arena::iree_arena_block_pool_t;
use crate::capi::base::string_view::iree_host_size_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::hal::resource_set::{ResourceSet, MOST_RECENT_COUNT};
use crate::Result;

/// `iree_hal_resource_set_t` (layout in `iree/hal/utils/resource_set.h`:
/// the leading fields are upstream's; the core set follows, unseen by C).
/// cbindgen:ignore
#[repr(C)]
pub struct iree_hal_resource_set_t {
    /// The most recently inserted resources, newest first; NULL past the end.
    pub mru: [*mut iree_hal_resource_t; MOST_RECENT_COUNT],
    /// The pool given at allocation (kept for C readers; memory comes from
    /// the Rust heap).
    pub block_pool: *mut iree_arena_block_pool_t,
    /// Always NULL: storage is the core set's.
    pub chunk_head: *mut c_void,
    set: ResourceSet<RetainedResource>,
}

impl Castable for iree_hal_resource_set_t {
    type Ownership = Boxed;
    type RustType = iree_hal_resource_set_t;
}

impl iree_hal_resource_set_t {
    /// Copies the core set's recent keys into the C-visible `mru`.
    fn mirror_most_recent(&mut self) {
        self.mru = [std::ptr::null_mut(); MOST_RECENT_COUNT];
        for (slot, &key) in self.mru.iter_mut().zip(self.set.most_recent()) {
            *slot = key as *mut iree_hal_resource_t;
        }
    }

    /// # Safety
    /// Each non-null pointer is a live resource the caller references.
    unsafe fn insert(&mut self, resources: &[*mut iree_hal_resource_t]) -> Result<()> {
        let result = resources
            .iter()
            .filter(|resource| !resource.is_null())
            .try_for_each(|&resource| {
                self.set.insert_with(resource as usize, || {
                    // SAFETY: a live, non-null resource (forwarded contract).
                    unsafe { RetainedResource::retain(resource) }.expect("not NULL")
                })
            });
        self.mirror_most_recent();
        result
    }
}

/// Creates an empty set; the caller owns `*out_set` and frees it with
/// `iree_hal_resource_set_free`. `block_pool` (borrowed) must not be NULL;
/// it is recorded but the set's storage comes from the Rust heap.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_resource_set_allocate(
    block_pool: *mut iree_arena_block_pool_t,
    out_set: *mut *mut iree_hal_resource_set_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_set = unsafe { arg!(out_set).out() }?;
        out_set.write(std::ptr::null_mut());
        // SAFETY: only checked for NULL, never read.
        unsafe { arg!(block_pool).value() }?;
        out_set.write(handle::box_into_ptr(iree_hal_resource_set_t {
            mru: [std::ptr::null_mut(); MOST_RECENT_COUNT],
            block_pool,
            chunk_head: std::ptr::null_mut(),
            set: ResourceSet::new(),
        }));
        Ok(())
    })
}

/// Releases every resource of `set` and frees it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_resource_set_free(set: *mut iree_hal_resource_set_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a set from allocate, not used again (API contract).
        drop(unsafe { handle::box_from_ptr(set) });
        Ok(())
    })
}

/// Releases every resource of `set`, leaving it empty (and no longer
/// frozen). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_resource_set_reset(set: *mut iree_hal_resource_set_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live set nothing else uses now (API contract).
        if let Some(set) = unsafe { handle::try_mut(set) } {
            set.set.reset();
            set.mirror_most_recent();
        }
        Ok(())
    })
}

/// Makes `set` refuse further inserts (`FAILED_PRECONDITION`) until it is
/// reset (IREE 3.x). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_resource_set_freeze(set: *mut iree_hal_resource_set_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live set nothing else uses now (API contract).
        if let Some(set) = unsafe { handle::try_mut(set) } {
            set.set.freeze();
        }
        Ok(())
    })
}

/// Retains each of the `count` resources in `resources` (an array of HAL
/// handles of any type; NULL entries are skipped), once per distinct
/// resource however often inserted, until the set is reset or freed. The
/// caller keeps its own references.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_resource_set_insert(
    set: *mut iree_hal_resource_set_t,
    count: iree_host_size_t,
    resources: *const c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live set nothing else uses now (API contract).
        let set = unsafe { arg!(set).handle_mut() }?;
        if count == 0 {
            return Ok(());
        }
        let resources = resources.cast::<*mut iree_hal_resource_t>();
        // SAFETY: NULL or `count` resource pointers (API contract).
        let first = unsafe { arg!(resources).value() }?;
        // SAFETY: as above.
        let resources = unsafe { std::slice::from_raw_parts(first, count) };
        // SAFETY: each entry is NULL or a live resource (API contract).
        unsafe { set.insert(resources) }
    })
}
