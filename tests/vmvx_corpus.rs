//! The corpus compiled for VMVX (issue 13): every case of
//! testdata/corpus/cases.tsv whose program tools/gen-vmvx-testdata.sh
//! built for VMVX, without (testdata/vmvx/plain) and with
//! (testdata/vmvx/ukernels) microkernels, and data-tiled with microkernels
//! (testdata/vmvx/datatiling), runs through our bytecode module
//! and hal module with the corpus inputs, on local-sync and on local-task
//! with 1, 2 and 8 workers (the library's drivers, which load VMVX), and
//! each result must have the element type, shape and bytes of what the
//! reference runtime returned on local-sync for the same `.vmfb`. All cases
//! run; the failure lists every case and result that differs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::base::status::StatusCode;
use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::element_type::EncodingType;
use iree_runtime::hal::memory::{BufferParams, MemoryAccess, MemoryType};
use iree_runtime::hal::npy::{load_ndarray, save_ndarray};
use iree_runtime::hal::text::parse_shape_and_type;
use iree_runtime::modules::hal::selection::{create_module, devices_from_uris};
use iree_runtime::modules::hal::types::{register_types, to_arc, to_ref};
use iree_runtime::modules::{hal_inline, hal_loader};
use iree_runtime::runtime::instance::register_all_available_drivers;
use iree_runtime::vm::bytecode::module::create_module as create_bytecode_module;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::invocation::invoke;
use iree_runtime::vm::list::List;
use iree_runtime::vm::module::Module;

/// Cases our runtime cannot run yet, by variant, with the status they
/// must fail with.
const EXPECTED_FAILURES: &[(&str, &str, StatusCode, &str)] = &[];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus")
}

fn variant_dir(variant: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/vmvx")
        .join(variant)
}

/// One line of cases.tsv.
struct Case {
    name: String,
    module: String,
    function: String,
    calls: usize,
    inputs: Vec<String>,
}

fn read_cases() -> Vec<Case> {
    let text = fs::read_to_string(corpus_dir().join("cases.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() >= 4, "cases.tsv: short line `{line}`");
            Case {
                name: fields[0].to_owned(),
                module: fields[1].to_owned(),
                function: fields[2].to_owned(),
                calls: fields[3].parse().expect("cases.tsv: calls"),
                inputs: fields[4..].iter().map(|s| s.to_string()).collect(),
            }
        })
        .collect()
}

/// The devices every variant runs on.
const DEVICE_URIS: &[&str] = &[
    "local-sync",
    "local-task://?task_topology_group_count=1",
    "local-task://?task_topology_group_count=2",
    "local-task://?task_topology_group_count=8",
];

fn device(uri: &str) -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    register_all_available_drivers(&registry).unwrap();
    devices_from_uris(&registry, &[uri]).unwrap().remove(0)
}

/// Where raw inputs live: device-local memory with the default usage, as
/// the reference tools allocate them (programs assert device visibility).
fn input_params() -> BufferParams {
    BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL,
        access: MemoryAccess::ALL,
        ..Default::default()
    }
}

fn read(path: &Path) -> iree_runtime::Result<Vec<u8>> {
    fs::read(path).map_err(|e| {
        iree_runtime::Error::new(StatusCode::NotFound, format!("{}: {e}", path.display()))
    })
}

/// A `.npy` file as a buffer view.
fn load_npy(path: &Path, allocator: &HeapAllocator) -> iree_runtime::Result<BufferView> {
    Ok(load_ndarray(&read(path)?, allocator)?.0)
}

/// A raw `.bin` file as a buffer view of `shape_and_type` (`3x8xbf16`).
fn load_bin(
    path: &Path,
    shape_and_type: &str,
    allocator: &HeapAllocator,
) -> iree_runtime::Result<BufferView> {
    let data = read(path)?;
    let shaped = parse_shape_and_type(shape_and_type.trim().as_bytes())?;
    let view = BufferView::allocate(
        allocator,
        &shaped.shape,
        shaped.element_type,
        EncodingType::DENSE_ROW_MAJOR,
        input_params(),
        &data,
    )?;
    let expected = view.byte_length() as usize;
    if data.len() != expected {
        return Err(iree_runtime::Error::new(
            StatusCode::InvalidArgument,
            format!(
                "{}: {} bytes where {shape_and_type} needs {expected}",
                path.display(),
                data.len()
            ),
        ));
    }
    Ok(view)
}

fn contents(view: &BufferView) -> Vec<u8> {
    let mut bytes = vec![0; view.byte_length() as usize];
    view.buffer().map_read(0, &mut bytes).unwrap();
    bytes
}

