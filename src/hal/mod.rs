//! The `hal` layer (not yet implemented; see the README compatibility table).
