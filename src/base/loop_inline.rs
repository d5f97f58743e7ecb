//! `iree/base/loop_inline.h` core (to be written).
