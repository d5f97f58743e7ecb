//! `iree/base/loop_sync.h` core (to be written).
