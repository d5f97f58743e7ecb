//! Inputs the cargo-fuzz target once failed on (testdata/fuzz/), replayed
//! in process through the same entry point: each must come back (statuses
//! are fine) without a panic, an abort or an unbounded allocation.
//!
//! - `list_reserve_4g.vmfb`: `vm.list.reserve` with a corrupt capacity made
//!   the list reserve about 12 GiB; bytecode-made lists are now bounded.
//! - `cconv_nul.vmfb`: a calling convention with a NUL character was taken
//!   as "no signature" and the function ran; it is now rejected at load.
//! - `endless_loop.vmfb`: a mutated `test_loop` branches back forever (valid
//!   bytecode); the harness's branch budget ends it with DEADLINE_EXCEEDED.
//! - `yield_outside_block.vmfb`: a function whose first op became a
//!   `vm.yield` back to its own block, followed by ops in no block. It
//!   yielded forever, each resumption with a fresh budget. The verifier now
//!   rejects ops outside blocks (as the reference does), and the budget
//!   carries over yields.

use std::path::Path;

use iree_tools::fuzzing::{load_and_run, load_and_verify};

fn input(name: &str) -> Vec<u8> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("testdata/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn oversized_list_reserve_is_refused_not_attempted() {
    let data = input("list_reserve_4g.vmfb");
    assert!(load_and_verify(&data).is_ok(), "the module itself is valid");
    assert!(load_and_run(&data) > 0, "its exports were invoked");
}

#[test]
fn calling_convention_with_a_nul_is_rejected_at_load() {
    let data = input("cconv_nul.vmfb");
    let err = match load_and_verify(&data) {
        Err(e) => e,
        Ok(_) => panic!("accepted a module whose calling convention has a NUL"),
    };
    assert!(
        err.message().contains("unsupported character"),
        "{}",
        err.message()
    );
    assert_eq!(load_and_run(&data), 0);
}

/// Without the budget this test never finishes.
#[test]
fn endless_loop_ends_on_the_branch_budget() {
    let data = input("endless_loop.vmfb");
    assert!(load_and_run(&data) > 0);
}

#[test]
fn ops_outside_a_block_are_rejected_at_load() {
    let data = input("yield_outside_block.vmfb");
    let err = match load_and_verify(&data) {
        Err(e) => e,
        Ok(_) => panic!("accepted ops that follow a terminator outside any block"),
    };
    assert!(
        err.message().contains("op is not in a block"),
        "{}",
        err.message()
    );
    assert_eq!(load_and_run(&data), 0);
}
