//! `iree/base/internal/file_io.h` core (to be written).
