//! Command buffers on the 3.13 model: commands are recorded between
//! `begin` and `end` and replayed when a queue executes the buffer. A
//! buffer a command names is either a direct reference or a slot of the
//! binding table the execution supplies (a reusable command buffer recorded
//! once runs many times, each time with other buffers). Every argument is
//! validated when recorded; slot references are validated again against the
//! binding table at execution.
//!
//! The seeds' push constants and descriptor sets are recording state: a
//! seed-style dispatch snapshots them into a direct dispatch command, so
//! execution sees one model.
//!
//! Thread safety: a command buffer is `Send + Sync` (the recording lives
//! behind a mutex); record from one thread at a time, as the API requires.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bitflags::bitflags;

use crate::hal::command_runner::{CommandRunner, DispatchOnly};

use crate::abi::hal_resource::ResourceHeader;
use crate::base::bitfield::format_bits;
use crate::hal::buffer::{Buffer, BufferOverlap, DeviceSize, WHOLE_BUFFER};
use crate::hal::event::Event;
use crate::hal::executable::{
    validate_set_bindings, DescriptorSet, DescriptorSetBinding, Executable, ExecutableLayout,
};
use crate::hal::memory::{
    validate_access, validate_memory_type, validate_usage, BufferUsage, MemoryAccess, MemoryType,
    QueueAffinity,
};
use crate::{iree_bail, iree_err, Result};

bitflags! {
    /// `iree_hal_command_buffer_mode_t`. No bits set: reusable.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct CommandBufferMode: u32 {
        const ONE_SHOT = 1 << 0;
        const ALLOW_INLINE_EXECUTION = 1 << 4;
        const UNVALIDATED = 1 << 5;
    }

    /// `iree_hal_command_category_t`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct CommandCategory: u32 {
        const TRANSFER = 1 << 0;
        const DISPATCH = 1 << 1;
        const ANY = Self::TRANSFER.bits() | Self::DISPATCH.bits();
    }
}

const MODE_NAMES: &[(u32, &[u8])] = &[
    (CommandBufferMode::ONE_SHOT.bits(), b"ONE_SHOT"),
    (
        CommandBufferMode::ALLOW_INLINE_EXECUTION.bits(),
        b"ALLOW_INLINE_EXECUTION",
    ),
    (CommandBufferMode::UNVALIDATED.bits(), b"UNVALIDATED"),
];

const CATEGORY_NAMES: &[(u32, &[u8])] = &[
    (CommandCategory::ANY.bits(), b"ANY"),
    (CommandCategory::TRANSFER.bits(), b"TRANSFER"),
    (CommandCategory::DISPATCH.bits(), b"DISPATCH"),
];

impl CommandBufferMode {
    /// `iree_hal_command_buffer_mode_format`.
    pub fn format(self) -> String {
        String::from_utf8_lossy(&format_bits(self.bits(), MODE_NAMES)).into_owned()
    }
}

impl CommandCategory {
    /// `iree_hal_command_category_format`.
    pub fn format(self) -> String {
        String::from_utf8_lossy(&format_bits(self.bits(), CATEGORY_NAMES)).into_owned()
    }
}

/// Most constants and bindings one dispatch carries (the CPU dispatch ABI).
pub const MAX_DISPATCH_CONSTANTS: usize = 64;
pub const MAX_DISPATCH_BINDINGS: usize = 64;

/// Where a command's buffer comes from.
#[derive(Clone, Debug)]
pub enum BufferSource {
    Direct(Arc<Buffer>),
    /// Slot of the binding table given at execution.
    Slot(u32),
}

/// A byte range of a buffer a command uses (`iree_hal_buffer_ref_t`).
#[derive(Clone, Debug)]
pub struct BufferRef {
    pub source: BufferSource,
    pub offset: DeviceSize,
    pub length: DeviceSize,
}

impl BufferRef {
    pub fn direct(buffer: &Arc<Buffer>, offset: DeviceSize, length: DeviceSize) -> BufferRef {
        BufferRef {
            source: BufferSource::Direct(Arc::clone(buffer)),
            offset,
            length,
        }
    }

