//! C ABI for `arena` (to be written).
