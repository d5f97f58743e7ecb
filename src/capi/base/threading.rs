//! C ABI for `threading` (to be written).
