//! Inputs the cargo-fuzz target once failed on (testdata/fuzz/), replayed
//! in process: each must come back without a panic, an abort or an
//! unbounded allocation, and with the status it gets today, asserted per
//! exported function (code, and the message where one names the cause).
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
use std::sync::Arc;

use iree_runtime::capi::base::allocator::iree_allocator_t;
use iree_runtime::vm::bytecode::interp::set_branch_budget;
use iree_runtime::vm::bytecode::module::create_module;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::invocation::invoke;
use iree_runtime::vm::list::List;
use iree_runtime::vm::module::{Linkage, Module};
use iree_runtime::StatusCode;
use iree_tools::fuzzing::{load_and_run, load_and_verify, FUZZ_BRANCH_BUDGET};

fn input(name: &str) -> Vec<u8> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("testdata/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What calling one export returned: OK, or the error's code and message.
type Outcome = Result<(), (StatusCode, String)>;

/// Loads `data` into a fresh context and calls each of its exports (all of
/// these modules' exports take no arguments) under the fuzz target's branch
/// budget, in export order.
fn call_every_export(data: &[u8]) -> Vec<(String, Outcome)> {
    let module = create_module(Arc::new(data.to_vec())).expect("module loads");
    let instance = Arc::new(Instance::new(iree_allocator_t::system()).unwrap());
    let context = Context::new(instance, 0, iree_allocator_t::system());
    context
        .register_modules(std::slice::from_ref(&module))
        .expect("module registers");
    let exports: Vec<String> = (0..module.signature().export_function_count)
        .map(|i| module.function(Linkage::Export, i).unwrap().name.to_owned())
        .filter(|name| !name.starts_with("__"))
        .collect();
    set_branch_budget(Some(FUZZ_BRANCH_BUDGET));
    let outcomes = exports
        .into_iter()
        .map(|name| {
            let full = format!("{}.{name}", module.name());
            let outcome = (|| {
                let function = context.resolve_function(full.as_bytes())?;
                let outputs = List::create(None, 8, iree_allocator_t::system())?;
                invoke(
                    &context,
                    function,
                    0,
                    None,
                    Some(List::from_ref(&outputs)?),
                    iree_allocator_t::system(),
                )
            })()
            .map_err(|e| (e.code(), e.message().to_owned()));
            (name, outcome)
        })
        .collect();
    set_branch_budget(None);
    outcomes
}

/// Asserts the outcome of each export, in export order: `None` for OK,
/// else the code and a piece of the message.
fn assert_outcomes(got: &[(String, Outcome)], want: &[Option<(StatusCode, &str)>]) {
    let codes: Vec<Option<StatusCode>> = got
        .iter()
        .map(|(_, o)| o.as_ref().err().map(|(code, _)| *code))
        .collect();
    let wanted: Vec<Option<StatusCode>> = want.iter().map(|w| w.map(|(c, _)| c)).collect();
    assert_eq!(codes, wanted, "outcomes: {got:?}");
    for ((name, outcome), expected) in got.iter().zip(want) {
        if let (Err((_, message)), Some((_, needle))) = (outcome, expected) {
            assert!(
                message.contains(needle),
                "{name:?}: `{message}` lacks `{needle}`"
            );
        }
    }
}

/// A module that fails to load: the code and message, from the verifier
/// the fuzz target uses and from the public loader alike.
fn assert_rejected_at_load(data: &[u8], needle: &str) {
    let err = match load_and_verify(data) {
        Err(e) => e,
        Ok(_) => panic!("accepted; expected a load error mentioning `{needle}`"),
    };
    assert_eq!(err.code(), StatusCode::InvalidArgument, "{}", err.message());
    assert!(err.message().contains(needle), "{}", err.message());
    let err = match create_module(Arc::new(data.to_vec())) {
        Err(e) => e,
        Ok(_) => panic!("create_module accepted what the verifier rejects"),
    };
    assert_eq!(err.code(), StatusCode::InvalidArgument, "{}", err.message());
    assert!(err.message().contains(needle), "{}", err.message());
    assert_eq!(load_and_run(data), 0, "nothing may run");
}

#[test]
fn oversized_list_reserve_is_refused_not_attempted() {
    let data = input("list_reserve_4g.vmfb");
    assert!(load_and_verify(&data).is_ok(), "the module itself is valid");
    assert_eq!(load_and_run(&data), 6, "its exports were invoked");
    let outcomes = call_every_export(&data);
    assert_eq!(outcomes[0].0, "test_list");
    // The reserve is refused; the other exports fail as their (mutated or
    // deliberately failing) bodies dictate.
    assert_outcomes(
        &outcomes,
        &[
            Some((
                StatusCode::ResourceExhausted,
                "list capacity 536870918 exceeds the 16777216 allowed to bytecode",
            )),
            None,
            Some((StatusCode::OutOfRange, "out-of-bounds access")),
            Some((StatusCode::OutOfRange, "out-of-bounds access")),
            Some((StatusCode::PermissionDenied, "read-only")),
            Some((StatusCode::OutOfRange, "out of bounds")),
        ],
    );
}

#[test]
fn calling_convention_with_a_nul_is_rejected_at_load() {
    assert_rejected_at_load(&input("cconv_nul.vmfb"), "has unsupported character '\\0'");
}

/// Without the budget this test never finishes.
#[test]
fn endless_loop_ends_on_the_branch_budget() {
    let data = input("endless_loop.vmfb");
    assert_eq!(load_and_run(&data), 4);
    let outcomes = call_every_export(&data);
    // The mutation also garbled the names: the loop is `test_loo1`, and the
    // fourth export's name is binary.
    assert_eq!(outcomes[0].0, "test_loo1");
    let budget = format!("branch budget of {FUZZ_BRANCH_BUDGET} exhausted");
    let exhausted = Some((StatusCode::DeadlineExceeded, budget.as_str()));
    assert_outcomes(&outcomes, &[exhausted, None, None, exhausted]);
}

#[test]
fn ops_outside_a_block_are_rejected_at_load() {
    assert_rejected_at_load(
        &input("yield_outside_block.vmfb"),
        "op is not in a block (it follows a terminator)",
    );
}
