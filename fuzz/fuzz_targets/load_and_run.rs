//! Fuzzes module loading, verification, linking, `__init` and invocation of
//! every scalar-only export. Any status is fine; panics, aborts, sanitizer
//! reports and libFuzzer timeouts (runaway loops: the interpreter has no
//! instruction budget yet, so pass `-timeout=`) are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = iree_tools::fuzzing::load_and_verify(data);
    iree_tools::fuzzing::load_and_run(data);
});
