//! `iree/base/internal/cpu.h` core (to be written).
