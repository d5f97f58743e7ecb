//! The `hal` layer (in progress; see the README compatibility table).

pub mod allocator;
pub mod buffer;
pub mod buffer_view;
pub mod element_type;
pub mod memory;
pub mod npy;
pub mod storage;
pub mod text;
pub mod text_float;
pub mod text_format;
pub mod text_number;
