//! `iree/base/string_view.h` core (to be written).
