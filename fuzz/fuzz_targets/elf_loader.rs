//! Fuzzes the embedded-ELF loader (`iree_runtime::hal::elf`): validation
//! for x86-64 and AArch64 and, for inputs that validate without
//! initializers, a real load (which runs none of the input's code). Any
//! status is fine; panics, crashes, sanitizer reports and out-of-memory
//! (pass `-rss_limit_mb=`) are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iree_tools::fuzzing::validate_and_load_elf(data);
});