    pub fn slot(slot: u32, offset: DeviceSize, length: DeviceSize) -> BufferRef {
        BufferRef {
            source: BufferSource::Slot(slot),
            offset,
            length,
        }
    }
}

/// One binding table entry (`iree_hal_buffer_binding_t`): a range of a
/// buffer that slot references resolve into.
#[derive(Clone, Debug)]
pub struct Binding {
    pub buffer: Option<Arc<Buffer>>,
    pub offset: DeviceSize,
    pub length: DeviceSize,
}

/// A buffer range resolved for execution: a real buffer and an absolute
/// range within it (relative to the buffer's own start).
#[derive(Clone, Debug)]
pub struct ResolvedRange {
    pub buffer: Arc<Buffer>,
    pub offset: DeviceSize,
    pub length: DeviceSize,
}

/// How many workgroups a dispatch runs.
#[derive(Clone, Debug)]
pub enum Workgroups {
    Count([u32; 3]),
    /// Three u32 counts read from the buffer at execution.
    Indirect(BufferRef),
}

/// A recorded dispatch (direct constants and bindings).
#[derive(Clone, Debug)]
pub struct Dispatch {
    pub executable: Arc<Executable>,
    pub entry_point: u32,
    pub workgroups: Workgroups,
    pub constants: Vec<u32>,
    pub bindings: Vec<BufferRef>,
}

/// A dispatch ready to run: workgroup count read and bindings resolved.
#[derive(Debug)]
pub struct ResolvedDispatch<'a> {
    pub executable: &'a Arc<Executable>,
    pub entry_point: u32,
    pub workgroup_count: [u32; 3],
    pub constants: &'a [u32],
    pub bindings: Vec<ResolvedRange>,
}

/// A recorded command.
#[derive(Clone, Debug)]
pub enum Command {
    /// Execution/memory barriers; the local devices run commands in order,
    /// so they order nothing further.
    Barrier,
    SignalEvent(Arc<Event>),
    ResetEvent(Arc<Event>),
    WaitEvents(Vec<Arc<Event>>),
    Discard(BufferRef),
    Fill {
        target: BufferRef,
        pattern: Vec<u8>,
    },
    Update {
        data: Vec<u8>,
        target: BufferRef,
    },
    Copy {
        source: BufferRef,
        target: BufferRef,
    },
    Dispatch(Dispatch),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Initial,
    Recording,
    Executable,
}

/// Seed-style binding state: the buffers of descriptor set `n`, by binding.
type BoundSet = BTreeMap<u32, BufferRef>;

struct Recording {
    state: State,
    /// Shared so an execution takes a reference instead of a copy.
    commands: Arc<Vec<Command>>,
    debug_group_depth: i32,
    push_constants: Vec<u32>,
    bound_sets: BTreeMap<u32, BoundSet>,
    executions: u64,
}

/// `iree_hal_command_buffer_t` (see the module documentation).
#[repr(C)]
pub struct CommandBuffer {
    header: ResourceHeader,
    mode: CommandBufferMode,
    categories: CommandCategory,
    queue_affinity: QueueAffinity,
    binding_capacity: u32,
    recording: Mutex<Recording>,
}

impl std::fmt::Debug for CommandBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandBuffer")
            .field("mode", &self.mode.format())
            .field("categories", &self.categories.format())
            .field("binding_capacity", &self.binding_capacity)
            .finish()
    }
}

fn requires(buffer: &Buffer, access: MemoryAccess, usage: BufferUsage) -> Result<()> {
    validate_memory_type(buffer.memory_type(), MemoryType::DEVICE_VISIBLE)?;
    validate_access(buffer.allowed_access(), access)?;
    validate_usage(buffer.allowed_usage(), usage)
}

/// Resolves `length` (maybe [`WHOLE_BUFFER`]) against `available` bytes
/// after `offset`, checking the range fits.
fn fit_range(
    offset: DeviceSize,
    length: DeviceSize,
    available: DeviceSize,
    what: &str,
) -> Result<DeviceSize> {
    if offset > available {
        iree_bail!(
            OutOfRange,
            "{what} offset {offset} is past the end of its {available}-byte range"
        );
    }
    let length = if length == WHOLE_BUFFER {
        available - offset
    } else {
        length
    };
    if offset.checked_add(length).is_none_or(|end| end > available) {
        iree_bail!(
            OutOfRange,
            "{what} range (offset={offset}, length={length}) runs past the end of its {available}-byte range"
        );
    }
    Ok(length)
}

