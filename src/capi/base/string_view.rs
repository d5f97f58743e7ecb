//! C ABI for `string_view` (to be written).
