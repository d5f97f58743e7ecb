//! `iree/base/time.h` core (to be written).
