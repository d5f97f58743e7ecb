//! Optional per-dispatch timing for the local-sync device, for tools such as
//! `iree-benchmark-module --print_dispatch_profile`. It is a Rust-only API
//! (not part of the C API). When off, a dispatch pays one relaxed atomic
//! load; when on, two clock reads and a short mutex-guarded map update.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static RECORDS: Mutex<BTreeMap<String, ExportTotals>> = Mutex::new(BTreeMap::new());

/// Dispatch count and summed wall time of one executable export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportTotals {
    pub count: u64,
    pub total: Duration,
}

/// Starts (or stops) recording dispatch times process-wide; starting does
/// not clear what was recorded before (see [`take`]).
pub fn set_enabled(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Returns the totals recorded so far, keyed by export name, and clears them.
pub fn take() -> BTreeMap<String, ExportTotals> {
    std::mem::take(&mut *RECORDS.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Runs `dispatch`, timing it under `export_name()` when profiling is on.
pub(super) fn timed<T>(export_name: impl FnOnce() -> String, dispatch: impl FnOnce() -> T) -> T {
    if !is_enabled() {
        return dispatch();
    }
    let start = Instant::now();
    let result = dispatch();
    let elapsed = start.elapsed();
    let mut records = RECORDS.lock().unwrap_or_else(PoisonError::into_inner);
    let totals = records.entry(export_name()).or_default();
    totals.count += 1;
    totals.total += elapsed;
    result
}
