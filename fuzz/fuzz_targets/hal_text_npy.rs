//! Fuzzes buffer-view text parsing (`2x3xf32=1 2 3 4 5 6`) and `.npy`
//! reading on the same input. Any status is fine; panics, aborts, sanitizer
//! reports, out-of-memory (pass `-rss_limit_mb=`) and broken round trips
//! (asserted in the harness) are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iree_tools::fuzzing::parse_and_load_hal(data);
});
