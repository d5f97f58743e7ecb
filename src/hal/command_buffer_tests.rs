//! Recording and validation of command buffers (execution through a device
//! is tested in tests/hal_local_sync.rs).

use super::*;
use crate::hal::allocator::HeapAllocator;
use crate::hal::executable::{
    DescriptorSetLayout, DescriptorSetLayoutBinding, DescriptorSetLayoutUsage, DescriptorType,
};
use crate::hal::memory::{BufferParams, QUEUE_AFFINITY_ANY};
use crate::StatusCode;

fn buffer(size: u64) -> Arc<Buffer> {
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
        usage: BufferUsage::TRANSFER | BufferUsage::DISPATCH | BufferUsage::MAPPING,
        ..Default::default()
    };
    HeapAllocator::new("test")
        .allocate_buffer(params, size, &[])
        .unwrap()
}

fn one_shot(categories: CommandCategory) -> CommandBuffer {
    CommandBuffer::new(
        CommandBufferMode::ONE_SHOT,
        categories,
        QUEUE_AFFINITY_ANY,
        0,
    )
    .unwrap()
}

fn no_dispatch(_: ResolvedDispatch<'_>) -> Result<()> {
    panic!("no dispatch expected")
}

#[test]
fn states_begin_end_and_debug_groups() {
    let cb = one_shot(CommandCategory::ANY);
    let target = buffer(16);
    let code = |r: Result<()>| r.unwrap_err().code();
    assert_eq!(
        code(cb.fill_buffer(BufferRef::direct(&target, 0, 4), &[1])),
        StatusCode::FailedPrecondition
    );
    assert_eq!(code(cb.end()), StatusCode::FailedPrecondition);
    cb.begin().unwrap();
    assert_eq!(code(cb.begin()), StatusCode::FailedPrecondition);
    cb.begin_debug_group("group").unwrap();
    assert_eq!(code(cb.end()), StatusCode::FailedPrecondition);
    cb.end_debug_group().unwrap();
    assert_eq!(code(cb.end_debug_group()), StatusCode::FailedPrecondition);
    cb.execution_barrier().unwrap();
    cb.end().unwrap();
    assert_eq!(code(cb.begin()), StatusCode::FailedPrecondition);
    assert_eq!(cb.command_count(), 1);
    // One-shot: once.
    cb.execute(&[], &mut no_dispatch).unwrap();
    assert_eq!(
        code(cb.execute(&[], &mut no_dispatch)),
        StatusCode::FailedPrecondition
    );
}

#[test]
fn creation_rejects_bad_modes_and_categories() {
    let code = |r: Result<CommandBuffer>| r.unwrap_err().code();
    let any = CommandCategory::ANY;
    assert_eq!(
        code(CommandBuffer::new(
            CommandBufferMode::empty(),
            CommandCategory::empty(),
            0,
            0
        )),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(CommandBuffer::new(
            CommandBufferMode::empty(),
            CommandCategory::from_bits_retain(8),
            0,
            0
        )),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(CommandBuffer::new(
            CommandBufferMode::from_bits_retain(1 << 9),
            any,
            0,
            0
        )),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(CommandBuffer::new(
            CommandBufferMode::ALLOW_INLINE_EXECUTION,
            any,
            0,
            0
        )),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(CommandBuffer::new(CommandBufferMode::ONE_SHOT, any, 0, 2)),
        StatusCode::InvalidArgument
    );
    assert_eq!(CommandCategory::ANY.format(), "ANY");
    assert_eq!(
        (CommandBufferMode::ONE_SHOT | CommandBufferMode::ALLOW_INLINE_EXECUTION).format(),
        "ONE_SHOT|ALLOW_INLINE_EXECUTION"
    );
}

