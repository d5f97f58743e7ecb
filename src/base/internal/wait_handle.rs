//! `iree/base/internal/wait_handle.h` core (to be written).
