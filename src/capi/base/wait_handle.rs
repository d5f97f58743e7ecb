//! C ABI for `wait_handle` (to be written).
