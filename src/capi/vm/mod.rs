//! C ABI of `iree/vm`, one file per header.
