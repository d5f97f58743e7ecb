//! `iree/base/bitfield.h` core (to be written).