crate::hal_resource!(CommandBuffer);

impl CommandBuffer {
    /// A command buffer in the initial state. `binding_capacity` is how many
    /// binding table slots its commands may reference (0 for none).
    pub fn new(
        mode: CommandBufferMode,
        categories: CommandCategory,
        queue_affinity: QueueAffinity,
        binding_capacity: u32,
    ) -> Result<CommandBuffer> {
        if categories.is_empty() || !CommandCategory::ANY.contains(categories) {
            iree_bail!(
                InvalidArgument,
                "command categories {:#x} must be a non-empty set of TRANSFER|DISPATCH",
                categories.bits()
            );
        }
        if !CommandBufferMode::all().contains(mode) {
            iree_bail!(
                InvalidArgument,
                "unknown command buffer mode bits {:#x}",
                mode.bits() & !CommandBufferMode::all().bits()
            );
        }
        if mode.contains(CommandBufferMode::ALLOW_INLINE_EXECUTION)
            && !mode.contains(CommandBufferMode::ONE_SHOT)
        {
            iree_bail!(
                InvalidArgument,
                "inline execution is only allowed for one-shot command buffers"
            );
        }
        if mode.contains(CommandBufferMode::ONE_SHOT) && binding_capacity != 0 {
            iree_bail!(
                InvalidArgument,
                "one-shot command buffers take no binding table (binding_capacity={binding_capacity})"
            );
        }
        Ok(CommandBuffer {
            header: ResourceHeader::new::<CommandBuffer>(),
            mode,
            categories,
            queue_affinity,
            binding_capacity,
            recording: Mutex::new(Recording {
                state: State::Initial,
                commands: Arc::default(),
                debug_group_depth: 0,
                push_constants: Vec::new(),
                bound_sets: BTreeMap::new(),
                executions: 0,
            }),
        })
    }

    pub fn mode(&self) -> CommandBufferMode {
        self.mode
    }

    pub fn allowed_categories(&self) -> CommandCategory {
        self.categories
    }

    pub fn queue_affinity(&self) -> QueueAffinity {
        self.queue_affinity
    }

    pub fn binding_capacity(&self) -> u32 {
        self.binding_capacity
    }

    fn lock(&self) -> MutexGuard<'_, Recording> {
        self.recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// How many commands were recorded.
    pub fn command_count(&self) -> usize {
        self.lock().commands.len()
    }

    /// Whether `end` has been called (the buffer can be executed).
    pub fn is_executable(&self) -> bool {
        self.lock().state == State::Executable
    }

    pub fn begin(&self) -> Result<()> {
        let mut recording = self.lock();
        match recording.state {
            State::Initial => {
                recording.state = State::Recording;
                Ok(())
            }
            State::Recording => iree_bail!(
                FailedPrecondition,
                "command buffer is already in a recording state"
            ),
            State::Executable => iree_bail!(
                FailedPrecondition,
                "command buffer has already been recorded; it cannot be recorded again"
            ),
        }
    }

    pub fn end(&self) -> Result<()> {
        let mut recording = self.lock();
        if recording.debug_group_depth != 0 {
            iree_bail!(
                FailedPrecondition,
                "unbalanced debug group depth (expected 0, is {})",
                recording.debug_group_depth
            );
        }
        if recording.state != State::Recording {
            iree_bail!(
                FailedPrecondition,
                "command buffer is not in a recording state"
            );
        }
        recording.state = State::Executable;
        recording.push_constants.clear();
        recording.bound_sets.clear();
        Ok(())
    }

    /// Debug groups only need to balance.
    pub fn begin_debug_group(&self, _label: &str) -> Result<()> {
        let mut recording = self.recording_state()?;
        recording.debug_group_depth += 1;
        Ok(())
    }

