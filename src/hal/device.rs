//! Devices (`iree/hal/device.h`): identity and configuration queries, the
//! allocator, command buffers and executable caches, and the 3.13 queue
//! operations. A device implements [`Device::enqueue`]; the `queue_*`
//! methods on `dyn Device` validate their arguments and enqueue the
//! operation, so every device checks them the same way.

use std::sync::{Arc, OnceLock};

use crate::abi::hal_resource::{iree_hal_resource_t, ResourceHeader, RetainedResource};
use crate::base::string_view::match_pattern;
use crate::base::time::Timeout;
use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::{Buffer, DeviceSize};
use crate::hal::command_buffer::{Binding, CommandBuffer, CommandBufferMode, CommandCategory};
use crate::hal::executable::ExecutableCache;
use crate::hal::file::File;
use crate::hal::memory::{BufferParams, QueueAffinity};
use crate::hal::queue::{timepoint_refs, QueueOperation, Timepoints};
use crate::hal::semaphore::{self, Semaphore, WaitMode};
use crate::{iree_bail, iree_err, Result};

/// A driver's handle for one of its devices (`iree_hal_device_id_t`).
pub type DeviceId = u64;

/// The id asking a driver for its default device (IREE 3.x
/// `IREE_HAL_DEVICE_ID_DEFAULT`; the seeds call the same value
/// `IREE_HAL_DEVICE_ID_INVALID` and also use it for "the default").
pub const DEVICE_ID_DEFAULT: DeviceId = 0;

/// A device as a driver enumerates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInfo {
    /// Opaque to everyone but the driver; valid only with that driver.
    pub device_id: DeviceId,
    /// What `create_device_by_path` accepts for this device.
    pub path: String,
    /// Human-readable name.
    pub name: String,
}

/// Upstream matches patterns of at most this many wildcards and treats
/// longer ones as matching nothing (`iree_string_view_match_pattern`).
const MAX_PATTERN_WILDCARDS: usize = 16;

/// IREE's glob match as device queries use it: `*` matches any run of
/// bytes, `?` exactly one, everything else itself; a pattern with more than
/// 16 wildcards matches nothing.
pub fn matches_pattern(value: &str, pattern: &str) -> bool {
    let wildcards = pattern.bytes().filter(|b| matches!(b, b'*' | b'?')).count();
    wildcards <= MAX_PATTERN_WILDCARDS && match_pattern(value.as_bytes(), pattern.as_bytes())
}

/// A HAL device. Shared as `Arc<dyn Device>`; every method may be called
/// from any thread.
pub trait Device: Send + Sync {
    /// The device's identifier, e.g. `local-sync`; what `hal.device.id`
    /// queries match against.
    fn id(&self) -> &str;

    /// The device as its driver enumerated it.
    fn info(&self) -> &DeviceInfo;

    /// Executable formats this device can load, e.g. `embedded-elf-x86_64`
    /// or `vmvx-bytecode-fb`.
    fn executable_formats(&self) -> Vec<String> {
        Vec::new()
    }

    /// Answers a configuration query (`iree_hal_device_query_i64`). Devices
    /// that know more keys answer those and defer to [`query_i64_common`]
    /// for the rest.
    fn query_i64(&self, category: &str, key: &str) -> Result<i64> {
        query_i64_common(self, category, key)
    }

    /// The allocator for this device's buffers.
    fn allocator(&self) -> Result<Arc<HeapAllocator>> {
        iree_bail!(Unimplemented, "device '{}' has no allocator", self.id())
    }

    /// Releases cached resources (`iree_hal_device_trim`).
    fn trim(&self) -> Result<()> {
        Ok(())
    }

    /// A command buffer for this device's queues. Recording is device
    /// independent; `binding_capacity` is the number of binding table slots
    /// its commands may use.
    fn create_command_buffer(
        &self,
        mode: CommandBufferMode,
        categories: CommandCategory,
        queue_affinity: QueueAffinity,
        binding_capacity: u32,
    ) -> Result<CommandBuffer> {
        CommandBuffer::new(mode, categories, queue_affinity, binding_capacity)
    }

