//! `iree/base/loop_sync.h` core: option validation for the synchronous
//! loop. The loop runs C callbacks, so its engine lives in
//! `capi::base::loop_sync`.

use crate::base::status::Result;

/// Remaining time under which a wait-until counts as elapsed, so the loop
/// does not sleep for less than the system can resolve.
pub const DELAY_SLOP_NS: i64 = 2_000_000;

/// Checked sizes of a synchronous loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncLimits {
    /// Runnable operations that may be queued at once.
    pub run_limit: usize,
    /// Wait operations that may be pending at once.
    pub wait_limit: usize,
}

/// Validates `max_queue_depth` / `max_wait_count` the way the C API defines
/// them: the queue depth rounds up to a power of two and one slot of each
/// stays unused, as in a masked ring buffer.
pub fn sync_limits(max_queue_depth: usize, max_wait_count: usize) -> Result<SyncLimits> {
    let depth = max_queue_depth
        .max(1)
        .checked_next_power_of_two()
        .unwrap_or(usize::MAX);
    crate::iree_ensure!(
        depth <= u16::MAX as usize,
        InvalidArgument,
        "queue depth {max_queue_depth} exceeds the maximum"
    );
    crate::iree_ensure!(
        max_wait_count <= u16::MAX as usize,
        InvalidArgument,
        "wait list depth {max_wait_count} exceeds the maximum"
    );
    Ok(SyncLimits {
        run_limit: depth.saturating_sub(1).max(1),
        wait_limit: max_wait_count.saturating_sub(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::status::StatusCode;

    #[test]
    fn limits() {
        let l = sync_limits(100, 32).unwrap();
        assert_eq!(l.run_limit, 127);
        assert_eq!(l.wait_limit, 31);
        assert_eq!(
            sync_limits(70_000, 1).unwrap_err().code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            sync_limits(8, 70_000).unwrap_err().code(),
            StatusCode::InvalidArgument
        );
    }
}