#[test]
fn every_argument_is_validated() {
    let transfer = one_shot(CommandCategory::TRANSFER);
    transfer.begin().unwrap();
    let target = buffer(16);
    let code = |r: Result<()>| r.unwrap_err().code();
    // Ranges.
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::direct(&target, 12, 8), &[1])),
        StatusCode::OutOfRange
    );
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::direct(&target, 20, 0), &[1])),
        StatusCode::OutOfRange
    );
    // Pattern sizes and alignment.
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::direct(&target, 0, 6), &[1, 2, 3])),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::direct(&target, 2, 8), &[1, 2, 3, 4])),
        StatusCode::InvalidArgument
    );
    // Update length must match the data and fit.
    assert_eq!(
        code(transfer.update_buffer(&[1, 2, 3], BufferRef::direct(&target, 0, 4))),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(transfer.update_buffer(&[0; 8], BufferRef::direct(&target, 12, WHOLE_BUFFER))),
        StatusCode::OutOfRange
    );
    // Overlapping copies within one buffer.
    assert_eq!(
        code(transfer.copy_buffer(
            BufferRef::direct(&target, 0, 8),
            BufferRef::direct(&target, 4, 8)
        )),
        StatusCode::InvalidArgument
    );
    transfer
        .copy_buffer(
            BufferRef::direct(&target, 0, 8),
            BufferRef::direct(&target, 8, 8),
        )
        .unwrap();
    // Slots need a binding capacity.
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::slot(0, 0, 4), &[1])),
        StatusCode::OutOfRange
    );
    // Dispatch-only commands in a transfer-only buffer.
    let layout = ExecutableLayout::new(4, vec![]).unwrap();
    assert_eq!(
        code(transfer.push_constants(&layout, 0, &[0; 4])),
        StatusCode::FailedPrecondition
    );
    assert_eq!(
        code(transfer.signal_event(&Arc::new(Event::new()))),
        StatusCode::FailedPrecondition
    );

    // Access and usage bits.
    let read_only = {
        let params = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL,
            access: MemoryAccess::READ,
            usage: BufferUsage::TRANSFER,
            ..Default::default()
        };
        HeapAllocator::new("ro")
            .allocate_buffer(params, 16, &[])
            .unwrap()
    };
    assert_eq!(
        code(transfer.fill_buffer(BufferRef::direct(&read_only, 0, 4), &[1])),
        StatusCode::PermissionDenied
    );
    let dispatch = one_shot(CommandCategory::DISPATCH);
    dispatch.begin().unwrap();
    assert_eq!(
        code(dispatch.push_constants(&layout, 0, &[0; 3])),
        StatusCode::InvalidArgument
    );
    assert_eq!(
        code(dispatch.push_constants(&layout, 8, &[0; 12])),
        StatusCode::OutOfRange
    );
    assert_eq!(
        code(dispatch.fill_buffer(BufferRef::direct(&target, 0, 4), &[1])),
        StatusCode::FailedPrecondition
    );
    let executable = Arc::new(Executable::new("test-format", vec!["main".into()]));
    assert_eq!(
        code(dispatch.dispatch(&executable, 1, Workgroups::Count([1, 1, 1]), &[], vec![])),
        StatusCode::OutOfRange
    );
    assert_eq!(
        code(dispatch.dispatch(
            &executable,
            0,
            Workgroups::Count([1, 1, 1]),
            &[0; 65],
            vec![]
        )),
        StatusCode::OutOfRange
    );
}

#[test]
fn seed_binding_state_becomes_direct_dispatch_arguments() {
    let set_layout = Arc::new(
        DescriptorSetLayout::new(
            DescriptorSetLayoutUsage::PushOnly,
            &[
                DescriptorSetLayoutBinding {
                    binding: 0,
                    descriptor_type: DescriptorType::StorageBuffer,
                },
                DescriptorSetLayoutBinding {
                    binding: 1,
                    descriptor_type: DescriptorType::StorageBufferDynamic,
                },
            ],
        )
        .unwrap(),
    );
    let layout = ExecutableLayout::new(2, vec![set_layout.clone()]).unwrap();
    let a = buffer(64);
    let b = buffer(64);
    let cb = one_shot(CommandCategory::DISPATCH);
    cb.begin().unwrap();
    cb.push_constants(&layout, 0, &[7, 0, 0, 0, 9, 0, 0, 0])
        .unwrap();
    let set = DescriptorSet::new(
        set_layout,
        vec![
            DescriptorSetBinding {
                binding: 1,
                buffer: Some(b.clone()),
                offset: 4,
                length: 8,
            },
            DescriptorSetBinding {
                binding: 0,
                buffer: Some(a.clone()),
                offset: 0,
                length: 16,
            },
        ],
    )
    .unwrap();
    cb.bind_descriptor_set(&layout, 0, &set, &[16]).unwrap();
    let executable = Arc::new(Executable::new("test-format", vec!["main".into()]));
    cb.dispatch_with_bound_state(&executable, 0, Workgroups::Count([2, 3, 4]))
        .unwrap();
    cb.end().unwrap();
    let mut seen = Vec::new();
    cb.execute(&[], &mut |d: ResolvedDispatch<'_>| {
        seen.push((
            d.workgroup_count,
            d.constants.to_vec(),
            d.bindings
                .iter()
                .map(|r| (Arc::ptr_eq(&r.buffer, &a), r.offset, r.length))
                .collect::<Vec<_>>(),
        ));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        seen,
        vec![([2, 3, 4], vec![7, 9], vec![(true, 0, 16), (false, 20, 8)])]
    );
}

