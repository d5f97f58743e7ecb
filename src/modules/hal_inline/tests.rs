//! Argument checking of the inline modules: bad sizes, ranges and
//! ordinals give a status, never a panic.

use crate::modules::hal::call::Args;
use crate::modules::hal::{Context, HalState};
use crate::modules::hal_inline::exports::EXPORTS;
use crate::modules::hal_inline::HalInlineModule;
use crate::vm::cconv::{self, Arg};
use crate::vm::module::Module;
use crate::StatusCode;

fn call(name: &str, args: Vec<Arg>) -> crate::Result<()> {
    let module = HalInlineModule::new(None).unwrap();
    let mut state = module.alloc_state().unwrap();
    let state = state.downcast_mut::<HalState>().unwrap();
    let export = EXPORTS.iter().find(|e| e.name == name).unwrap();
    let (arg_fragment, _) = cconv::fragments(export.cconv).unwrap();
    let packed = cconv::pack(arg_fragment, args).unwrap();
    let mut context = Context {
        module: &module.hal,
        state,
    };
    (export.run)(&mut context, &mut Args::new(&packed)).map(|_| ())
}

#[test]
fn exports_are_sorted_by_name() {
    assert!(EXPORTS.windows(2).all(|w| w[0].name < w[1].name));
}

#[test]
fn allocate_checks_alignment_and_size() {
    let bad_alignment = call("buffer.allocate", vec![Arg::I32(3), Arg::I64(16)]);
    assert_eq!(
        bad_alignment.unwrap_err().code(),
        StatusCode::InvalidArgument
    );
    let huge_alignment = call("buffer.allocate", vec![Arg::I32(4096), Arg::I64(16)]);
    assert_eq!(
        huge_alignment.unwrap_err().code(),
        StatusCode::InvalidArgument
    );
    let negative = call("buffer.allocate", vec![Arg::I32(64), Arg::I64(-5)]);
    assert_eq!(negative.unwrap_err().code(), StatusCode::OutOfRange);
    assert!(call("buffer.allocate", vec![Arg::I32(64), Arg::I64(32)]).is_ok());
}

#[test]
fn null_refs_are_refused() {
    use crate::vm::r#ref::Ref;
    assert!(call("buffer.storage", vec![Arg::Ref(Ref::null())]).is_err());
    assert!(call(
        "buffer.wrap",
        vec![Arg::Ref(Ref::null()), Arg::I64(0), Arg::I64(4)]
    )
    .is_err());
}

#[test]
fn device_query_without_device_answers_zero() {
    // No device: strings are still checked (null refs fail).
    use crate::vm::r#ref::Ref;
    assert!(call(
        "device.query.i64",
        vec![Arg::Ref(Ref::null()), Arg::Ref(Ref::null())]
    )
    .is_err());
}
