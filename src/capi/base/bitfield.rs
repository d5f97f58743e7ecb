//! C ABI for `bitfield` (to be written).