/// How the reference stored one result.
enum Expected {
    /// A `.npy` file: its bytes and the array they hold.
    Npy(Vec<u8>, BufferView),
    /// A raw `.bin` file (bf16) read as its recorded shape and type.
    Bin(BufferView),
}

/// The reference's result `index` of call `call`, if it returned one.
fn expected_result(
    dir: &Path,
    case: &Case,
    call: usize,
    index: usize,
    allocator: &HeapAllocator,
) -> Option<Expected> {
    let base = format!("expected/{}.{call}.{index}", case.name);
    let npy = dir.join(format!("{base}.npy"));
    if npy.exists() {
        let bytes = read(&npy).unwrap();
        let (view, _) = load_ndarray(&bytes, allocator).unwrap();
        return Some(Expected::Npy(bytes, view));
    }
    let bin = dir.join(format!("{base}.bin"));
    if bin.exists() {
        let type_path = dir.join(format!("{base}.bin.type"));
        let shape_and_type = fs::read_to_string(&type_path).unwrap();
        return Some(Expected::Bin(
            load_bin(&bin, &shape_and_type, allocator).unwrap(),
        ));
    }
    None
}

/// What differs between `ours` and `expected`, if anything. npy has no
/// signless integers (the reference writes i32 as `<i4`, which reads back
/// as si32), so npy results are compared as npy: ours is written the way
/// the reference writes and read back before the type, shape and bytes are
/// compared, and then the files must match byte for byte.
fn difference(ours: &BufferView, expected: &Expected, allocator: &HeapAllocator) -> Option<String> {
    let (ours_npy, ours_seen, reference) = match expected {
        Expected::Npy(bytes, view) => {
            let written = match save_ndarray(ours) {
                Ok(written) => written,
                Err(e) => return Some(format!("cannot be written as npy: {e}")),
            };
            let (seen, _) = load_ndarray(&written, allocator).unwrap();
            (Some((written, bytes)), seen, view)
        }
        Expected::Bin(view) => {
            let copy = BufferView::allocate(
                allocator,
                ours.shape(),
                ours.element_type(),
                ours.encoding_type(),
                input_params(),
                &contents(ours),
            )
            .unwrap();
            (None, copy, view)
        }
    };
    if ours_seen.element_type() != reference.element_type() {
        return Some(format!(
            "element type {} where the reference has {}",
            ours_seen.element_type(),
            reference.element_type()
        ));
    }
    if ours_seen.shape() != reference.shape() {
        return Some(format!(
            "shape {:?} where the reference has {:?}",
            ours_seen.shape(),
            reference.shape()
        ));
    }
    let (a, b) = (contents(&ours_seen), contents(reference));
    if let Some(at) = a.iter().zip(&b).position(|(x, y)| x != y) {
        return Some(format!("bytes differ from byte {at} of {}", b.len()));
    }
    if a.len() != b.len() {
        return Some(format!(
            "{} bytes where the reference has {}",
            a.len(),
            b.len()
        ));
    }
    match ours_npy {
        Some((written, file)) if written != *file => {
            Some("same array, but the npy file differs from the reference's".to_owned())
        }
        _ => None,
    }
}

/// Loads the case's module beside the hal module and calls its function
/// `calls` times; returns each call's results.
fn run_case(
    variant: &Path,
    case: &Case,
    device: &Arc<dyn Device>,
) -> iree_runtime::Result<Vec<Vec<Arc<BufferView>>>> {
    let dir = corpus_dir();
    let allocator = device.allocator()?;
    let hal = create_module(vec![Arc::clone(device)])?;
    let bytes = fs::read(variant.join(format!("{}.vmfb", case.module))).unwrap();
    let program = create_bytecode_module(Arc::new(bytes))?;
    let function_name = format!("{}.{}", program.name(), case.function);
    let instance = Arc::new(Instance::new(iree_allocator_t::system())?);
    let context = Context::new(instance, 0, iree_allocator_t::system());
    // Inline programs import hal_inline and hal_loader instead of hal.
    let inline = hal_inline::create_module(Some(Arc::clone(device)))?;
    let loader = hal_loader::create_module()?;
    context.register_modules(&[hal, inline, loader, program])?;
    let function = context.resolve_function(function_name.as_bytes())?;

    let mut inputs = Vec::new();
    for (index, spec) in case.inputs.iter().enumerate() {
        let base = format!("inputs/{}.{index}", case.name);
        let bin = dir.join(format!("{base}.bin"));
        let view = if bin.exists() {
            let shape_and_type = spec.split(':').next().unwrap_or(spec);
            load_bin(&bin, shape_and_type, &allocator)?
        } else {
            load_npy(&dir.join(format!("{base}.npy")), &allocator)?
        };
        inputs.push(Arc::new(view));
    }

    let system = iree_allocator_t::system();
    let mut calls = Vec::new();
    for _ in 0..case.calls {
        let input_list = List::create(None, inputs.len(), system)?;
        let output_list = List::create(None, 8, system)?;
        let (ins, outs) = (List::from_ref(&input_list)?, List::from_ref(&output_list)?);
        for input in &inputs {
            ins.push_ref(to_ref(input))?;
        }
        invoke(&context, function, 0, Some(ins), Some(outs), system)?;
        let results = (0..outs.size())
            .map(|i| to_arc::<BufferView>(&outs.get_ref(i)?, "result"))
            .collect::<iree_runtime::Result<Vec<_>>>()?;
        calls.push(results);
    }
    Ok(calls)
}

