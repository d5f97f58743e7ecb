//! `iree/base/internal/fpu_state.h` core (to be written).
