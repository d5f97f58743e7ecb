//! C ABI for `testing` (to be written).
