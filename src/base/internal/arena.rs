//! `iree/base/internal/arena.h` core (to be written).
