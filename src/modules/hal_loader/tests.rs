//! Argument checking of `hal_loader`.

use crate::modules::hal::call::Args;
use crate::modules::hal_loader::{HalLoaderModule, EXPORTS};
use crate::vm::cconv::{self, Arg};
use crate::vm::r#ref::Ref;

fn call(name: &str, args: Vec<Arg>) -> crate::Result<()> {
    let module = HalLoaderModule::new().unwrap();
    let (_, cconv_text, run) = EXPORTS.iter().find(|e| e.0 == name).unwrap();
    let (arg_fragment, _) = cconv::fragments(cconv_text).unwrap();
    let packed = cconv::pack(arg_fragment, args).unwrap();
    run(&module, &mut Args::new(&packed)).map(|_| ())
}

#[test]
fn exports_are_sorted_by_name() {
    assert!(EXPORTS.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn null_executables_and_formats_are_refused() {
    assert!(call("executable.query_support", vec![Arg::Ref(Ref::null())]).is_err());
    assert!(call(
        "executable.load",
        vec![
            Arg::Ref(Ref::null()),
            Arg::Ref(Ref::null()),
            Arg::Ref(Ref::null())
        ]
    )
    .is_err());
    assert!(call(
        "executable.lookup.function",
        vec![Arg::Ref(Ref::null()), Arg::Ref(Ref::null())]
    )
    .is_err());
}

#[test]
fn truncated_dispatch_arguments_are_refused() {
    let module = HalLoaderModule::new().unwrap();
    let run = EXPORTS[0].2;
    // A span count larger than the bytes that follow.
    let mut packed = vec![0u8; 8 + 8 + 12];
    packed.extend_from_slice(&1000i32.to_le_bytes());
    assert!(run(&module, &mut Args::new(&packed)).is_err());
}
