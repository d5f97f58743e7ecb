//! The `vm` layer (not yet implemented; see the README compatibility table).

pub mod bytecode;
