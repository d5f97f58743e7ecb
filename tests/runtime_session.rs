//! The runtime API's Rust core: an instance with every driver, a session
//! over its default local-sync device, modules appended from a mapped file
//! and from memory, calls by name with buffer views in and out, state kept
//! across calls, and the errors a caller can make. `simple_mul` runs an
//! llvm-cpu dispatch (embedded ELF) on local-sync; its outputs, and those
//! of the no-dispatch `tensors` programs, must be byte for byte what the
//! reference iree-run-module returned (testdata/runtime/expected, made by
//! tools/gen-runtime-testdata.sh).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::device::DeviceResource;
use iree_runtime::hal::npy::save_ndarray;
use iree_runtime::hal::text::parse_buffer_view;
use iree_runtime::hal::text_format::format_buffer_view;
use iree_runtime::runtime::{Call, Instance, InstanceOptions, Session, SessionOptions};
use iree_runtime::StatusCode;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/runtime")
        .join(name)
}

fn session() -> Arc<Session> {
    let mut options = InstanceOptions::default();
    options.use_all_available_drivers().unwrap();
    let instance = Arc::new(Instance::new(&options, iree_allocator_t::system()).unwrap());
    let device = DeviceResource::new(instance.try_create_default_device("local-sync").unwrap());
    Arc::new(
        Session::create_with_device(
            instance,
            &SessionOptions::default(),
            device,
            iree_allocator_t::system(),
        )
        .unwrap(),
    )
}

fn view(session: &Session, text: &str) -> Arc<BufferView> {
    let allocator = session.device_allocator().unwrap();
    Arc::new(parse_buffer_view(text.as_bytes(), &allocator).unwrap())
}

fn text(view: &BufferView) -> String {
    format_buffer_view(view, 1024).unwrap()
}

#[test]
fn calls_by_name_on_a_mapped_module() {
    let session = session();
    session
        .append_bytecode_module_from_file(&data("simple_mul.vmfb"))
        .unwrap();
    let call = Call::by_name(Arc::clone(&session), "module.simple_mul").unwrap();
    call.push_back_buffer_view(&view(&session, "4xf32=1 1.1 1.2 1.3"))
        .unwrap();
    call.push_back_buffer_view(&view(&session, "4xf32=10 100 1000 10000"))
        .unwrap();
    call.invoke().unwrap();
    let result = call.pop_front_buffer_view().unwrap();
    assert_eq!(text(&result), "4xf32=10 110 1200 13000");
    let e = call.pop_front_buffer_view().err().unwrap();
    assert_eq!(e.code(), StatusCode::OutOfRange);
    call.reset().unwrap();
    assert_eq!(call.inputs().unwrap().size(), 0);
}

#[test]
fn programs_match_the_reference_byte_for_byte() {
    let cases = std::fs::read_to_string(data("cases.tsv")).unwrap();
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut ran = 0;
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let (module, function, inputs) = (fields[0], fields[1], &fields[2..]);
        let key = format!("{module}.{function}");
        let index = counts.entry(key.clone()).or_default();
        let base = format!("{key}.{index}");
        *index += 1;
        // Every program's module is named `module`: one session each.
        let session = session();
        session
            .append_bytecode_module_from_file(&data(&format!("{module}.vmfb")))
            .unwrap();
        let call = Call::by_name(Arc::clone(&session), &format!("module.{function}")).unwrap();
        for input in inputs {
            call.push_back_buffer_view(&view(&session, input)).unwrap();
        }
        call.invoke().unwrap_or_else(|e| panic!("{base}: {e}"));
        let printed = std::fs::read_to_string(data(&format!("expected/{base}.txt"))).unwrap();
        let expected_count = printed.lines().filter(|l| l.starts_with("result[")).count();
        assert_eq!(call.outputs().unwrap().size(), expected_count, "{base}");
        for i in 0..expected_count {
            let result = call.pop_front_buffer_view().unwrap();
            let expected = std::fs::read(data(&format!("expected/{base}.{i}.npy"))).unwrap();
            assert_eq!(
                save_ndarray(&result).unwrap(),
                expected,
                "{base}: result {i} differs from the reference"
            );
        }
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} cases ran");
}

#[test]
fn state_persists_across_calls_and_modules_from_memory() {
    let session = session();
    let bytes = std::fs::read(data("tensors.vmfb")).unwrap();
    session.append_bytecode_module(Arc::new(bytes)).unwrap();
    let call = Call::by_name(Arc::clone(&session), "module.exchange").unwrap();
    let mut previous = "2xi32=0 0".to_owned();
    for i in 0..5 {
        call.reset().unwrap();
        let next = format!("2xi32={i} {}", i * 10);
        call.push_back_buffer_view(&view(&session, &next)).unwrap();
        call.invoke().unwrap();
        assert_eq!(text(&call.pop_front_buffer_view().unwrap()), previous);
        previous = next;
    }
}

#[test]
fn errors_name_what_is_wrong() {
    let session = session();
    let e = session
        .append_bytecode_module_from_file(&data("missing.vmfb"))
        .err()
        .unwrap();
    assert_eq!(e.code(), StatusCode::NotFound, "{e}");
    let e = session
        .append_bytecode_module(Arc::new(b"not a module".to_vec()))
        .err()
        .unwrap();
    assert_ne!(e.code(), StatusCode::Ok);
    session
        .append_bytecode_module_from_file(&data("tensors.vmfb"))
        .unwrap();
    let e = Call::by_name(Arc::clone(&session), "module.nope")
        .err()
        .unwrap();
    assert_eq!(e.code(), StatusCode::NotFound);
    // Too few inputs and a wrong element type are the program's checks.
    let call = Call::by_name(Arc::clone(&session), "module.expand").unwrap();
    assert!(call.invoke().is_err());
    call.push_back_buffer_view(&view(&session, "6xf32=1 2 3 4 5 6"))
        .unwrap();
    let e = call.invoke().err().unwrap();
    assert!(e.to_string().contains("element type mismatch"), "{e}");
    // The session's device and context are the ones calls run on.
    assert!(session.device().id().starts_with("local-sync"));
    session.trim().unwrap();
}
