//! How a device runs the work inside queue operations and command buffers:
//! dispatches always go to the device; fills and copies run on the calling
//! thread unless the device spreads them over its own threads.

use crate::hal::buffer::Buffer;
use crate::hal::command_buffer::{ResolvedDispatch, ResolvedRange};
use crate::Result;

/// The device side of executing commands. Ranges arrive validated (access,
/// usage, bounds, fill alignment, copy overlap).
pub trait CommandRunner {
    /// Runs every workgroup of a dispatch.
    fn dispatch(&mut self, dispatch: ResolvedDispatch<'_>) -> Result<()>;

    /// Repeats `pattern` (1, 2 or 4 bytes) over `target`.
    fn fill(&mut self, target: &ResolvedRange, pattern: &[u8]) -> Result<()> {
        target
            .buffer
            .map_fill(target.offset, target.length, pattern)
    }

    /// Copies `source` to `target` (equal lengths, disjoint).
    fn copy(&mut self, source: &ResolvedRange, target: &ResolvedRange) -> Result<()> {
        Buffer::map_copy(
            &source.buffer,
            source.offset,
            &target.buffer,
            target.offset,
            source.length,
        )
    }
}

/// A closure that runs dispatches, with fills and copies on this thread.
pub struct DispatchOnly<'a>(pub &'a mut dyn FnMut(ResolvedDispatch<'_>) -> Result<()>);

impl CommandRunner for DispatchOnly<'_> {
    fn dispatch(&mut self, dispatch: ResolvedDispatch<'_>) -> Result<()> {
        (self.0)(dispatch)
    }
}