    pub fn end_debug_group(&self) -> Result<()> {
        let mut recording = self.recording_state()?;
        if recording.debug_group_depth == 0 {
            iree_bail!(FailedPrecondition, "no debug group is open");
        }
        recording.debug_group_depth -= 1;
        Ok(())
    }

    fn recording_state(&self) -> Result<MutexGuard<'_, Recording>> {
        let recording = self.lock();
        if recording.state != State::Recording {
            iree_bail!(
                FailedPrecondition,
                "command buffer is not in a recording state"
            );
        }
        Ok(recording)
    }

    fn require_categories(&self, required: CommandCategory) -> Result<()> {
        if !self.categories.contains(required) {
            iree_bail!(
                FailedPrecondition,
                "operation requires categories {} but command buffer only supports {}",
                required.format(),
                self.categories.format()
            );
        }
        Ok(())
    }

    /// Record-time checks of a buffer reference: direct buffers get their
    /// memory type, access, usage and range checked; slots must be within
    /// the binding capacity (the rest is checked at execution).
    fn validate_ref(
        &self,
        buffer_ref: &BufferRef,
        access: MemoryAccess,
        usage: BufferUsage,
    ) -> Result<()> {
        match &buffer_ref.source {
            BufferSource::Direct(buffer) => {
                requires(buffer, access, usage)?;
                fit_range(
                    buffer_ref.offset,
                    buffer_ref.length,
                    buffer.byte_length(),
                    "buffer",
                )?;
                Ok(())
            }
            BufferSource::Slot(slot) => {
                if *slot >= self.binding_capacity {
                    iree_bail!(
                        OutOfRange,
                        "binding table slot {slot} is out of range; the command buffer was created with capacity for {} bindings",
                        self.binding_capacity
                    );
                }
                Ok(())
            }
        }
    }

    fn record(&self, command: Command) -> Result<()> {
        Arc::make_mut(&mut self.recording_state()?.commands).push(command);
        Ok(())
    }

    /// `execution_barrier` and `wait_events`' barrier part: stage and scope
    /// masks only order work, which in-order local execution already does.
    pub fn execution_barrier(&self) -> Result<()> {
        self.record(Command::Barrier)
    }

    pub fn signal_event(&self, event: &Arc<Event>) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        self.record(Command::SignalEvent(Arc::clone(event)))
    }

    pub fn reset_event(&self, event: &Arc<Event>) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        self.record(Command::ResetEvent(Arc::clone(event)))
    }

    pub fn wait_events(&self, events: &[Arc<Event>]) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        self.record(Command::WaitEvents(events.to_vec()))
    }

    /// `discard_buffer`: the contents may be dropped (a no-op here).
    pub fn discard_buffer(&self, buffer: BufferRef) -> Result<()> {
        self.require_categories(CommandCategory::TRANSFER)?;
        if let BufferSource::Direct(direct) = &buffer.source {
            validate_memory_type(direct.memory_type(), MemoryType::DEVICE_VISIBLE)?;
        }
        self.validate_ref(&buffer, MemoryAccess::ANY, BufferUsage::empty())?;
        self.record(Command::Discard(buffer))
    }

    /// Repeats a 1, 2 or 4 byte `pattern` over the target range.
    pub fn fill_buffer(&self, target: BufferRef, pattern: &[u8]) -> Result<()> {
        self.require_categories(CommandCategory::TRANSFER)?;
        self.validate_ref(&target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
        validate_fill_pattern(target.offset, target.length, pattern)?;
        self.record(Command::Fill {
            target,
            pattern: pattern.to_vec(),
        })
    }

    /// Copies `data` (captured now) into the target range.
    pub fn update_buffer(&self, data: &[u8], target: BufferRef) -> Result<()> {
        self.require_categories(CommandCategory::TRANSFER)?;
        self.validate_ref(&target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
        if target.length != WHOLE_BUFFER && target.length != data.len() as DeviceSize {
            iree_bail!(
                InvalidArgument,
                "update of {} bytes was given {} source bytes",
                target.length,
                data.len()
            );
        }
        if let BufferSource::Direct(buffer) = &target.source {
            fit_range(
                target.offset,
                data.len() as DeviceSize,
                buffer.byte_length(),
                "update target",
            )?;
        }
        self.record(Command::Update {
            data: data.to_vec(),
            target,
        })
    }

    pub fn copy_buffer(&self, source: BufferRef, target: BufferRef) -> Result<()> {
        self.require_categories(CommandCategory::TRANSFER)?;
        self.validate_ref(&source, MemoryAccess::READ, BufferUsage::TRANSFER)?;
        self.validate_ref(&target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
        if let (BufferSource::Direct(src), BufferSource::Direct(dst)) =
            (&source.source, &target.source)
        {
            validate_copy(src, source.offset, dst, target.offset, source.length)?;
        }
        self.record(Command::Copy { source, target })
    }

    /// The 3.13 dispatch: constants and bindings given directly.
    pub fn dispatch(
        &self,
        executable: &Arc<Executable>,
        entry_point: u32,
        workgroups: Workgroups,
        constants: &[u32],
        bindings: Vec<BufferRef>,
    ) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        if constants.len() > MAX_DISPATCH_CONSTANTS {
            iree_bail!(
                OutOfRange,
                "dispatch has {} constants; at most {MAX_DISPATCH_CONSTANTS} are supported",
                constants.len()
            );
        }
        if bindings.len() > MAX_DISPATCH_BINDINGS {
            iree_bail!(
                OutOfRange,
                "dispatch has {} bindings; at most {MAX_DISPATCH_BINDINGS} are supported",
                bindings.len()
            );
        }
        let entry_points = executable.entry_point_count();
        if entry_point as usize >= entry_points {
            iree_bail!(
                OutOfRange,
                "entry point {entry_point} is out of range; the executable has {entry_points}"
            );
        }
        if let Workgroups::Indirect(params) = &workgroups {
            self.validate_ref(params, MemoryAccess::READ, BufferUsage::DISPATCH)?;
            if params.length != WHOLE_BUFFER && params.length < 12 {
                iree_bail!(
                    OutOfRange,
                    "indirect workgroup counts need 12 bytes; the range has {}",
                    params.length
                );
            }
        }
        for binding in &bindings {
            self.validate_ref(binding, MemoryAccess::ANY, BufferUsage::DISPATCH)?;
        }
        self.record(Command::Dispatch(Dispatch {
            executable: Arc::clone(executable),
            entry_point,
            workgroups,
            constants: constants.to_vec(),
            bindings,
        }))
    }

    /// Seeds: sets push constants (`offset` and `values` in bytes, 4-byte
    /// granular) used by later seed-style dispatches.
    pub fn push_constants(
        &self,
        layout: &ExecutableLayout,
        offset: usize,
        values: &[u8],
    ) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        if !values.len().is_multiple_of(4) || !offset.is_multiple_of(4) {
            iree_bail!(
                InvalidArgument,
                "invalid alignment (offset={offset}, length={}), must be 4-byte aligned",
                values.len()
            );
        }
        let first = offset / 4;
        let end = first + values.len() / 4;
        if end > layout.push_constants() {
            iree_bail!(
                OutOfRange,
                "push constants {first}..{end} exceed the {} the executable layout declares",
                layout.push_constants()
            );
        }
        let mut recording = self.recording_state()?;
        if recording.push_constants.len() < end {
            recording.push_constants.resize(end, 0);
        }
        for (slot, chunk) in recording.push_constants[first..end]
            .iter_mut()
            .zip(values.chunks_exact(4))
        {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Ok(())
    }

    /// Seeds: binds buffers to set `set` for later seed-style dispatches.
    pub fn push_descriptor_set(
        &self,
        layout: &ExecutableLayout,
        set: u32,
        bindings: &[DescriptorSetBinding],
    ) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        let set_layout = layout.set_layout(set)?;
        validate_set_bindings(set_layout, bindings)?;
        let bound = self.bind_set_buffers(bindings, &[])?;
        self.recording_state()?.bound_sets.insert(set, bound);
        Ok(())
    }

    /// Seeds: binds a descriptor set; `dynamic_offsets` add, in binding
    /// order, to the set's dynamic bindings.
    pub fn bind_descriptor_set(
        &self,
        layout: &ExecutableLayout,
        set: u32,
        descriptor_set: &DescriptorSet,
        dynamic_offsets: &[DeviceSize],
    ) -> Result<()> {
        self.require_categories(CommandCategory::DISPATCH)?;
        let set_layout = layout.set_layout(set)?;
        if !Arc::ptr_eq(set_layout, descriptor_set.layout())
            && set_layout.bindings() != descriptor_set.layout().bindings()
        {
            iree_bail!(
                InvalidArgument,
                "descriptor set's layout does not match set {set} of the executable layout"
            );
        }
        let mut offsets = Vec::new();
        let mut sorted: Vec<_> = descriptor_set.bindings().to_vec();
        sorted.sort_by_key(|b| b.binding);
        let dynamic_count = sorted
            .iter()
            .filter(|b| {
                set_layout
                    .binding(b.binding)
                    .is_ok_and(|l| l.descriptor_type.is_dynamic())
            })
            .count();
        if dynamic_offsets.len() != dynamic_count && !dynamic_offsets.is_empty() {
            iree_bail!(
                InvalidArgument,
                "{} dynamic offsets given for {dynamic_count} dynamic bindings",
                dynamic_offsets.len()
            );
        }
        let mut next_dynamic = dynamic_offsets.iter();
        for binding in &sorted {
            let dynamic = set_layout
                .binding(binding.binding)?
                .descriptor_type
                .is_dynamic();
            let extra = if dynamic {
                next_dynamic.next().copied().unwrap_or(0)
            } else {
                0
            };
            offsets.push((binding.binding, extra));
        }
        let bound = self.bind_set_buffers(&sorted, &offsets)?;
        self.recording_state()?.bound_sets.insert(set, bound);
        Ok(())
    }

    fn bind_set_buffers(
        &self,
        bindings: &[DescriptorSetBinding],
        extra_offsets: &[(u32, DeviceSize)],
    ) -> Result<BoundSet> {
        let mut bound = BoundSet::new();
        for binding in bindings {
            let Some(buffer) = &binding.buffer else {
                iree_bail!(
                    InvalidArgument,
                    "descriptor binding {} has no buffer",
                    binding.binding
                );
            };
            let extra = extra_offsets
                .iter()
                .find(|(b, _)| *b == binding.binding)
                .map_or(0, |(_, offset)| *offset);
            let offset = binding
                .offset
                .checked_add(extra)
                .ok_or_else(|| iree_err!(OutOfRange, "descriptor offset overflows"))?;
            let buffer_ref = BufferRef::direct(buffer, offset, binding.length);
            self.validate_ref(&buffer_ref, MemoryAccess::ANY, BufferUsage::DISPATCH)?;
            bound.insert(binding.binding, buffer_ref);
        }
        Ok(bound)
    }

    /// Seeds: a dispatch with the pushed constants and bound sets (flattened
    /// in set order, then binding order).
    pub fn dispatch_with_bound_state(
        &self,
        executable: &Arc<Executable>,
        entry_point: u32,
        workgroups: Workgroups,
    ) -> Result<()> {
        let (constants, bindings) = {
            let recording = self.recording_state()?;
            let bindings: Vec<BufferRef> = recording
                .bound_sets
                .values()
                .flat_map(|set| set.values().cloned())
                .collect();
            (recording.push_constants.clone(), bindings)
        };
        self.dispatch(executable, entry_point, workgroups, &constants, bindings)
    }

    /// Replays the recorded commands with `binding_table` resolving slot
    /// references. `dispatch` runs each dispatch (devices without an
    /// executable loader report UNIMPLEMENTED from it). A one-shot buffer
    /// runs once; the buffer must have been ended.
    pub fn execute(
        &self,
        binding_table: &[Binding],
        dispatch: &mut dyn FnMut(ResolvedDispatch<'_>) -> Result<()>,
    ) -> Result<()> {
        self.execute_with(binding_table, &mut DispatchOnly(dispatch))
    }

    /// [`Self::execute`] with `runner` running dispatches, fills and copies.
    pub fn execute_with(
        &self,
        binding_table: &[Binding],
        runner: &mut dyn CommandRunner,
    ) -> Result<()> {
        let commands = {
            let mut recording = self.lock();
            if recording.state != State::Executable {
                iree_bail!(
                    FailedPrecondition,
                    "command buffer must be ended before it is executed"
                );
            }
            if self.mode.contains(CommandBufferMode::ONE_SHOT) && recording.executions > 0 {
                iree_bail!(
                    FailedPrecondition,
                    "one-shot command buffer has already been executed"
                );
            }
            recording.executions += 1;
            // A reference to the commands keeps the lock free while they run.
            Arc::clone(&recording.commands)
        };
        let table = BindingTable::new(binding_table, self.binding_capacity)?;
        for (index, command) in commands.iter().enumerate() {
            run_command(command, &table, runner)
                .map_err(|e| e.annotate(format!("while executing command {index}")))?;
        }
        Ok(())
    }
}

/// `fill`'s pattern rules (shared with queue fills).
pub fn validate_fill_pattern(offset: DeviceSize, length: DeviceSize, pattern: &[u8]) -> Result<()> {
    let pattern_length = pattern.len() as DeviceSize;
    if !matches!(pattern_length, 1 | 2 | 4) {
        iree_bail!(
            InvalidArgument,
            "fill value length is not one of the supported values (pattern_length={pattern_length})"
        );
    }
    if !offset.is_multiple_of(pattern_length)
        || (length != WHOLE_BUFFER && !length.is_multiple_of(pattern_length))
    {
        iree_bail!(
            InvalidArgument,
            "fill offset and/or length do not match the natural alignment of the fill value (target_offset={offset}, length={length}, pattern_length={pattern_length})"
        );
    }
    Ok(())
}

/// `copy`'s rules beyond each side's own checks (shared with queue copies).
pub fn validate_copy(
    source: &Buffer,
    source_offset: DeviceSize,
    target: &Buffer,
    target_offset: DeviceSize,
    length: DeviceSize,
) -> Result<()> {
    if !source.memory_type().contains(MemoryType::DEVICE_VISIBLE)
        && !target.memory_type().contains(MemoryType::DEVICE_VISIBLE)
    {
        iree_bail!(
            PermissionDenied,
            "at least one buffer must be device-visible for a copy; source_buffer={}, target_buffer={}",
            source.memory_type().format(),
            target.memory_type().format()
        );
    }
    if Buffer::test_overlap(source, source_offset, length, target, target_offset, length)
        != BufferOverlap::Disjoint
    {
        iree_bail!(
            InvalidArgument,
            "source and target ranges overlap within the same buffer"
        );
    }
    Ok(())
}

/// The binding table of one execution, checked once.
struct BindingTable<'a> {
    entries: &'a [Binding],
}

