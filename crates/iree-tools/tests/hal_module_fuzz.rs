//! Replays the `hal_module_args` fuzz target (fuzz/, docs/FUZZING.md) on
//! fixed-seed random inputs in every `cargo test`: thousands of export
//! calls with wrong sizes, bad ordinals, wrong element types, wrong value
//! kinds and hostile span counts must each end in a status.

use iree_tools::fuzz_hal_module::{call_hal_exports, HalCallsOutcome};
use iree_tools::fuzzing::Rng;

#[test]
fn random_export_calls_end_in_a_status() {
    let mut rng = Rng::new(0x6a1_f022);
    let mut total = HalCallsOutcome::default();
    for _ in 0..400 {
        let length = 32 + rng.below(224);
        let data: Vec<u8> = (0..length).map(|_| rng.next_u64() as u8).collect();
        let outcome = call_hal_exports(&data);
        total.calls += outcome.calls;
        total.succeeded += outcome.succeeded;
        total.refused_arguments += outcome.refused_arguments;
    }
    // Both sides of the checks are exercised: some calls pass, and many
    // are refused for their arguments.
    assert!(total.calls > 5_000, "{total:?}");
    assert!(total.succeeded > total.calls / 50, "{total:?}");
    assert!(total.refused_arguments > total.calls / 4, "{total:?}");
}

fn ordinal(name: &str) -> u8 {
    iree_runtime::modules::hal::exports::EXPORTS
        .iter()
        .position(|e| e.name == name)
        .unwrap() as u8
}

#[test]
fn inputs_decode_to_the_calls_they_spell() {
    assert_eq!(call_hal_exports(&[]).calls, 0);
    // devices.count(): no arguments, then the flags byte.
    let outcome = call_hal_exports(&[ordinal("devices.count"), 0]);
    assert_eq!((outcome.calls, outcome.succeeded), (1, 1));
    // buffer.load(pool[2] = the 64-byte buffer, offset i64::MAX, length 4).
    let outcome = call_hal_exports(&[ordinal("buffer.load"), 2, 12, 4, 0]);
    assert_eq!((outcome.succeeded, outcome.refused_arguments), (0, 1));
    // The same at offset 16 reads.
    let outcome = call_hal_exports(&[ordinal("buffer.load"), 2, 5, 4, 0]);
    assert_eq!(outcome.succeeded, 1);
}
