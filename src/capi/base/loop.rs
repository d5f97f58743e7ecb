//! C ABI for `loop` (to be written).
