//! `iree/base/internal/event_pool.h` core (to be written).
