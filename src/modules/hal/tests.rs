//! The exports called directly with packed arguments: argument checking
//! (wrong sizes, ordinals, types; truncated and hostile calls) and the
//! behaviour programs rely on (binding tables, fences, imports, files).

use std::sync::Arc;

use crate::abi::iree_allocator_t;
use crate::hal::buffer::Buffer;
use crate::hal::device::{Device, DeviceInfo, DEVICE_ID_DEFAULT};
use crate::hal::fence::Fence;
use crate::hal::local_sync::LocalSyncDevice;
use crate::hal::memory::{BufferParams, MemoryType};
use crate::modules::hal::exports::EXPORTS;
use crate::modules::hal::types::{to_arc, to_ref, DeviceObject};
use crate::modules::hal::{run_export, HalModule, HalState};
use crate::vm::buffer::{Buffer as VmBuffer, ACCESS_MUTABLE, ACCESS_ORIGIN_MODULE};
use crate::vm::cconv::{self, Arg};
use crate::vm::module::Module;
use crate::vm::r#ref::Ref;
use crate::{Error, StatusCode};

use Arg::{Span, I32, I64};

struct Harness {
    module: HalModule,
    state: crate::vm::module::ModuleState,
}

impl Harness {
    fn new() -> Harness {
        let info = DeviceInfo {
            device_id: DEVICE_ID_DEFAULT,
            path: String::new(),
            name: "default".into(),
        };
        let device: Arc<dyn Device> = Arc::new(LocalSyncDevice::new("local-sync", info));
        let module = HalModule::new(vec![device]).unwrap();
        let state = module.alloc_state().unwrap();
        Harness { module, state }
    }

    /// Packs `args` by the export's convention, runs it and unpacks the
    /// results.
    fn call(&mut self, name: &str, args: Vec<Arg>) -> Result<Vec<Arg>, Error> {
        let export = EXPORTS.iter().find(|e| e.name == name).expect(name);
        let (arg_fragment, result_fragment) = cconv::fragments(export.cconv).unwrap();
        let packed = cconv::pack(arg_fragment, args).unwrap();
        self.call_packed(name, &packed)
            .map(|results| cconv::unpack(result_fragment, &results).unwrap())
    }

    fn call_packed(&mut self, name: &str, packed: &[u8]) -> Result<Vec<u8>, Error> {
        let export = EXPORTS.iter().find(|e| e.name == name).expect(name);
        let (arg_fragment, result_fragment) = cconv::fragments(export.cconv).unwrap();
        let mut results = vec![0u8; cconv::fragment_size(result_fragment, None).unwrap()];
        let state = self.state.downcast_mut::<HalState>().unwrap();
        let outcome = run_export(&self.module, state, export, "hal", packed, &mut results);
        // The packed arguments hold references of their own.
        if !cconv::is_variadic(arg_fragment) {
            let mut owned = packed.to_vec();
            cconv::release_refs(arg_fragment, &mut owned);
        } else if outcome.is_ok() {
            // (Only well-formed spans: `unpack` trusts span counts.)
            if let Ok(values) = cconv::unpack(arg_fragment, packed) {
                release_packed(values);
            }
        }
        outcome.map(|()| results)
    }

    fn device(&self) -> Ref {
        to_ref(&self.module.devices()[0])
    }

    fn buffer(&self, size: u64) -> Arc<Buffer> {
        self.module.devices()[0]
            .device()
            .allocator()
            .unwrap()
            .allocate_buffer(
                BufferParams {
                    memory_type: MemoryType::DEVICE_LOCAL,
                    ..Default::default()
                },
                size,
                &[],
            )
            .unwrap()
    }

    fn fence(&mut self) -> Ref {
        let device = self.device();
        ref_of(self.call("fence.create", vec![r(device), I64(0)]).unwrap())
    }
}

