//! `iree/hal/fence.h` (IREE 3.x; not in the seeds): a set of semaphore
//! timepoints signalled, failed and waited on together.
//!
//! A fence handle is a core [`Fence`] behind its resource header; it
//! retains its semaphores. `*_create*` and `iree_hal_fence_join` give the
//! caller one reference, released with `iree_hal_fence_release`. As
//! upstream, a NULL fence means "no fencing": query, signal and wait on it
//! succeed at once and failing it only consumes the status.

use std::sync::Arc;

use super::semaphore::{failure_of, iree_hal_semaphore_t};
use crate::abi::status::iree_status_t;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::string_view::iree_host_size_t;
use crate::capi::base::time::iree_timeout_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::fence::Fence;
use crate::Result;

/// Opaque handle to a [`Fence`].
pub struct iree_hal_fence_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_fence_t {
    type Ownership = Resource;
    type RustType = Fence;
}

/// Hands a new fence to C through `out_fence`.
fn give(out_fence: &mut std::mem::MaybeUninit<*mut iree_hal_fence_t>, fence: Fence) {
    out_fence.write(handle::hal_into_ptr(&Arc::new(fence)));
}

/// Creates an empty fence with room for `capacity` distinct semaphores
/// (`RESOURCE_EXHAUSTED` past 65534). The caller owns the reference in
/// `*out_fence`. Host memory comes from the Rust heap; `host_allocator` is
/// not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_create(
    capacity: iree_host_size_t,
    host_allocator: iree_allocator_t,
    out_fence: *mut *mut iree_hal_fence_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_fence = unsafe { arg!(out_fence).out() }?;
        out_fence.write(std::ptr::null_mut());
        give(out_fence, Fence::new(capacity)?);
        Ok(())
    })
}

/// Creates a fence holding the one timepoint `semaphore` (borrowed; the
/// fence retains it) at `value`. The caller owns the reference in
/// `*out_fence`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_create_at(
    semaphore: *mut iree_hal_semaphore_t,
    value: u64,
    host_allocator: iree_allocator_t,
    out_fence: *mut *mut iree_hal_fence_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_fence = unsafe { arg!(out_fence).out() }?;
        out_fence.write(std::ptr::null_mut());
        // SAFETY: NULL or a live semaphore the caller references.
        let semaphore = unsafe { arg!(semaphore).hal() }?;
        give(out_fence, Fence::at(&semaphore, value)?);
        Ok(())
    })
}

/// The fences of a `(count, array)` argument; NULL entries are skipped
/// (they stand for no fencing).
///
/// # Safety
/// `fences` is NULL or holds `count` NULL-or-live fence handles.
unsafe fn fence_list(
    count: iree_host_size_t,
    fences: *mut *mut iree_hal_fence_t,
) -> Result<Vec<Arc<Fence>>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: NULL or `count` handles (forwarded contract).
    let handles = unsafe { std::slice::from_raw_parts(arg!(fences).value()?, count) };
    handles
        .iter()
        .filter(|fence| !fence.is_null())
        // SAFETY: each entry is a live fence (forwarded contract).
        .map(|&fence| unsafe { Arg::new(fence, "fences[i]").hal() })
        .collect()
}

/// Creates a fence reached when every fence of `fences[0..fence_count]` is
/// (borrowed; NULL entries are skipped); a semaphore in several keeps its
/// largest value. The caller owns the reference in `*out_fence`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_join(
    fence_count: iree_host_size_t,
    fences: *mut *mut iree_hal_fence_t,
    host_allocator: iree_allocator_t,
    out_fence: *mut *mut iree_hal_fence_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_fence = unsafe { arg!(out_fence).out() }?;
        out_fence.write(std::ptr::null_mut());
        // SAFETY: the caller's array of fence handles (API contract).
        let fences = unsafe { fence_list(fence_count, fences) }?;
        let refs: Vec<&Fence> = fences.iter().map(|fence| &**fence).collect();
        give(out_fence, Fence::join(&refs)?);
        Ok(())
    })
}

