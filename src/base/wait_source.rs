//! `iree/base/wait_source.h` core (to be written).
