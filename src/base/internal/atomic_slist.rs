//! `iree/base/internal/atomic_slist.h` core.
//!
//! The slist is intrusive: its nodes are links embedded in memory that C
//! owns, so the list itself is implemented at the C boundary
//! (`src/capi/base/atomic_slist.rs`) over the hand-written layout, guarded by
//! the core slim lock from [`crate::base::internal::synchronization`]. Rust
//! code that needs a shared LIFO should use an owning collection behind a
//! lock instead.
