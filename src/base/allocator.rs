//! `iree/base/allocator.h` core (to be written).
