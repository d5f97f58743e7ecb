//! `iree/base/internal/dynamic_library.h` core (to be written).
