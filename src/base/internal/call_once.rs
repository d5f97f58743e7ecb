//! `iree/base/internal/call_once.h` core (to be written).
