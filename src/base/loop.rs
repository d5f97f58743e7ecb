//! `iree/base/loop.h` core (to be written).