impl<'a> BindingTable<'a> {
    fn new(entries: &'a [Binding], capacity: u32) -> Result<BindingTable<'a>> {
        if entries.len() < capacity as usize {
            iree_bail!(
                InvalidArgument,
                "binding table has {} entries; the command buffer references up to {capacity}",
                entries.len()
            );
        }
        for (slot, entry) in entries.iter().enumerate() {
            if let Some(buffer) = &entry.buffer {
                // The slot's name is only formatted when the range is bad
                // (this runs on every submission).
                let length = buffer.byte_length();
                fit_range(entry.offset, entry.length, length, "").or_else(|_| {
                    fit_range(
                        entry.offset,
                        entry.length,
                        length,
                        &format!("binding table slot {slot}"),
                    )
                })?;
            }
        }
        Ok(BindingTable { entries })
    }

    /// Resolves a reference to a buffer and a range relative to its start.
    fn resolve(
        &self,
        buffer_ref: &BufferRef,
        access: MemoryAccess,
        usage: BufferUsage,
    ) -> Result<ResolvedRange> {
        let (buffer, base, available) = match &buffer_ref.source {
            BufferSource::Direct(buffer) => (Arc::clone(buffer), 0, buffer.byte_length()),
            BufferSource::Slot(slot) => {
                let entry = self.entries.get(*slot as usize).ok_or_else(|| {
                    iree_err!(
                        OutOfRange,
                        "binding table slot {slot} is out of range ({} entries)",
                        self.entries.len()
                    )
                })?;
                let Some(buffer) = &entry.buffer else {
                    iree_bail!(
                        InvalidArgument,
                        "binding table slot {slot} has no buffer but a command uses it"
                    );
                };
                requires(buffer, access, usage)?;
                let length = fit_range(
                    entry.offset,
                    entry.length,
                    buffer.byte_length(),
                    "binding table entry",
                )?;
                (Arc::clone(buffer), entry.offset, length)
            }
        };
        let length = fit_range(buffer_ref.offset, buffer_ref.length, available, "buffer")?;
        Ok(ResolvedRange {
            buffer,
            offset: base + buffer_ref.offset,
            length,
        })
    }
}

fn run_command(
    command: &Command,
    table: &BindingTable<'_>,
    runner: &mut dyn CommandRunner,
) -> Result<()> {
    match command {
        Command::Barrier => Ok(()),
        Command::SignalEvent(event) => {
            event.signal();
            Ok(())
        }
        Command::ResetEvent(event) => {
            event.reset();
            Ok(())
        }
        Command::WaitEvents(events) => {
            // Commands run in order on one thread: an unset event can never
            // be set by anything this wait would wait for.
            if events.iter().any(|event| !event.is_signalled()) {
                iree_bail!(
                    FailedPrecondition,
                    "wait on an event that no earlier command signalled (it would never be set)"
                );
            }
            Ok(())
        }
        Command::Discard(target) => {
            table.resolve(target, MemoryAccess::ANY, BufferUsage::empty())?;
            Ok(())
        }
        Command::Fill { target, pattern } => {
            let target = table.resolve(target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
            validate_fill_pattern(target.offset, target.length, pattern)?;
            runner.fill(&target, pattern)
        }
        Command::Update { data, target } => {
            let target = table.resolve(target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
            if target.length < data.len() as DeviceSize {
                iree_bail!(
                    OutOfRange,
                    "update of {} bytes does not fit the {}-byte target range",
                    data.len(),
                    target.length
                );
            }
            target.buffer.map_write(target.offset, data)
        }
        Command::Copy { source, target } => {
            let source = table.resolve(source, MemoryAccess::READ, BufferUsage::TRANSFER)?;
            let target = table.resolve(target, MemoryAccess::WRITE, BufferUsage::TRANSFER)?;
            if source.length != target.length {
                iree_bail!(
                    OutOfRange,
                    "copy source has {} bytes but the target range has {}",
                    source.length,
                    target.length
                );
            }
            validate_copy(
                &source.buffer,
                source.offset,
                &target.buffer,
                target.offset,
                source.length,
            )?;
            runner.copy(&source, &target)
        }
        Command::Dispatch(recorded) => {
            let workgroup_count = match &recorded.workgroups {
                Workgroups::Count(count) => *count,
                Workgroups::Indirect(params) => {
                    let params =
                        table.resolve(params, MemoryAccess::READ, BufferUsage::DISPATCH)?;
                    if params.length < 12 {
                        iree_bail!(
                            OutOfRange,
                            "indirect workgroup counts need 12 bytes; the range has {}",
                            params.length
                        );
                    }
                    let mut bytes = [0u8; 12];
                    params.buffer.map_read(params.offset, &mut bytes)?;
                    let word = |i: usize| {
                        u32::from_le_bytes([
                            bytes[i * 4],
                            bytes[i * 4 + 1],
                            bytes[i * 4 + 2],
                            bytes[i * 4 + 3],
                        ])
                    };
                    [word(0), word(1), word(2)]
                }
            };
            let bindings = recorded
                .bindings
                .iter()
                .map(|b| table.resolve(b, MemoryAccess::ANY, BufferUsage::DISPATCH))
                .collect::<Result<Vec<_>>>()?;
            runner.dispatch(ResolvedDispatch {
                executable: &recorded.executable,
                entry_point: recorded.entry_point,
                workgroup_count,
                constants: &recorded.constants,
                bindings,
            })
        }
    }
}

#[cfg(test)]
#[path = "command_buffer_tests.rs"]
mod tests;
