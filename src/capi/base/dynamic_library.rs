//! C ABI for `dynamic_library` (to be written).
