//! Queue operations (the 3.13 queue model): each is validated when it is
//! issued and then runs once its wait timepoints are reached, signalling its
//! signal timepoints afterwards (or failing them with its error). Devices
//! decide where and when an operation runs; [`QueueOperation::run`] is how a
//! host-memory device performs one.

use std::sync::Arc;

use crate::base::status::{Error, StatusCode};
use crate::hal::buffer::{calculate_range, Buffer, DeviceSize};
use crate::hal::command_buffer::{
    validate_copy, validate_fill_pattern, Binding, CommandBuffer, ResolvedDispatch, ResolvedRange,
};
use crate::hal::command_runner::{CommandRunner, DispatchOnly};
use crate::hal::file::File;
use crate::hal::memory::{
    validate_access, validate_memory_type, validate_usage, BufferUsage, MemoryAccess, MemoryType,
};
use crate::hal::semaphore::Semaphore;
use crate::{iree_bail, Result};

/// (semaphore, payload) pairs: what an operation waits for or signals.
pub type Timepoints = Vec<(Arc<Semaphore>, u64)>;

/// Borrowed form of [`Timepoints`] as the semaphore functions take it.
pub fn timepoint_refs(timepoints: &[(Arc<Semaphore>, u64)]) -> Vec<(&Semaphore, u64)> {
    timepoints.iter().map(|(s, v)| (s.as_ref(), *v)).collect()
}

/// One queue operation with everything it needs to run later.
#[derive(Debug)]
pub enum QueueOperation {
    /// Orders nothing but the timepoints (`queue_barrier`, `queue_alloca`).
    Barrier,
    /// Drops the queue's reference to the buffer once reached.
    Dealloca(Arc<Buffer>),
    Fill {
        target: Arc<Buffer>,
        offset: DeviceSize,
        length: DeviceSize,
        pattern: Vec<u8>,
    },
    Update {
        data: Vec<u8>,
        target: Arc<Buffer>,
        offset: DeviceSize,
    },
    Copy {
        source: Arc<Buffer>,
        source_offset: DeviceSize,
        target: Arc<Buffer>,
        target_offset: DeviceSize,
        length: DeviceSize,
    },
    Read {
        file: Arc<File>,
        file_offset: DeviceSize,
        target: Arc<Buffer>,
        target_offset: DeviceSize,
        length: DeviceSize,
    },
    Write {
        source: Arc<Buffer>,
        source_offset: DeviceSize,
        file: Arc<File>,
        file_offset: DeviceSize,
        length: DeviceSize,
    },
    /// Command buffers run in order with one binding table (3.13 queue
    /// execute has at most one buffer; the seeds' batches have several).
    Execute {
        command_buffers: Vec<Arc<CommandBuffer>>,
        binding_table: Vec<Binding>,
    },
}

fn transfer_buffer(
    buffer: &Buffer,
    offset: DeviceSize,
    length: DeviceSize,
    access: MemoryAccess,
) -> Result<DeviceSize> {
    validate_memory_type(buffer.memory_type(), MemoryType::DEVICE_VISIBLE)?;
    validate_access(buffer.allowed_access(), access)?;
    validate_usage(buffer.allowed_usage(), BufferUsage::TRANSFER)?;
    let (_, length) = calculate_range(0, buffer.byte_length(), offset, length)?;
    Ok(length)
}