/// Drops the references packed variadic arguments hold: `unpack` gave a
/// new reference to each, so each is released twice.
fn release_packed(values: Vec<Arg>) {
    for value in values {
        match value {
            Arg::Ref(r) => {
                let mut raw = *r.as_raw();
                drop(r);
                // SAFETY: the packed bytes owned one reference to this
                // target, given up here (the buffer is not read again).
                unsafe { crate::vm::r#ref::raw_release(&mut raw) };
            }
            Arg::Span(tuples) => tuples.into_iter().for_each(release_packed),
            _ => {}
        }
    }
}

fn r(value: Ref) -> Arg {
    Arg::Ref(value)
}

fn ref_of(mut results: Vec<Arg>) -> Ref {
    match results.remove(0) {
        Arg::Ref(r) => r,
        other => panic!("not a ref: {other:?}"),
    }
}

fn string(text: &str) -> Ref {
    let buffer = VmBuffer::create(ACCESS_MUTABLE, text.len(), iree_allocator_t::system()).unwrap();
    VmBuffer::from_ref(&buffer)
        .unwrap()
        .write_elements(0, text.as_bytes(), 1)
        .unwrap();
    buffer
}

fn fails(result: Result<Vec<Arg>, Error>, code: StatusCode, text: &str) {
    match result {
        Ok(values) => panic!("expected {code:?} '{text}', got {values:?}"),
        Err(e) => {
            assert_eq!(e.code(), code, "{e}");
            assert!(
                e.message().contains(text),
                "'{}' lacks '{text}'",
                e.message()
            );
        }
    }
}

#[test]
fn buffer_loads_and_stores_check_sizes_and_ranges() {
    let mut h = Harness::new();
    let buffer = to_ref(&h.buffer(8));
    h.call(
        "buffer.store",
        vec![I32(0x1234_5678), r(buffer.clone()), I64(4), I32(4)],
    )
    .unwrap();
    let loaded = h.call("buffer.load", vec![r(buffer.clone()), I64(4), I32(2)]);
    assert_eq!(loaded.unwrap(), vec![I32(0x5678)]);
    fails(
        h.call("buffer.load", vec![r(buffer.clone()), I64(0), I32(5)]),
        StatusCode::InvalidArgument,
        "load length byte count 5 exceeds max",
    );
    fails(
        h.call("buffer.load", vec![r(buffer.clone()), I64(6), I32(4)]),
        StatusCode::OutOfRange,
        "",
    );
    fails(
        h.call(
            "buffer.store",
            vec![I32(1), r(buffer.clone()), I64(7), I32(2)],
        ),
        StatusCode::OutOfRange,
        "store out of bounds (target_offset=7, length=2 into max 8)",
    );
    fails(
        h.call("buffer.load", vec![r(buffer.clone()), I64(-4), I32(1)]),
        StatusCode::OutOfRange,
        "source offset -4 is negative",
    );
    fails(
        h.call("buffer.subspan", vec![r(buffer.clone()), I64(4), I64(8)]),
        StatusCode::OutOfRange,
        "",
    );
    let subspan = ref_of(
        h.call("buffer.subspan", vec![r(buffer.clone()), I64(4), I64(4)])
            .unwrap(),
    );
    assert_eq!(
        h.call("buffer.length", vec![r(subspan.clone())]).unwrap(),
        vec![I64(4)]
    );
    assert_eq!(
        h.call("buffer.load", vec![r(subspan), I64(0), I32(4)])
            .unwrap(),
        vec![I32(0x1234_5678)]
    );
}

#[test]
fn refs_of_the_wrong_type_or_null_are_refused_by_name() {
    let mut h = Harness::new();
    let fence = h.fence();
    fails(
        h.call("buffer.length", vec![r(fence.clone())]),
        StatusCode::InvalidArgument,
        "buffer has type !hal.fence; expected a !hal.buffer",
    );
    fails(
        h.call("buffer.length", vec![r(Ref::null())]),
        StatusCode::InvalidArgument,
        "buffer is null; expected a !hal.buffer",
    );
    fails(
        h.call("device.allocator", vec![r(string("not a device"))]),
        StatusCode::InvalidArgument,
        "device has type !vm.buffer; expected a !hal.device",
    );
    fails(
        h.call(
            "device.query.i64",
            vec![r(h.device()), r(fence), r(string("key"))],
        ),
        StatusCode::InvalidArgument,
        "category has type !hal.fence; expected a !vm.buffer",
    );
}

#[test]
fn buffer_views_check_shapes_types_and_sizes() {
    let mut h = Harness::new();
    let buffer = to_ref(&h.buffer(24));
    let f32_type = I32(0x2100_0020);
    let view = ref_of(
        h.call(
            "buffer_view.create",
            vec![
                r(buffer.clone()),
                I64(0),
                I64(24),
                f32_type.clone(),
                I32(1),
                Span(vec![vec![I64(2)], vec![I64(3)]]),
            ],
        )
        .unwrap(),
    );
    assert_eq!(
        h.call("buffer_view.rank", vec![r(view.clone())]).unwrap(),
        vec![I32(2)]
    );
    assert_eq!(
        h.call("buffer_view.dim", vec![r(view.clone()), I32(1)])
            .unwrap(),
        vec![I64(3)]
    );
    fails(
        h.call("buffer_view.dim", vec![r(view.clone()), I32(2)]),
        StatusCode::OutOfRange,
        "dimension index 2 is out of range for a buffer view of rank 2",
    );
    fails(
        h.call("buffer_view.dim", vec![r(view.clone()), I32(-1)]),
        StatusCode::OutOfRange,
        "dimension index -1",
    );
    // More elements than the buffer holds.
    fails(
        h.call(
            "buffer_view.create",
            vec![
                r(buffer.clone()),
                I64(0),
                I64(24),
                f32_type.clone(),
                I32(1),
                Span(vec![vec![I64(7)]]),
            ],
        ),
        StatusCode::InvalidArgument,
        "needs 28 bytes but its buffer has 24",
    );
    fails(
        h.call(
            "buffer_view.create",
            vec![
                r(buffer.clone()),
                I64(0),
                I64(24),
                f32_type.clone(),
                I32(1),
                Span(vec![vec![I64(-1)]]),
            ],
        ),
        StatusCode::InvalidArgument,
        "shape dimension 0 is negative",
    );
    fails(
        h.call(
            "buffer_view.create",
            vec![
                r(buffer.clone()),
                I64(16),
                I64(16),
                f32_type.clone(),
                I32(1),
                Span(vec![]),
            ],
        ),
        StatusCode::OutOfRange,
        "",
    );
    let message = || r(string("input 0"));
    let assert_view = |h: &mut Harness, element_type: i32, shape: &[i64]| {
        h.call(
            "buffer_view.assert",
            vec![
                r(view.clone()),
                message(),
                I32(element_type),
                I32(1),
                Span(shape.iter().map(|&d| vec![I64(d)]).collect()),
            ],
        )
    };
    assert_view(&mut h, 0x2100_0020, &[2, 3]).unwrap();
    fails(
        assert_view(&mut h, 0x1000_0020, &[2, 3]),
        StatusCode::InvalidArgument,
        "input 0 element type mismatch; expected i32 (10000020) but have f32 (21000020)",
    );
    fails(
        assert_view(&mut h, 0x2100_0020, &[2, 4]),
        StatusCode::InvalidArgument,
        "input 0 shape dimension 1 mismatch; expected 4 but have 3",
    );
    fails(
        assert_view(&mut h, 0x2100_0020, &[6]),
        StatusCode::InvalidArgument,
        "input 0 shape rank mismatch; expected 1 but have 2",
    );
    let buffer_arg = r(buffer.clone());
    fails(
        h.call(
            "buffer.assert",
            vec![
                buffer_arg,
                message(),
                r(to_ref(&h.module.devices()[0].device().allocator().unwrap())),
                I64(32),
                I32(16),
                I32(0xC03),
            ],
        ),
        StatusCode::InvalidArgument,
        "input 0 buffer byte length 24 less than expected minimum 32",
    );
}

#[test]
fn truncated_and_hostile_calls_are_refused() {
    let mut h = Harness::new();
    let buffer = to_ref(&h.buffer(8));
    // Only the ref of `buffer.load`'s (ref, i64, i32).
    let packed = cconv::pack("r", vec![r(buffer.clone())]).unwrap();
    let err = h.call_packed("buffer.load", &packed).unwrap_err();
    assert!(err.message().contains("signature mismatch"), "{err}");
    // Extra bytes after the last argument.
    // (`call_packed` releases the packed ref.)
    let mut packed = cconv::pack("r", vec![r(buffer.clone())]).unwrap();
    packed.extend_from_slice(&[0; 4]);
    let err = h.call_packed("buffer.length", &packed).unwrap_err();
    assert!(
        err.message()
            .contains("20 argument bytes were given but 16 read"),
        "{err}"
    );
    // A span count far past the bytes given allocates nothing and fails.
    let mut packed = cconv::pack("iI", vec![I32(-1), I64(0)]).unwrap();
    packed.extend_from_slice(&i32::MAX.to_le_bytes());
    let err = h.call_packed("fence.await", &packed).unwrap_err();
    assert!(err.message().contains("does not fit"), "{err}");
    let mut packed = cconv::pack("iI", vec![I32(-1), I64(0)]).unwrap();
    packed.extend_from_slice(&(-3i32).to_le_bytes());
    let err = h.call_packed("fence.await", &packed).unwrap_err();
    assert!(err.message().contains("span count -3 is negative"), "{err}");
}

#[test]
fn devices_and_queries_drive_device_selection() {
    let mut h = Harness::new();
    assert_eq!(h.call("devices.count", vec![]).unwrap(), vec![I32(1)]);
    let device = ref_of(h.call("devices.get", vec![I32(0)]).unwrap());
    assert_eq!(device, h.device());
    assert!(ref_of(h.call("devices.get", vec![I32(1)]).unwrap()).is_null());
    assert!(ref_of(h.call("devices.get", vec![I32(-1)]).unwrap()).is_null());
    let query = |h: &mut Harness, category: &str, key: &str| {
        h.call(
            "device.query.i64",
            vec![r(device.clone()), r(string(category)), r(string(key))],
        )
        .unwrap()
    };
    assert_eq!(
        query(&mut h, "hal.device.id", "local*"),
        vec![I32(1), I64(1)]
    );
    assert_eq!(
        query(&mut h, "hal.device.id", "cuda*"),
        vec![I32(1), I64(0)]
    );
    assert_eq!(
        query(&mut h, "hal.device", "concurrency"),
        vec![I32(1), I64(1)]
    );
    assert_eq!(query(&mut h, "hal.nothing", "x"), vec![I32(0), I64(0)]);
}

#[test]
fn execute_indirect_resolves_slots_from_each_calls_binding_table() {
    let mut h = Harness::new();
    let device = h.device();
    // Reusable, transfer+dispatch, two slots: copy slot 0 -> slot 1.
    let command_buffer = ref_of(
        h.call(
            "command_buffer.create",
            vec![r(device.clone()), I32(0), I32(3), I64(-1), I32(2)],
        )
        .unwrap(),
    );
    h.call(
        "command_buffer.copy_buffer",
        vec![
            r(command_buffer.clone()),
            I32(0),
            I32(1),
            r(Ref::null()),
            I64(0),
            r(Ref::null()),
            I64(0),
            I64(8),
            I64(0),
        ],
    )
    .unwrap();
    h.call(
        "command_buffer.execution_barrier",
        vec![r(command_buffer.clone()), I32(28), I32(13), I64(0)],
    )
    .unwrap();
    // Slot 2 is past the capacity of 2.
    fails(
        h.call(
            "command_buffer.fill_buffer",
            vec![
                r(command_buffer.clone()),
                r(Ref::null()),
                I64(0),
                I64(4),
                I32(2),
                I64(0),
                I32(4),
                I64(0),
            ],
        ),
        StatusCode::OutOfRange,
        "binding table slot 2 is out of range",
    );
    fails(
        h.call(
            "command_buffer.fill_buffer",
            vec![
                r(command_buffer.clone()),
                r(Ref::null()),
                I64(0),
                I64(4),
                I32(0),
                I64(0),
                I32(3),
                I64(0),
            ],
        ),
        StatusCode::InvalidArgument,
        "fill pattern length 3 is not 1, 2 or 4",
    );
    h.call("command_buffer.finalize", vec![r(command_buffer.clone())])
        .unwrap();
    for round in 0..3u8 {
        let source = h.buffer(8);
        let target = h.buffer(16);
        source.map_write(0, &[round + 1; 8]).unwrap();
        let signal = h.fence();
        h.call(
            "device.queue.execute.indirect",
            vec![
                r(device.clone()),
                I64(-1),
                r(Ref::null()),
                r(signal.clone()),
                r(command_buffer.clone()),
                I64(0),
                Span(vec![
                    vec![r(to_ref(&source)), I64(0), I64(8)],
                    vec![r(to_ref(&target)), I64(8), I64(8)],
                ]),
            ],
        )
        .unwrap();
        let waited = h.call(
            "fence.await",
            vec![I32(-1), I64(0), Span(vec![vec![r(signal)]])],
        );
        assert_eq!(waited.unwrap(), vec![I32(0)]);
        let mut bytes = [0u8; 16];
        target.map_read(0, &mut bytes).unwrap();
        assert_eq!(bytes[..8], [0; 8]);
        assert_eq!(bytes[8..], [round + 1; 8]);
    }
    // A table with too few entries fails the submission with a status.
    let signal = h.fence();
    let result = h.call(
        "device.queue.execute.indirect",
        vec![
            r(device.clone()),
            I64(-1),
            r(Ref::null()),
            r(signal.clone()),
            r(command_buffer.clone()),
            I64(0),
            Span(vec![vec![r(to_ref(&h.buffer(8))), I64(0), I64(8)]]),
        ],
    );
    let awaited = h.call(
        "fence.await",
        vec![I32(-1), I64(0), Span(vec![vec![r(signal)]])],
    );
    assert!(
        result.is_err() || awaited.is_err(),
        "{result:?} {awaited:?}"
    );
}

#[test]
fn fences_join_query_fail_and_await() {
    let mut h = Harness::new();
    let a = h.fence();
    let b = h.fence();
    let joined = ref_of(
        h.call(
            "fence.join",
            vec![
                I64(0),
                Span(vec![
                    vec![r(a.clone())],
                    vec![r(b.clone())],
                    vec![r(Ref::null())],
                ]),
            ],
        )
        .unwrap(),
    );
    assert_eq!(
        h.call("fence.query", vec![r(joined.clone())]).unwrap(),
        vec![I32(17)]
    );
    // A zero timeout on a pending fence reports DEADLINE_EXCEEDED's code.
    let waited = h.call(
        "fence.await",
        vec![I32(0), I64(0), Span(vec![vec![r(joined.clone())]])],
    );
    assert_eq!(waited.unwrap(), vec![I32(4)]);
    h.call("fence.signal", vec![r(a.clone())]).unwrap();
    assert_eq!(
        h.call("fence.query", vec![r(joined.clone())]).unwrap(),
        vec![I32(17)]
    );
    h.call(
        "fence.fail",
        vec![r(b.clone()), I32(StatusCode::DataLoss as i32)],
    )
    .unwrap();
    assert_eq!(
        h.call("fence.query", vec![r(b.clone())]).unwrap(),
        vec![I32(15)]
    );
    fails(
        h.call(
            "fence.await",
            vec![I32(-1), I64(0), Span(vec![vec![r(joined)]])],
        ),
        StatusCode::DataLoss,
        "failed by the program",
    );
    // Joining nothing pending gives null, which awaits at once.
    let empty = ref_of(h.call("fence.join", vec![I64(0), Span(vec![])]).unwrap());
    assert!(empty.is_null());
    assert_eq!(
        h.call(
            "fence.await",
            vec![I32(-1), I64(0), Span(vec![vec![r(empty)]])]
        )
        .unwrap(),
        vec![I32(0)]
    );
    assert!(to_arc::<Fence>(&a, "a").unwrap().is_reached().unwrap());
}

#[test]
fn queue_allocations_fills_and_copies_run_in_fence_order() {
    let mut h = Harness::new();
    let device = h.device();
    let first = h.fence();
    let buffer = ref_of(
        h.call(
            "device.queue.alloca",
            vec![
                r(device.clone()),
                I64(-1),
                r(Ref::null()),
                r(first.clone()),
                I64(0),
                I32(48),
                I32(0xC03),
                I64(16),
                I64(0),
            ],
        )
        .unwrap(),
    );
    fails(
        h.call(
            "device.queue.alloca",
            vec![
                r(device.clone()),
                I64(-1),
                r(Ref::null()),
                r(Ref::null()),
                I64(7),
                I32(48),
                I32(0xC03),
                I64(16),
                I64(0),
            ],
        ),
        StatusCode::Unimplemented,
        "pools",
    );
    let second = h.fence();
    h.call(
        "device.queue.fill",
        vec![
            r(device.clone()),
            I64(-1),
            r(first),
            r(second.clone()),
            r(buffer.clone()),
            I64(4),
            I64(8),
            I64(0x0102),
            I32(2),
            I64(0),
        ],
    )
    .unwrap();
    h.call(
        "fence.await",
        vec![I32(-1), I64(0), Span(vec![vec![r(second)]])],
    )
    .unwrap();
    let bytes = to_arc::<Buffer>(&buffer, "buffer")
        .unwrap()
        .read_all()
        .unwrap();
    assert_eq!(bytes, [0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 0, 0, 0, 0]);
    // A fill past the end is refused when issued.
    fails(
        h.call(
            "device.queue.fill",
            vec![
                r(device.clone()),
                I64(-1),
                r(Ref::null()),
                r(Ref::null()),
                r(buffer.clone()),
                I64(12),
                I64(8),
                I64(0),
                I32(4),
                I64(0),
            ],
        ),
        StatusCode::OutOfRange,
        "",
    );
    h.call(
        "device.queue.dealloca",
        vec![
            r(device),
            I64(-1),
            r(Ref::null()),
            r(Ref::null()),
            r(buffer),
            I64(0),
        ],
    )
    .unwrap();
}

#[test]
fn module_data_imports_without_copying_and_reads_through_files() {
    let mut h = Harness::new();
    let device = h.device();
    let allocator = ref_of(h.call("device.allocator", vec![r(device.clone())]).unwrap());
    let source = VmBuffer::create(ACCESS_MUTABLE, 256, iree_allocator_t::system()).unwrap();
    let bytes: Vec<u8> = (0..=255).collect();
    VmBuffer::from_ref(&source)
        .unwrap()
        .write_elements(0, &bytes, 1)
        .unwrap();
    let address = VmBuffer::from_ref(&source).unwrap().data.data as usize;
    let aligned = ((64 - address % 64) % 64) as i64;
    let import = |h: &mut Harness, is_try: i32, offset: i64, length: i64, usage: i32| {
        h.call(
            "allocator.import",
            vec![
                r(allocator.clone()),
                I32(is_try),
                I64(-1),
                I32(48),
                I32(usage),
                r(source.clone()),
                I64(offset),
                I64(length),
            ],
        )
    };
    let imported = ref_of(import(&mut h, 1, aligned, 64, 0xC03).unwrap());
    let imported = to_arc::<Buffer>(&imported, "imported").unwrap();
    assert_eq!(
        imported.storage().as_ptr() as usize,
        address + aligned as usize
    );
    assert_eq!(
        imported.read_all().unwrap()[..4],
        bytes[aligned as usize..][..4]
    );
    // Memory the heap cannot take as is: a try gives null, else a status.
    assert!(ref_of(import(&mut h, 1, aligned + 1, 8, 0xC03).unwrap()).is_null());
    fails(
        import(&mut h, 0, aligned + 1, 8, 0xC03),
        StatusCode::OutOfRange,
        "aligned",
    );
    fails(
        import(&mut h, 1, 250, 8, 0xC03),
        StatusCode::InvalidArgument,
        "byte range out of bounds (requested 250+8 of available 256)",
    );
    let constant = VmBuffer::create(ACCESS_ORIGIN_MODULE, 64, iree_allocator_t::system()).unwrap();
    fails(
        h.call(
            "allocator.import",
            vec![
                r(allocator.clone()),
                I32(1),
                I64(-1),
                I32(48),
                I32(0xC03),
                r(constant),
                I64(0),
                I64(-1),
            ],
        ),
        StatusCode::PermissionDenied,
        "immutable",
    );

    let file = ref_of(
        h.call(
            "ex.file.from_memory",
            vec![
                r(device.clone()),
                I64(-1),
                I32(1),
                r(source.clone()),
                I64(16),
                I64(32),
                I32(0),
            ],
        )
        .unwrap(),
    );
    fails(
        h.call(
            "ex.file.from_memory",
            vec![
                r(device.clone()),
                I64(-1),
                I32(3),
                r(source.clone()),
                I64(0),
                I64(8),
                I32(0),
            ],
        ),
        StatusCode::PermissionDenied,
        "read-only",
    );
    let target = h.buffer(8);
    let done = h.fence();
    h.call(
        "device.queue.read",
        vec![
            r(device.clone()),
            I64(-1),
            r(Ref::null()),
            r(done.clone()),
            r(file.clone()),
            I64(4),
            r(to_ref(&target)),
            I64(0),
            I64(8),
            I64(0),
        ],
    )
    .unwrap();
    h.call(
        "fence.await",
        vec![I32(-1), I64(0), Span(vec![vec![r(done)]])],
    )
    .unwrap();
    assert_eq!(target.read_all().unwrap(), bytes[20..28]);
    fails(
        h.call(
            "device.queue.read",
            vec![
                r(device),
                I64(-1),
                r(Ref::null()),
                r(Ref::null()),
                r(file),
                I64(30),
                r(to_ref(&target)),
                I64(0),
                I64(8),
                I64(0),
            ],
        ),
        StatusCode::OutOfRange,
        "outside of the valid buffer range",
    );
}

#[test]
fn malformed_executables_and_channels_report_what_is_wrong() {
    let mut h = Harness::new();
    let device = h.device();
    let err = h
        .call(
            "executable.create",
            vec![
                r(device.clone()),
                I64(-1),
                r(string("embedded-elf-x86_64")),
                r(string("\x7fELF")),
                r(Ref::null()),
            ],
        )
        .unwrap_err();
    // A truncated ELF reaches the loader, which names what is wrong and
    // which format it was loading.
    assert_eq!(err.code(), StatusCode::InvalidArgument, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("shorter than the 64-byte ELF header"),
        "{text}"
    );
    assert!(text.contains("'embedded-elf-x86_64'"), "{text}");
    fails(
        h.call(
            "executable.create",
            vec![
                r(device.clone()),
                I64(-1),
                r(string("embedded-elf-x86_64")),
                r(string("data")),
                r(string("abc")),
            ],
        ),
        StatusCode::InvalidArgument,
        "4-byte elements",
    );
    fails(
        h.call(
            "channel.create",
            vec![
                r(device),
                I64(-1),
                I64(0),
                r(Ref::null()),
                r(Ref::null()),
                I32(0),
                I32(1),
            ],
        ),
        StatusCode::Unimplemented,
        "collective channels are not supported",
    );
    // A dispatch needs an executable; a null one is refused by name.
    let command_buffer = ref_of(
        h.call(
            "command_buffer.create",
            vec![r(h.device()), I32(1), I32(3), I64(-1), I32(0)],
        )
        .unwrap(),
    );
    fails(
        h.call(
            "command_buffer.dispatch",
            vec![
                r(command_buffer.clone()),
                r(Ref::null()),
                I64(0),
                I32(1),
                I32(1),
                I32(1),
                I64(0),
                Span(vec![vec![I32(7)]]),
                Span(vec![vec![
                    I32(0),
                    I32(0),
                    r(to_ref(&h.buffer(4))),
                    I64(0),
                    I64(4),
                ]]),
            ],
        ),
        StatusCode::InvalidArgument,
        "executable is null",
    );
    fails(
        h.call(
            "command_buffer.create",
            vec![r(h.device()), I32(1), I32(3), I64(-1), I32(4)],
        ),
        StatusCode::InvalidArgument,
        "one-shot command buffers take no binding table",
    );
    fails(
        h.call(
            "command_buffer.create",
            vec![r(h.device()), I32(0), I32(3), I64(-1), I32(-1)],
        ),
        StatusCode::InvalidArgument,
        "binding capacity -1 is negative",
    );
    let _ = DeviceObject::new;
}

#[test]
fn allocation_preserve_counts_track_owners() {
    let mut h = Harness::new();
    let buffer = to_ref(&h.buffer(4));
    assert_eq!(
        h.call("buffer.allocation.is_terminal", vec![r(buffer.clone())])
            .unwrap(),
        vec![I32(1)]
    );
    h.call("buffer.allocation.preserve", vec![r(buffer.clone())])
        .unwrap();
    assert_eq!(
        h.call("buffer.allocation.is_terminal", vec![r(buffer.clone())])
            .unwrap(),
        vec![I32(0)]
    );
    assert_eq!(
        h.call("buffer.allocation.discard", vec![r(buffer.clone())])
            .unwrap(),
        vec![I32(0)]
    );
    assert_eq!(
        h.call("buffer.allocation.discard", vec![r(buffer)])
            .unwrap(),
        vec![I32(1)]
    );
}
