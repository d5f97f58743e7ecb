//! The `hal` module's argument checking: each input is a sequence of
//! export calls with arguments drawn from it (see
//! iree_tools::fuzz_hal_module). Any status is fine; a crash is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = iree_tools::fuzz_hal_module::call_hal_exports(data);
});
