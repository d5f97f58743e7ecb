//! The fuzz harness for the `hal` module's argument checking: each input
//! is read as a sequence of export calls whose arguments come from the
//! input (interesting integers, refs from a pool of real objects of every
//! type, null, and the results of earlier calls; span counts; values of
//! the wrong kind; lists cut short or too long). Any status is fine; a
//! panic, an abort, a hang or an access out of bounds is a finding.
//!
//! `fence.await` always gets a zero timeout: a fence created by an earlier
//! call may never be signalled, and waiting for it is not a bug.

use std::sync::Arc;

use iree_runtime::hal::buffer::Buffer;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::device::{Device, DeviceInfo, DEVICE_ID_DEFAULT};
use iree_runtime::hal::element_type::{ElementType, EncodingType};
use iree_runtime::hal::fence::Fence;
use iree_runtime::hal::local_sync::LocalSyncDevice;
use iree_runtime::hal::memory::{BufferParams, MemoryType};
use iree_runtime::hal::semaphore::Semaphore;
use iree_runtime::modules::hal::exports::EXPORTS;
use iree_runtime::modules::hal::types::to_ref;
use iree_runtime::modules::hal::{HalModule, ValueCall};
use iree_runtime::vm::bytecode::frame::RegisterValue;
use iree_runtime::vm::module::{Module, ModuleState};
use iree_runtime::vm::r#ref::Ref;
use iree_runtime::{Error, StatusCode};

/// Calls per input and refs kept, so one input stays small and quick.
const MAX_CALLS: usize = 48;
const MAX_POOL: usize = 40;

const INTERESTING_I32: [i32; 16] = [
    0,
    1,
    2,
    3,
    4,
    -1,
    16,
    0x30,
    0x0100_0008,
    0x2100_0020,
    64,
    i32::MAX,
    i32::MIN,
    0xFFFF,
    0x7FFF_FFFE,
    7,
];

// No sizes between 1 MiB and the machine's memory: the heap allocator
// would grant them, and a fill would then really touch gigabytes.
const INTERESTING_I64: [i64; 16] = [
    0,
    1,
    3,
    4,
    8,
    16,
    64,
    65,
    4096,
    -1,
    -2,
    i64::MIN,
    i64::MAX,
    1 << 20,
    1 << 44,
    1 << 62,
];

/// What one input did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HalCallsOutcome {
    pub calls: usize,
    pub succeeded: usize,
    /// Failures that were INVALID_ARGUMENT or OUT_OF_RANGE (the checks the
    /// harness aims at), of all failures.
    pub refused_arguments: usize,
}

struct Input<'a> {
    data: &'a [u8],
    at: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.data.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    /// The next byte, or 0 once the input is used up.
    fn byte_or_zero(&mut self) -> u8 {
        self.byte().unwrap_or(0)
    }
}

/// Runs the calls `data` describes on a fresh module over a local-sync
/// device and reports what happened.
pub fn call_hal_exports(data: &[u8]) -> HalCallsOutcome {
    let info = DeviceInfo {
        device_id: DEVICE_ID_DEFAULT,
        path: String::new(),
        name: "default".into(),
    };
    let device: Arc<dyn Device> = Arc::new(LocalSyncDevice::new("local-sync", info));
    let module = HalModule::new(vec![Arc::clone(&device)]).expect("a hal module over one device");
    let mut state = module.alloc_state().expect("hal module state");
    let mut pool = seed_pool(&module, &mut state, &device);
    let mut input = Input { data, at: 0 };
    let mut outcome = HalCallsOutcome::default();
    while outcome.calls < MAX_CALLS {
        let Some(choice) = input.byte() else { break };
        let ordinal = choice as usize % EXPORTS.len();
        let export = &EXPORTS[ordinal];
        let (args, segment_sizes) = arguments(export.name, export.cconv, &mut input, &pool);
        let mut results = Vec::new();
        let call = ValueCall {
            args: &args,
            segment_sizes: Some(&segment_sizes),
            results: &mut results,
        };
        outcome.calls += 1;
        match module.call_export(&mut state, ordinal as u16, call) {
            Ok(()) => {
                outcome.succeeded += 1;
                for value in results {
                    if let RegisterValue::Ref(r) = value {
                        if !r.is_null() && pool.len() < MAX_POOL {
                            pool.push(r);
                        }
                    }
                }
            }
            Err(error) => {
                if matches!(
                    error.code(),
                    StatusCode::InvalidArgument | StatusCode::OutOfRange
                ) {
                    outcome.refused_arguments += 1;
                }
            }
        }
    }
    outcome
}

