//! `iree/base/loop_inline.h` core: sizing of the inline loop. The loop runs
//! C callbacks, so its engine lives in `capi::base::loop_inline`.

/// Operations an inline loop can hold at once (reentrantly enqueued work
/// included); more fail with `RESOURCE_EXHAUSTED`.
pub const INLINE_QUEUE_LIMIT: usize = 7;

/// Bytes of caller storage an inline loop may use (`IREE_LOOP_INLINE_STORAGE_SIZE`).
pub const INLINE_STORAGE_SIZE: usize = 512;
