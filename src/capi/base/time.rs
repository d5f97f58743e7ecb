//! C ABI for `time` (to be written).
