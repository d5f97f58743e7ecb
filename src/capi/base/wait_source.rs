//! C ABI for `wait_source` (to be written).
