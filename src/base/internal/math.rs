//! `iree/base/internal/math.h` core (to be written).
