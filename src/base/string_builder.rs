//! `iree/base/string_builder.h` core (to be written).
