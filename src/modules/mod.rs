//! The `modules` layer (not yet implemented; see the README compatibility table).
