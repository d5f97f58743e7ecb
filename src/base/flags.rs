//! `iree/base/flags.h` core (to be written).
