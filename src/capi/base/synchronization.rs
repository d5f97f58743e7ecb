//! C ABI for `synchronization` (to be written).
