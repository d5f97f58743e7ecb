//! C ABI for `string_builder` (to be written).
