//! C ABI for `api` (to be written).