impl QueueOperation {
    /// Issue-time checks: ranges, memory types, access, usage and states.
    /// Lengths of [`crate::hal::buffer::WHOLE_BUFFER`] are resolved in place.
    pub fn validate(&mut self) -> Result<()> {
        match self {
            QueueOperation::Barrier | QueueOperation::Dealloca(_) => Ok(()),
            QueueOperation::Fill {
                target,
                offset,
                length,
                pattern,
            } => {
                *length = transfer_buffer(target, *offset, *length, MemoryAccess::WRITE)?;
                validate_fill_pattern(*offset, *length, pattern)
            }
            QueueOperation::Update {
                data,
                target,
                offset,
            } => {
                transfer_buffer(
                    target,
                    *offset,
                    data.len() as DeviceSize,
                    MemoryAccess::WRITE,
                )?;
                Ok(())
            }
            QueueOperation::Copy {
                source,
                source_offset,
                target,
                target_offset,
                length,
            } => {
                let source_length =
                    transfer_buffer(source, *source_offset, *length, MemoryAccess::READ)?;
                let target_length =
                    transfer_buffer(target, *target_offset, *length, MemoryAccess::WRITE)?;
                *length = source_length.min(target_length);
                validate_copy(source, *source_offset, target, *target_offset, *length)
            }
            QueueOperation::Read {
                file,
                file_offset,
                target,
                target_offset,
                length,
            } => {
                validate_access(file.access(), MemoryAccess::READ)?;
                *length = transfer_buffer(target, *target_offset, *length, MemoryAccess::WRITE)?;
                calculate_range(0, file.length(), *file_offset, *length)?;
                Ok(())
            }
            QueueOperation::Write {
                source,
                source_offset,
                file,
                file_offset,
                length,
            } => {
                validate_access(file.access(), MemoryAccess::WRITE)?;
                *length = transfer_buffer(source, *source_offset, *length, MemoryAccess::READ)?;
                calculate_range(0, file.length(), *file_offset, *length)?;
                Ok(())
            }
            QueueOperation::Execute {
                command_buffers, ..
            } => {
                for command_buffer in command_buffers.iter() {
                    if !command_buffer.is_executable() {
                        iree_bail!(
                            FailedPrecondition,
                            "command buffer must be ended before it is submitted"
                        );
                    }
                }
                Ok(())
            }
        }
    }

    /// Performs the operation on host memory, on the calling thread.
    /// `dispatch` runs command buffer dispatches.
    pub fn run(self, dispatch: &mut dyn FnMut(ResolvedDispatch<'_>) -> Result<()>) -> Result<()> {
        self.run_with(&mut DispatchOnly(dispatch))
    }

    /// [`Self::run`] with `runner` running dispatches, fills and copies.
    pub fn run_with(self, runner: &mut dyn CommandRunner) -> Result<()> {
        match self {
            QueueOperation::Barrier | QueueOperation::Dealloca(_) => Ok(()),
            QueueOperation::Fill {
                target,
                offset,
                length,
                pattern,
            } => runner.fill(
                &ResolvedRange {
                    buffer: target,
                    offset,
                    length,
                },
                &pattern,
            ),
            QueueOperation::Update {
                data,
                target,
                offset,
            } => target.map_write(offset, &data),
            QueueOperation::Copy {
                source,
                source_offset,
                target,
                target_offset,
                length,
            } => runner.copy(
                &ResolvedRange {
                    buffer: source,
                    offset: source_offset,
                    length,
                },
                &ResolvedRange {
                    buffer: target,
                    offset: target_offset,
                    length,
                },
            ),
            QueueOperation::Read {
                file,
                file_offset,
                target,
                target_offset,
                length,
            } => target.map_write(target_offset, &file.read(file_offset, length)?),
            QueueOperation::Write {
                source,
                source_offset,
                file,
                file_offset,
                length,
            } => {
                let Ok(length) = usize::try_from(length) else {
                    iree_bail!(
                        OutOfRange,
                        "write of {length} bytes exceeds the host address space"
                    );
                };
                let mut bytes = vec![0u8; length];
                source.map_read(source_offset, &mut bytes)?;
                file.write(file_offset, &bytes)
            }
            QueueOperation::Execute {
                command_buffers,
                binding_table,
            } => command_buffers
                .iter()
                .try_for_each(|cb| cb.execute_with(&binding_table, runner)),
        }
    }
}

/// Runs `operation` with `runner` once its waits are decided
/// (`wait_result`), then signals `signals`, or fails them with the error;
/// the result is the operation's. Allocates nothing.
pub fn run_and_signal(
    runner: &mut dyn CommandRunner,
    wait_result: Result<()>,
    operation: QueueOperation,
    signals: &Timepoints,
) -> Result<()> {
    let result = wait_result
        .map_err(|failure| {
            Error::new(
                StatusCode::Aborted,
                format!("a wait semaphore of the queue operation failed: {failure}"),
            )
        })
        .and_then(|()| operation.run_with(runner));
    let fail_all = |error: &Error| {
        for (semaphore, _) in signals {
            semaphore.fail(error.clone());
        }
    };
    match result {
        Ok(()) => signals
            .iter()
            .try_for_each(|(semaphore, value)| semaphore.signal(*value))
            .inspect_err(fail_all),
        Err(error) => {
            fail_all(&error);
            Err(error)
        }
    }
}
