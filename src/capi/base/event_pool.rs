//! `iree/base/internal/event_pool.h`: a thread-safe pool of reusable events.

use crate::base::internal::event_pool::EventPool;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::wait_handle::{iree_event_t, iree_wait_handle_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};

/// Opaque handle to an [`EventPool`].
pub struct iree_event_pool_t {
    _private: [u8; 0],
}

impl Castable for iree_event_pool_t {
    type Ownership = Boxed;
    type RustType = EventPool;
}

/// Allocates a pool keeping up to `available_capacity` idle events. The
/// caller owns the pool in `*out_event_pool` (NULL on failure) and frees
/// it with `iree_event_pool_free`. `host_allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_allocate(
    available_capacity: usize,
    host_allocator: iree_allocator_t,
    out_event_pool: *mut *mut iree_event_pool_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // Host memory comes from the Rust allocator.
        let _ = host_allocator;
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_event_pool = unsafe { arg!(out_event_pool).in_out() }?;
        *out_event_pool = std::ptr::null_mut();
        *out_event_pool = handle::box_into_ptr(EventPool::new(available_capacity)?);
        Ok(())
    })
}

/// Frees the caller's pool and closes its idle events; events acquired
/// from it stay the caller's. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_free(event_pool: *mut iree_event_pool_t) {
    ffi_boundary(|| {
        // SAFETY: `event_pool` came from iree_event_pool_allocate and is not used again.
        drop(unsafe { handle::box_from_ptr(event_pool) });
        Ok(())
    })
}

/// Fills the caller's `out_events` (room for `event_count`) with
/// unsignaled events, which the caller then owns and gives back with
/// `iree_event_pool_release`. `event_pool` is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_acquire(
    event_pool: *mut iree_event_pool_t,
    event_count: usize,
    out_events: *mut iree_event_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live pool (shared across threads).
        let pool = unsafe { arg!(event_pool).handle() }?;
        if event_count == 0 {
            return Ok(());
        }
        // SAFETY: NULL or room for `event_count` events (API contract).
        unsafe { arg!(out_events).out() }?;
        for (i, event) in pool.acquire(event_count)?.into_iter().enumerate() {
            // SAFETY: the caller provides room for `event_count` events.
            unsafe {
                out_events
                    .add(i)
                    .write(iree_wait_handle_t::from_primitive(event))
            };
        }
        Ok(())
    })
}

/// Gives the caller's `event_count` `events` back to the pool (extras are
/// closed); the caller must not use them afterwards. A NULL pool or events
/// is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_release(
    event_pool: *mut iree_event_pool_t,
    event_count: usize,
    events: *mut iree_event_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live pool (shared across threads).
        let pool = unsafe { arg!(event_pool).handle() }?;
        if event_count == 0 || events.is_null() {
            return Ok(());
        }
        // SAFETY: the caller passes `event_count` events it owns.
        let handles = unsafe { std::slice::from_raw_parts(events, event_count) };
        let primitives: Vec<_> = handles.iter().map(|h| h.primitive()).collect();
        pool.release(&primitives);
        Ok(())
    })
}
