//! C ABI for `atomic_slist` (to be written).
