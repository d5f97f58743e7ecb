//! C ABI for `file_path` (to be written).