#[test]
fn slots_resolve_through_each_binding_table() {
    let cb = CommandBuffer::new(
        CommandBufferMode::empty(),
        CommandCategory::ANY,
        QUEUE_AFFINITY_ANY,
        2,
    )
    .unwrap();
    cb.begin().unwrap();
    cb.fill_buffer(BufferRef::slot(0, 4, 4), &[0xAB]).unwrap();
    cb.copy_buffer(BufferRef::slot(0, 4, 4), BufferRef::slot(1, 0, 4))
        .unwrap();
    cb.end().unwrap();
    let table = |x: &Arc<Buffer>, y: &Arc<Buffer>| {
        vec![
            Binding {
                buffer: Some(x.clone()),
                offset: 8,
                length: 8,
            },
            Binding {
                buffer: Some(y.clone()),
                offset: 0,
                length: WHOLE_BUFFER,
            },
        ]
    };
    let (a, b, c) = (buffer(16), buffer(4), buffer(4));
    cb.execute(&table(&a, &b), &mut no_dispatch).unwrap();
    cb.execute(&table(&a, &c), &mut no_dispatch).unwrap();
    assert_eq!(a.read_all().unwrap(), [vec![0; 12], vec![0xAB; 4]].concat());
    assert_eq!(b.read_all().unwrap(), vec![0xAB; 4]);
    assert_eq!(c.read_all().unwrap(), vec![0xAB; 4]);
    let code = |r: Result<()>| r.unwrap_err().code();
    // Too few entries, a missing buffer, an entry too small for the command.
    assert_eq!(
        code(cb.execute(&table(&a, &b)[..1], &mut no_dispatch)),
        StatusCode::InvalidArgument
    );
    let mut missing = table(&a, &b);
    missing[1].buffer = None;
    assert_eq!(
        code(cb.execute(&missing, &mut no_dispatch)),
        StatusCode::InvalidArgument
    );
    let mut small = table(&a, &b);
    small[0].length = 6;
    assert_eq!(
        code(cb.execute(&small, &mut no_dispatch)),
        StatusCode::OutOfRange
    );
    let mut past = table(&a, &b);
    past[0].offset = 12;
    assert_eq!(
        code(cb.execute(&past, &mut no_dispatch)),
        StatusCode::OutOfRange
    );
}

#[test]
fn events_and_dispatch_reach_the_executor() {
    let cb = one_shot(CommandCategory::ANY);
    let event = Arc::new(Event::new());
    cb.begin().unwrap();
    cb.signal_event(&event).unwrap();
    cb.wait_events(std::slice::from_ref(&event)).unwrap();
    cb.reset_event(&event).unwrap();
    let executable = Arc::new(Executable::new("fmt", vec!["a".into(), "b".into()]));
    let params = buffer(16);
    params
        .map_write(4, &[3, 0, 0, 0, 5, 0, 0, 0, 7, 0, 0, 0])
        .unwrap();
    cb.dispatch(
        &executable,
        1,
        Workgroups::Indirect(BufferRef::direct(&params, 4, 12)),
        &[1, 2],
        vec![BufferRef::direct(&params, 0, 8)],
    )
    .unwrap();
    cb.end().unwrap();
    let mut counts = Vec::new();
    let err = cb
        .execute(&[], &mut |d: ResolvedDispatch<'_>| {
            counts.push((d.entry_point, d.workgroup_count));
            Err(iree_err!(Unimplemented, "no loader"))
        })
        .unwrap_err();
    assert_eq!(err.code(), StatusCode::Unimplemented);
    assert_eq!(counts, vec![(1, [3, 5, 7])]);
    assert!(!event.is_signalled());

    let waits_forever = one_shot(CommandCategory::ANY);
    waits_forever.begin().unwrap();
    waits_forever
        .wait_events(&[Arc::new(Event::new())])
        .unwrap();
    waits_forever.end().unwrap();
    assert_eq!(
        waits_forever
            .execute(&[], &mut no_dispatch)
            .unwrap_err()
            .code(),
        StatusCode::FailedPrecondition
    );
}