/// One object of every ref type the exports take (and a vm buffer, and
/// null), made through the HAL and the module's own exports.
fn seed_pool(module: &HalModule, state: &mut ModuleState, device: &Arc<dyn Device>) -> Vec<Ref> {
    let mut pool = vec![Ref::null()];
    let allocator = device.allocator().expect("the device's allocator");
    pool.push(to_ref(&allocator));
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
        ..Default::default()
    };
    let buffer: Arc<Buffer> = allocator
        .allocate_buffer(params, 64, &[7; 64])
        .expect("a 64-byte buffer");
    pool.push(to_ref(&buffer));
    if let Ok(view) = BufferView::create(
        Arc::clone(&buffer),
        &[4, 4],
        ElementType(0x2100_0020),
        EncodingType(1),
    ) {
        pool.push(to_ref(&Arc::new(view)));
    }
    let reached = Arc::new(Semaphore::new(1));
    pool.push(to_ref(&Arc::new(Fence::at(&reached, 1).expect("a fence"))));
    let failed = Arc::new(Semaphore::new(0));
    failed.fail(Error::new(StatusCode::Aborted, "failed on purpose"));
    pool.push(to_ref(&Arc::new(Fence::at(&failed, 1).expect("a fence"))));
    pool.push(to_ref(&reached));
    if let Ok(message) = iree_runtime::vm::buffer::Buffer::create(
        iree_runtime::vm::buffer::ACCESS_MUTABLE,
        16,
        iree_runtime::abi::iree_allocator_t::system(),
    ) {
        pool.push(message);
    }
    // The device, and a finalized command buffer, through the exports.
    let mut call = |name: &str, args: Vec<RegisterValue<Ref>>| -> Option<Ref> {
        let ordinal = EXPORTS.iter().position(|e| e.name == name)? as u16;
        let mut results = Vec::new();
        let call = ValueCall {
            args: &args,
            segment_sizes: None,
            results: &mut results,
        };
        module.call_export(state, ordinal, call).ok()?;
        match results.pop() {
            Some(RegisterValue::Ref(r)) => Some(r),
            _ => None,
        }
    };
    if let Some(device_ref) = call("devices.get", vec![RegisterValue::I32(0)]) {
        pool.push(device_ref.clone());
        let command_buffer = call(
            "command_buffer.create",
            vec![
                RegisterValue::Ref(device_ref),
                RegisterValue::I32(0),
                RegisterValue::I32(3),
                RegisterValue::I64(-1),
                RegisterValue::I32(4),
            ],
        );
        if let Some(command_buffer) = command_buffer {
            call(
                "command_buffer.finalize",
                vec![RegisterValue::Ref(command_buffer.clone())],
            );
            pool.push(command_buffer);
        }
    }
    pool
}

/// The values of one call of `name` (convention `cconv`) and the segment
/// sizes of its top-level arguments, drawn from `input`. One call in eight
/// gets a value of the wrong kind; one in sixteen loses or gains a value.
fn arguments(
    name: &str,
    cconv: &str,
    input: &mut Input<'_>,
    pool: &[Ref],
) -> (Vec<RegisterValue<Ref>>, Vec<i32>) {
    let fragment = cconv
        .strip_prefix('0')
        .and_then(|c| c.split_once('_'))
        .map_or("", |(args, _)| args)
        .as_bytes();
    let mut values = Vec::new();
    let mut segment_sizes = Vec::new();
    let mut i = 0;
    while i < fragment.len() {
        match fragment[i] {
            b'v' => i += 1,
            b'C' => {
                let end = fragment[i..]
                    .iter()
                    .position(|&c| c == b'D')
                    .map_or(fragment.len(), |p| i + p);
                let count = input.byte_or_zero() % 5;
                segment_sizes.push(count as i32);
                for _ in 0..count {
                    for &kind in &fragment[i + 1..end] {
                        values.push(value(kind, input, pool));
                    }
                }
                i = end + 1;
            }
            kind => {
                segment_sizes.push(0xFFFF);
                values.push(value(kind, input, pool));
                i += 1;
            }
        }
    }
    if name == "fence.await" {
        if let Some(timeout) = values.first_mut() {
            *timeout = RegisterValue::I32(0);
        }
    }
    let flags = input.byte_or_zero();
    if flags % 8 == 1 && !values.is_empty() {
        let index = input.byte_or_zero() as usize % values.len();
        values[index] = match values[index] {
            RegisterValue::I32(_) => RegisterValue::I64(1),
            RegisterValue::I64(_) => RegisterValue::Ref(pool[0].clone()),
            RegisterValue::Ref(_) => RegisterValue::I32(1),
        };
    }
    if flags % 16 == 2 {
        values.pop();
    } else if flags % 16 == 3 {
        values.push(RegisterValue::I32(0));
    }
    (values, segment_sizes)
}

fn value(kind: u8, input: &mut Input<'_>, pool: &[Ref]) -> RegisterValue<Ref> {
    let byte = input.byte_or_zero() as usize;
    match kind {
        b'i' | b'f' => RegisterValue::I32(INTERESTING_I32[byte % INTERESTING_I32.len()]),
        b'I' | b'F' => RegisterValue::I64(INTERESTING_I64[byte % INTERESTING_I64.len()]),
        _ => RegisterValue::Ref(pool[byte % pool.len()].clone()),
    }
}
