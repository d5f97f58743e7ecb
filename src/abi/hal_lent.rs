//! Handles one HAL object lends C for another it holds: what
//! `iree_hal_buffer_view_buffer` and `iree_hal_buffer_allocated_buffer`
//! return. C may retain such a pointer, which is a plain increment of the
//! header's count (`hal_resource`) and is only sound while some C reference
//! exists. So the first time the holder lends the handle it takes one C
//! reference of its own, kept until the holder is dropped.

use std::sync::{Arc, OnceLock};

use crate::abi::hal_resource::{iree_hal_resource_t, HalResource, ResourceHeader};

/// A C reference, taken on first use, that its owner drops with itself.
#[derive(Debug, Default)]
pub struct LentHandle {
    handle: OnceLock<LentPointer>,
}

#[derive(Debug)]
struct LentPointer(*mut iree_hal_resource_t);

// SAFETY: the pointer is a C handle of a `Send + Sync` HAL object
// (`HalResource` requires both); it is only released, once, on drop.
unsafe impl Send for LentPointer {}
// SAFETY: as above; shared access only reads the pointer.
unsafe impl Sync for LentPointer {}

impl LentHandle {
    /// `object`'s C handle, valid while the owner of this `LentHandle`
    /// lives. `object` must be the same object on every call.
    pub fn lend<T: HalResource>(&self, object: &Arc<T>) -> *mut iree_hal_resource_t {
        let lent = self
            .handle
            .get_or_init(|| LentPointer(ResourceHeader::c_handle(object)));
        debug_assert!(std::ptr::eq(
            lent.0.cast_const().cast::<T>(),
            Arc::as_ptr(object)
        ));
        lent.0
    }
}

/// Clones lend nothing yet (they take their own reference when asked).
impl Clone for LentHandle {
    fn clone(&self) -> LentHandle {
        LentHandle::default()
    }
}

impl Drop for LentHandle {
    fn drop(&mut self) {
        if let Some(lent) = self.handle.take() {
            // SAFETY: the reference taken by `lend`, given up exactly once.
            unsafe { ResourceHeader::release_raw(lent.0) };
        }
    }
}