/// What differs between our results and the reference's, one line each.
fn compare(
    dir: &Path,
    case: &Case,
    calls: &[Vec<Arc<BufferView>>],
    allocator: &HeapAllocator,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (call, results) in calls.iter().enumerate() {
        let label = format!("case {} (call {call})", case.name);
        let mut expected_count = 0;
        while let Some(expected) = expected_result(dir, case, call, expected_count, allocator) {
            let index = expected_count;
            expected_count += 1;
            if let Some(ours) = results.get(index) {
                if let Some(problem) = difference(ours, &expected, allocator) {
                    problems.push(format!("{label} result {index}: {problem}"));
                }
            }
        }
        if results.len() != expected_count {
            problems.push(format!(
                "{label}: {} results where the reference returned {expected_count}",
                results.len()
            ));
        }
    }
    problems
}

/// Runs every recorded case of `variant` on every device of
/// [`DEVICE_URIS`]; panics listing what differs.
fn check_variant(variant: &str, min_cases: usize) {
    register_types().unwrap();
    let problems: Vec<String> = DEVICE_URIS
        .iter()
        .filter_map(|uri| check_variant_on(variant, min_cases, uri).err())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

fn check_variant_on(variant: &str, min_cases: usize, uri: &str) -> Result<(), String> {
    let dir = variant_dir(variant);
    let device = device(uri);
    let allocator = device.allocator().unwrap();
    let recorded = |case: &Case| {
        dir.join("expected")
            .join(format!("{}.0.0.npy", case.name))
            .exists()
            || dir
                .join("expected")
                .join(format!("{}.0.0.bin", case.name))
                .exists()
    };
    let cases: Vec<Case> = read_cases().into_iter().filter(|c| recorded(c)).collect();
    assert!(
        cases.len() >= min_cases,
        "only {} recorded cases in {variant}",
        cases.len()
    );
    let mut problems = Vec::new();
    let (mut passed, mut failed_as_expected) = (0, 0);
    for case in &cases {
        let expected_failure = EXPECTED_FAILURES
            .iter()
            .find(|(v, name, _, _)| *v == variant && *name == case.name);
        match (run_case(&dir, case, &device), expected_failure) {
            (Ok(calls), None) => {
                let found = compare(&dir, case, &calls, &allocator);
                if found.is_empty() {
                    passed += 1;
                }
                problems.extend(found);
            }
            (Err(e), None) => problems.push(format!("case {}: {e}", case.name)),
            (Ok(_), Some(_)) => problems.push(format!(
                "case {}: ran, but is listed as expected to fail; take it off the list",
                case.name
            )),
            (Err(e), Some((_, _, code, message))) => {
                if e.code() == *code && e.message().contains(message) {
                    failed_as_expected += 1;
                } else {
                    problems.push(format!(
                        "case {}: expected {code:?} containing `{message}`, got {e}",
                        case.name
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{variant} on {uri}: {passed} of {} cases passed ({failed_as_expected} failed as expected); problems:\n{}",
        cases.len(),
        problems.join("\n")
    ))
}

#[test]
fn vmvx_corpus_matches_the_reference() {
    check_variant("plain", 30);
}

#[test]
fn vmvx_corpus_with_microkernels_matches_the_reference() {
    check_variant("ukernels", 30);
}

/// Data-tiled matmuls: `vmvx.mmt4d`, `pack`, `unpack` and
/// `query_tile_sizes.2d`.
#[test]
fn vmvx_corpus_with_data_tiling_matches_the_reference() {
    check_variant("datatiling", 10);
}
