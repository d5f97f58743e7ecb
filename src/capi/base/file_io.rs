//! C ABI for `file_io` (to be written).