    /// An executable cache preparing executables for this device.
    fn create_executable_cache(&self, identifier: &str) -> Result<ExecutableCache> {
        Ok(ExecutableCache::new(identifier))
    }

    /// Issues a validated queue operation: it runs once every `waits`
    /// timepoint is reached, then `signals` are signalled (or failed with its
    /// error). An error returned here means the operation did not run (or
    /// ran inline and failed); its signals are failed too.
    fn enqueue(
        &self,
        _queue_affinity: QueueAffinity,
        _waits: Timepoints,
        _signals: Timepoints,
        _operation: QueueOperation,
    ) -> Result<()> {
        iree_bail!(Unimplemented, "device '{}' has no queues", self.id())
    }

    /// Flushes queued work to the device (`queue_flush`); local devices run
    /// work as soon as it is ready, so there is nothing to flush.
    fn queue_flush(&self, _queue_affinity: QueueAffinity) -> Result<()> {
        Ok(())
    }

    /// Blocks until all (or any) of the timepoints are reached.
    fn wait_semaphores(
        &self,
        mode: WaitMode,
        timepoints: &[(&Semaphore, u64)],
        timeout: Timeout,
    ) -> Result<()> {
        semaphore::wait_semaphores(mode, timepoints, timeout)
    }

    /// Blocks until no queued work is left (`DEADLINE_EXCEEDED` on timeout).
    fn wait_idle(&self, _timeout: Timeout) -> Result<()> {
        Ok(())
    }

    /// [`Device::query_i64`] narrowed to 32 bits (the seeds'
    /// `iree_hal_device_query_i32`): `OUT_OF_RANGE` if the value does not fit.
    fn query_i32(&self, category: &str, key: &str) -> Result<i32> {
        let value = self.query_i64(category, key)?;
        i32::try_from(value).map_err(|_| {
            iree_err!(
                OutOfRange,
                "device configuration value '{} :: {}' = {} does not fit in 32 bits",
                category,
                key,
                value
            )
        })
    }
}

/// The queue operations, validated and then handed to [`Device::enqueue`].
/// A device as a HAL object C can hold (`iree_hal_device_t`): the header
/// C's references are counted in, then the device. Every C handle to one
/// device is this one object, so keep it (not a bare `Arc<dyn Device>`)
/// wherever C may see the device again.
#[repr(C)]
pub struct DeviceResource {
    header: ResourceHeader,
    device: Arc<dyn Device>,
    /// The C reference behind the allocator handle lent to C, taken on
    /// first use and dropped with the device.
    lent_allocator: OnceLock<RetainedResource>,
}

crate::hal_resource!(DeviceResource);

impl DeviceResource {
    pub fn new(device: Arc<dyn Device>) -> Arc<DeviceResource> {
        Arc::new(DeviceResource {
            header: ResourceHeader::new::<DeviceResource>(),
            device,
            lent_allocator: OnceLock::new(),
        })
    }

    pub fn device(&self) -> &Arc<dyn Device> {
        &self.device
    }

    /// The C handle of the device's allocator, valid while the device
    /// lives (the same handle on every call).
    pub fn lend_allocator(&self) -> Result<*mut iree_hal_resource_t> {
        if let Some(lent) = self.lent_allocator.get() {
            return Ok(lent.as_ptr());
        }
        let allocator = self.device.allocator()?;
        let lent = self
            .lent_allocator
            .get_or_init(|| RetainedResource::of(&allocator));
        Ok(lent.as_ptr())
    }
}

impl std::ops::Deref for DeviceResource {
    type Target = dyn Device;
    fn deref(&self) -> &(dyn Device + 'static) {
        self.device.as_ref()
    }
}

