//! C ABI for `allocator` (to be written).
