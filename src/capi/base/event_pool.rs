//! C ABI for `event_pool` (to be written).
