//! `iree/base/internal/threading.h` core (to be written).
