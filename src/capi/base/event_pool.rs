//! `iree/base/internal/event_pool.h`: a thread-safe pool of reusable events.

use crate::base::internal::event_pool::EventPool;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::wait_handle::{iree_event_t, iree_wait_handle_t};
use crate::capi::handle::{self, Boxed, Castable};

/// Opaque handle to an [`EventPool`].
pub struct iree_event_pool_t {
    _private: [u8; 0],
}

impl Castable for iree_event_pool_t {
    type Ownership = Boxed;
    type RustType = EventPool;
}

/// Allocates a pool keeping up to `available_capacity` idle events.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_allocate(
    available_capacity: usize,
    host_allocator: iree_allocator_t,
    out_event_pool: *mut *mut iree_event_pool_t,
) -> iree_status_t {
    ffi_boundary! {
        // Host memory comes from the Rust allocator.
        let _ = host_allocator;
        if out_event_pool.is_null() {
            return crate::iree_err!(InvalidArgument, "out_event_pool is NULL").into();
        }
        // SAFETY: checked non-NULL.
        unsafe { out_event_pool.write(std::ptr::null_mut()) };
        match EventPool::new(available_capacity) {
            Ok(pool) => {
                // SAFETY: checked non-NULL.
                unsafe { out_event_pool.write(handle::box_into_ptr(pool)) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Frees a pool and closes its idle events (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_free(event_pool: *mut iree_event_pool_t) {
    ffi_boundary! {
        // SAFETY: `event_pool` came from iree_event_pool_allocate and is not used again.
        drop(unsafe { handle::box_from_ptr(event_pool) });
    }
}

/// Fills `out_events` with `event_count` unsignaled events.
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_acquire(
    event_pool: *mut iree_event_pool_t,
    event_count: usize,
    out_events: *mut iree_event_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `event_pool` is NULL or a live pool (shared across threads).
        let Some(pool) = (unsafe { handle::try_ref(event_pool as *const iree_event_pool_t) }) else {
            return crate::iree_err!(InvalidArgument, "event_pool is NULL").into();
        };
        if event_count == 0 {
            return iree_status_t::OK;
        }
        if out_events.is_null() {
            return crate::iree_err!(InvalidArgument, "out_events is NULL").into();
        }
        match pool.acquire(event_count) {
            Ok(events) => {
                for (i, event) in events.into_iter().enumerate() {
                    // SAFETY: the caller provides room for `event_count` events.
                    unsafe { out_events.add(i).write(iree_wait_handle_t::from_primitive(event)) };
                }
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Returns events to the pool (extras are closed).
#[no_mangle]
pub unsafe extern "C" fn iree_event_pool_release(
    event_pool: *mut iree_event_pool_t,
    event_count: usize,
    events: *mut iree_event_t,
) {
    ffi_boundary! {
        // SAFETY: `event_pool` is NULL or a live pool (shared across threads).
        let Some(pool) = (unsafe { handle::try_ref(event_pool as *const iree_event_pool_t) }) else {
            return;
        };
        if event_count == 0 || events.is_null() {
            return;
        }
        // SAFETY: the caller passes `event_count` events it owns.
        let handles = unsafe { std::slice::from_raw_parts(events, event_count) };
        let primitives: Vec<_> = handles.iter().map(|h| h.primitive()).collect();
        pool.release(&primitives);
    }
}
