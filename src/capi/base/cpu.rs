//! C ABI for `cpu` (to be written).
