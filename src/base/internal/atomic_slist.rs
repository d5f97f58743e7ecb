//! `iree/base/internal/atomic_slist.h` core (to be written).
