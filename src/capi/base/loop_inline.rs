//! C ABI for `loop_inline` (to be written).
