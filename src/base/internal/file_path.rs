//! `iree/base/internal/file_path.h` core (to be written).
