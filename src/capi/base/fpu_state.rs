//! C ABI for `fpu_state` (to be written).