/// Adds a reference to `fence`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_retain(fence: *mut iree_hal_fence_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live fence the caller references (API contract).
        unsafe { handle::retain(fence) };
        Ok(())
    })
}

/// Drops the caller's reference to `fence`, destroying it (and releasing
/// its semaphores) on the last one. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_release(fence: *mut iree_hal_fence_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live fence; the caller gives up a reference.
        unsafe { handle::release(fence) };
        Ok(())
    })
}

/// Runs the destroy of a fence whose count reached zero (for
/// implementations; callers use `iree_hal_fence_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_destroy(fence: *mut iree_hal_fence_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a fence whose last reference the caller owns.
        unsafe { handle::destroy(fence) };
        Ok(())
    })
}

/// How many distinct semaphores `fence` holds (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_timepoint_count(
    fence: *const iree_hal_fence_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        if fence.is_null() {
            return Ok(0);
        }
        // SAFETY: a live fence the caller references (API contract).
        Ok(unsafe { arg!(fence).hal_ref() }?.timepoint_count())
    })
}

/// Adds `semaphore` (borrowed; the fence retains it) at `value`; a
/// semaphore already present keeps the larger value. `RESOURCE_EXHAUSTED`
/// when a new semaphore does not fit.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_insert(
    fence: *mut iree_hal_fence_t,
    semaphore: *mut iree_hal_semaphore_t,
    value: u64,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live handles the caller references.
        let fence = unsafe { arg!(fence).hal_ref() }?;
        // SAFETY: as above.
        let semaphore = unsafe { arg!(semaphore).hal() }?;
        fence.insert(&semaphore, value)
    })
}

/// Inserts every timepoint of `from_fence` (borrowed; NULL adds nothing)
/// into `into_fence`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_extend(
    into_fence: *mut iree_hal_fence_t,
    from_fence: *mut iree_hal_fence_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live fence the caller references.
        let into_fence = unsafe { arg!(into_fence).hal_ref() }?;
        if from_fence.is_null() {
            return Ok(());
        }
        // SAFETY: a live fence the caller references.
        let from_fence = unsafe { arg!(from_fence).hal_ref() }?;
        into_fence.extend(from_fence)
    })
}

/// OK once every timepoint is reached (and for NULL), `DEFERRED` while one
/// is pending, the failure of a failed semaphore (the same however late).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_query(fence: *mut iree_hal_fence_t) -> iree_status_t {
    ffi_boundary(|| {
        if fence.is_null() {
            return Ok(());
        }
        // SAFETY: a live fence the caller references.
        unsafe { arg!(fence).hal_ref() }?.query()
    })
}

/// Signals every semaphore of `fence` to its value, in insertion order,
/// stopping at the first error (`OUT_OF_RANGE` for one already past it).
/// NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_signal(fence: *mut iree_hal_fence_t) -> iree_status_t {
    ffi_boundary(|| {
        if fence.is_null() {
            return Ok(());
        }
        // SAFETY: a live fence the caller references.
        unsafe { arg!(fence).hal_ref() }?.signal()
    })
}

/// Fails every semaphore of `fence` with `signal_status`, whose ownership
/// passes to the call (also for a NULL fence, which only frees it).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_fail(
    fence: *mut iree_hal_fence_t,
    signal_status: iree_status_t,
) {
    ffi_boundary(|| {
        // SAFETY: the caller hands the status over.
        let failure = unsafe { failure_of(signal_status) };
        if fence.is_null() {
            return Ok(());
        }
        // SAFETY: a live fence the caller references.
        unsafe { arg!(fence).hal_ref() }?.fail(failure);
        Ok(())
    })
}

/// Blocks until every timepoint of `fence` is reached: OK then (at once for
/// NULL or an empty fence), `DEADLINE_EXCEEDED` once `timeout` passes,
/// `ABORTED` naming the failure when a semaphore fails.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_fence_wait(
    fence: *mut iree_hal_fence_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        if fence.is_null() {
            return Ok(());
        }
        // A new Arc, so a release racing with the wait cannot free it.
        // SAFETY: a live fence the caller references.
        unsafe { arg!(fence).hal() }?.wait(timeout.into())
    })
}