impl dyn Device + '_ {
    fn issue(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        mut operation: QueueOperation,
    ) -> Result<()> {
        if let Err(error) = operation.validate() {
            // Nothing will ever signal these now; say why instead.
            semaphore::fail_semaphores(&timepoint_refs(&signals), error.clone());
            return Err(error);
        }
        self.enqueue(queue_affinity, waits, signals, operation)
    }

    /// Allocates a buffer whose contents are usable once `waits` are
    /// reached; `signals` say when. The buffer is returned at once.
    pub fn queue_alloca(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        params: BufferParams,
        allocation_size: DeviceSize,
    ) -> Result<Arc<Buffer>> {
        let buffer = self
            .allocator()?
            .allocate_buffer(params, allocation_size, &[])?;
        self.issue(queue_affinity, waits, signals, QueueOperation::Barrier)?;
        Ok(buffer)
    }

    /// Releases the queue's use of `buffer` once `waits` are reached.
    pub fn queue_dealloca(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        buffer: Arc<Buffer>,
    ) -> Result<()> {
        self.issue(
            queue_affinity,
            waits,
            signals,
            QueueOperation::Dealloca(buffer),
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub fn queue_fill(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        target: Arc<Buffer>,
        offset: DeviceSize,
        length: DeviceSize,
        pattern: &[u8],
    ) -> Result<()> {
        let operation = QueueOperation::Fill {
            target,
            offset,
            length,
            pattern: pattern.to_vec(),
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    /// Copies `data` (captured now) to `target` at `offset`.
    pub fn queue_update(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        data: &[u8],
        target: Arc<Buffer>,
        offset: DeviceSize,
    ) -> Result<()> {
        let operation = QueueOperation::Update {
            data: data.to_vec(),
            target,
            offset,
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn queue_copy(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        source: Arc<Buffer>,
        source_offset: DeviceSize,
        target: Arc<Buffer>,
        target_offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<()> {
        let operation = QueueOperation::Copy {
            source,
            source_offset,
            target,
            target_offset,
            length,
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn queue_read(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        file: Arc<File>,
        file_offset: DeviceSize,
        target: Arc<Buffer>,
        target_offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<()> {
        let operation = QueueOperation::Read {
            file,
            file_offset,
            target,
            target_offset,
            length,
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn queue_write(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        source: Arc<Buffer>,
        source_offset: DeviceSize,
        file: Arc<File>,
        file_offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<()> {
        let operation = QueueOperation::Write {
            source,
            source_offset,
            file,
            file_offset,
            length,
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    pub fn queue_barrier(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
    ) -> Result<()> {
        self.issue(queue_affinity, waits, signals, QueueOperation::Barrier)
    }

    /// Runs `command_buffer` (none: a barrier) with `binding_table`
    /// resolving its slot references.
    pub fn queue_execute(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        command_buffer: Option<Arc<CommandBuffer>>,
        binding_table: Vec<Binding>,
    ) -> Result<()> {
        let operation = QueueOperation::Execute {
            command_buffers: command_buffer.into_iter().collect(),
            binding_table,
        };
        self.issue(queue_affinity, waits, signals, operation)
    }

    /// The seeds' `queue_submit`: each batch waits, runs its command
    /// buffers in order and signals, as one queue execute.
    pub fn queue_submit(
        &self,
        queue_affinity: QueueAffinity,
        batches: Vec<SubmissionBatch>,
    ) -> Result<()> {
        for batch in batches {
            let operation = QueueOperation::Execute {
                command_buffers: batch.command_buffers,
                binding_table: Vec::new(),
            };
            self.issue(queue_affinity, batch.waits, batch.signals, operation)?;
        }
        Ok(())
    }
}

/// One batch of the seeds' `queue_submit`.
#[derive(Debug, Default)]
pub struct SubmissionBatch {
    pub waits: Timepoints,
    pub command_buffers: Vec<Arc<CommandBuffer>>,
    pub signals: Timepoints,
}

/// The queries every device answers the same way:
/// - `hal.device.id :: pattern`: 1 if the device id matches the glob, else 0;
/// - `hal.executable.format :: pattern`: 1 if any supported format matches;
///
/// anything else is `NOT_FOUND`, worded as upstream words it.
pub fn query_i64_common<D: Device + ?Sized>(device: &D, category: &str, key: &str) -> Result<i64> {
    match category {
        "hal.device.id" => Ok(matches_pattern(device.id(), key) as i64),
        "hal.executable.format" => Ok(device
            .executable_formats()
            .iter()
            .any(|format| matches_pattern(format, key))
            as i64),
        _ => Err(unknown_key(category, key)),
    }
}

/// The `NOT_FOUND` status for a query no one answers.
pub fn unknown_key(category: &str, key: &str) -> crate::Error {
    iree_err!(
        NotFound,
        "unknown device configuration key value '{} :: {}'",
        category,
        key
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    struct TestDevice {
        info: DeviceInfo,
    }

    impl Device for TestDevice {
        fn id(&self) -> &str {
            "local-sync"
        }
        fn info(&self) -> &DeviceInfo {
            &self.info
        }
        fn executable_formats(&self) -> Vec<String> {
            vec!["embedded-elf-x86_64".into(), "vmvx-bytecode-fb".into()]
        }
        fn query_i64(&self, category: &str, key: &str) -> Result<i64> {
            match (category, key) {
                ("hal.device", "concurrency") => Ok(1),
                _ => query_i64_common(self, category, key),
            }
        }
    }

    fn device() -> TestDevice {
        TestDevice {
            info: DeviceInfo {
                device_id: DEVICE_ID_DEFAULT,
                path: String::new(),
                name: "default".into(),
            },
        }
    }

    #[test]
    fn device_id_is_matched_as_a_glob() {
        let d = device();
        for (pattern, expected) in [
            ("local*", 1),
            ("local-sync", 1),
            ("local-????", 1),
            ("*sync", 1),
            ("*", 1),
            ("local-task", 0),
            ("local", 0),
            ("local-sync?", 0),
            ("", 0),
        ] {
            assert_eq!(
                d.query_i64("hal.device.id", pattern).unwrap(),
                expected,
                "{pattern}"
            );
        }
        // More than 16 wildcards never match, as upstream.
        assert_eq!(d.query_i64("hal.device.id", &"*".repeat(17)).unwrap(), 0);
        assert_eq!(d.query_i64("hal.device.id", &"*".repeat(16)).unwrap(), 1);
    }

    #[test]
    fn executable_formats_and_other_keys() {
        let d = device();
        assert_eq!(
            d.query_i64("hal.executable.format", "embedded-elf-x86_64")
                .unwrap(),
            1
        );
        assert_eq!(d.query_i64("hal.executable.format", "vmvx-*").unwrap(), 1);
        assert_eq!(
            d.query_i64("hal.executable.format", "embedded-elf-arm_64")
                .unwrap(),
            0
        );
        assert_eq!(d.query_i32("hal.device", "concurrency").unwrap(), 1);
        let err = d.query_i64("hal.nope", "key").unwrap_err();
        assert_eq!(err.code(), StatusCode::NotFound);
        assert!(
            err.message()
                .contains("unknown device configuration key value 'hal.nope :: key'"),
            "{err}"
        );
        assert_eq!(
            d.query_i64("hal.device", "other").unwrap_err().code(),
            StatusCode::NotFound
        );
    }

    #[test]
    fn query_i32_rejects_values_that_do_not_fit() {
        struct Big(DeviceInfo);
        impl Device for Big {
            fn id(&self) -> &str {
                "big"
            }
            fn info(&self) -> &DeviceInfo {
                &self.0
            }
            fn query_i64(&self, _: &str, _: &str) -> Result<i64> {
                Ok(1 << 40)
            }
        }
        let big = Big(device().info);
        assert_eq!(
            big.query_i32("a", "b").unwrap_err().code(),
            StatusCode::OutOfRange
        );
        assert_eq!(big.id(), "big");
        assert_eq!(big.info().name, "default");
    }
}
