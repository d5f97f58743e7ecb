//! `iree/base/internal/synchronization.h` core (to be written).
