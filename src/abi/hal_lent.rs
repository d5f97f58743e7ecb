//! Handles one HAL object lends C for another it holds: what
//! `iree_hal_buffer_view_buffer` and `iree_hal_buffer_allocated_buffer`
//! return. C may retain such a pointer, which is a plain increment of the
//! header's count (`hal_resource`) and is only sound while some C reference
//! exists. So the first time the holder lends the handle it takes one C
//! reference of its own, kept until the holder is dropped.

use std::sync::{Arc, OnceLock};

use crate::abi::hal_resource::{iree_hal_resource_t, HalResource, RetainedResource};

/// A C reference, taken on first use, that its owner drops with itself.
#[derive(Debug, Default)]
pub struct LentHandle {
    handle: OnceLock<RetainedResource>,
}

impl LentHandle {
    /// `object`'s C handle, valid while the owner of this `LentHandle`
    /// lives. `object` must be the same object on every call.
    pub fn lend<T: HalResource>(&self, object: &Arc<T>) -> *mut iree_hal_resource_t {
        let lent = self.handle.get_or_init(|| RetainedResource::of(object));
        debug_assert!(std::ptr::eq(
            lent.as_ptr().cast_const().cast::<T>(),
            Arc::as_ptr(object)
        ));
        lent.as_ptr()
    }
}

/// Clones lend nothing yet (they take their own reference when asked).
impl Clone for LentHandle {
    fn clone(&self) -> LentHandle {
        LentHandle::default()
    }
}
