//! C ABI for `flags` (to be written).
