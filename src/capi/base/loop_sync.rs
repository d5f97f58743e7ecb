//! C ABI for `loop_sync` (to be written).
