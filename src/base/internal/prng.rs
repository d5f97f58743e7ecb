//! `iree/base/internal/prng.h` core (to be written).
