//! The heap allocator: buffers in host memory, with per-heap statistics,
//! compatibility queries and host-memory import (`iree_hal_allocator_t`
//! created by `iree_hal_allocator_create_heap`).

use std::sync::{Arc, Mutex};

use crate::abi::hal_resource::ResourceHeader;
use crate::hal::buffer::{Buffer, DeviceSize, MappedSpan, WHOLE_BUFFER};
use crate::hal::memory::{BufferCompatibility, BufferParams, BufferUsage, MappingMode, MemoryType};
use crate::hal::storage::{HostStorage, STORAGE_ALIGNMENT};
use crate::{iree_bail, Result};

/// Bytes allocated and freed, split by heap (`iree_hal_allocator_statistics_t`).
/// A buffer counts as host memory when its type is HOST_LOCAL, else device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocatorStatistics {
    pub host_bytes_peak: DeviceSize,
    pub host_bytes_allocated: DeviceSize,
    pub host_bytes_freed: DeviceSize,
    pub device_bytes_peak: DeviceSize,
    pub device_bytes_allocated: DeviceSize,
    pub device_bytes_freed: DeviceSize,
}

impl AllocatorStatistics {
    pub fn record_alloc(&mut self, memory_type: MemoryType, size: DeviceSize) {
        if memory_type.contains(MemoryType::HOST_LOCAL) {
            self.host_bytes_allocated = self.host_bytes_allocated.saturating_add(size);
            self.host_bytes_peak = self
                .host_bytes_peak
                .max(self.host_bytes_allocated - self.host_bytes_freed);
        } else {
            self.device_bytes_allocated = self.device_bytes_allocated.saturating_add(size);
            self.device_bytes_peak = self
                .device_bytes_peak
                .max(self.device_bytes_allocated - self.device_bytes_freed);
        }
    }

    pub fn record_free(&mut self, memory_type: MemoryType, size: DeviceSize) {
        if memory_type.contains(MemoryType::HOST_LOCAL) {
            self.host_bytes_freed = self.host_bytes_freed.saturating_add(size);
        } else {
            self.device_bytes_freed = self.device_bytes_freed.saturating_add(size);
        }
    }

    /// The two lines `iree_hal_allocator_statistics_format` writes.
    pub fn format(&self) -> String {
        let line = |name: &str, peak: u64, allocated: u64, freed: u64| {
            format!(
                "{name}: {peak:>12}B peak / {allocated:>12}B allocated / {freed:>12}B freed / {:>12}B live\n",
                allocated.wrapping_sub(freed) as i64
            )
        };
        line(
            "  HOST_LOCAL",
            self.host_bytes_peak,
            self.host_bytes_allocated,
            self.host_bytes_freed,
        ) + &line(
            "DEVICE_LOCAL",
            self.device_bytes_peak,
            self.device_bytes_allocated,
            self.device_bytes_freed,
        )
    }
}

/// Allocates buffers from the host heap (`iree_hal_allocator_t`; its
/// resource header comes first for C's references).
#[derive(Debug)]
#[repr(C)]
pub struct HeapAllocator {
    header: ResourceHeader,
    identifier: String,
    statistics: Arc<Mutex<AllocatorStatistics>>,
}

crate::hal_resource!(HeapAllocator);

impl HeapAllocator {
    pub fn new(identifier: &str) -> Arc<HeapAllocator> {
        Arc::new(HeapAllocator {
            header: ResourceHeader::new::<HeapAllocator>(),
            identifier: identifier.to_owned(),
            statistics: Arc::default(),
        })
    }

    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// A snapshot of the statistics.
    pub fn statistics(&self) -> AllocatorStatistics {
        *self.statistics.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Heap buffers hold no pooled memory; nothing to release.
    pub fn trim(&self) -> Result<()> {
        Ok(())
    }

    /// What the heap can do with buffers of `params`: everything is
    /// allocatable, importable and exportable; queue use needs DEVICE_VISIBLE
    /// memory and the matching usage bit.
    pub fn query_compatibility(
        &self,
        params: BufferParams,
        _allocation_size: DeviceSize,
    ) -> BufferCompatibility {
        let params = params.canonicalize();
        let mut compatibility = BufferCompatibility::ALLOCATABLE
            | BufferCompatibility::IMPORTABLE
            | BufferCompatibility::EXPORTABLE;
        if params.memory_type.contains(MemoryType::DEVICE_VISIBLE) {
            if params.usage.contains(BufferUsage::TRANSFER) {
                compatibility |= BufferCompatibility::QUEUE_TRANSFER;
            }
            if params.usage.contains(BufferUsage::DISPATCH) {
                compatibility |= BufferCompatibility::QUEUE_DISPATCH;
            }
        }
        compatibility
    }

    /// Heap memory is always host visible and mappable (host copies map it).
    fn make_compatible(params: BufferParams) -> BufferParams {
        let mut params = params.canonicalize();
        params.memory_type |= MemoryType::HOST_VISIBLE;
        params.usage |= BufferUsage::MAPPING | BufferUsage::TRANSFER;
        params
    }

    /// Allocates `allocation_size` zeroed bytes and copies up to that many
    /// bytes of `initial_data` in. Sizes the host cannot hold give
    /// RESOURCE_EXHAUSTED; a `min_alignment` that is not a power of two (or
    /// above the heap's 64-byte alignment) gives INVALID_ARGUMENT.
    pub fn allocate_buffer(
        &self,
        params: BufferParams,
        allocation_size: DeviceSize,
        initial_data: &[u8],
    ) -> Result<Arc<Buffer>> {
        let params = Self::make_compatible(params);
        if params.min_alignment != 0
            && (!params.min_alignment.is_power_of_two()
                || params.min_alignment > STORAGE_ALIGNMENT as u64)
        {
            iree_bail!(
                InvalidArgument,
                "heap buffers are aligned to {STORAGE_ALIGNMENT} bytes; cannot honour min_alignment={}",
                params.min_alignment
            );
        }
        let Ok(size) = usize::try_from(allocation_size) else {
            iree_bail!(
                ResourceExhausted,
                "allocation of {allocation_size} bytes exceeds the host address space"
            );
        };
        let storage = HostStorage::allocate(size)?;
        let initial = &initial_data[..initial_data.len().min(size)];
        storage.write(0, initial)?;
        self.statistics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record_alloc(params.memory_type, allocation_size);
        Ok(Buffer::from_storage(
            storage,
            params.memory_type,
            params.access,
            params.usage,
            Some(Arc::clone(&self.statistics)),
        ))
    }

    /// Imports host memory (`IREE_HAL_EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION`)
    /// as a buffer without copying. The memory must be 64-byte aligned
    /// (OUT_OF_RANGE otherwise, as the seeds' heap buffers require); the
    /// storage's release callback fires once when the last reference goes.
    pub fn import_host_buffer(
        &self,
        params: BufferParams,
        storage: HostStorage,
    ) -> Result<Arc<Buffer>> {
        if !storage.is_empty() && !storage.is_aligned_to(STORAGE_ALIGNMENT) {
            iree_bail!(
                OutOfRange,
                "imported heap buffer data must be aligned to {STORAGE_ALIGNMENT}; got {:p}",
                storage.as_ptr()
            );
        }
        let params = Self::make_compatible(params);
        Ok(Buffer::wrap_host(
            storage,
            params.memory_type,
            params.access,
            params.usage,
        ))
    }

    /// Exports a buffer as a host allocation: its whole range, mapped
    /// persistently with the access it allows (the pointer is unowned).
    pub fn export_host_buffer(&self, buffer: &Arc<Buffer>) -> Result<MappedSpan> {
        let mapping = buffer.map_range(
            MappingMode::PERSISTENT,
            buffer.allowed_access(),
            0,
            WHOLE_BUFFER,
        )?;
        Ok(mapping.contents())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::memory::MemoryAccess;
    use crate::StatusCode;

    #[test]
    fn statistics_follow_allocations_and_frees() {
        let allocator = HeapAllocator::new("heap");
        let host = BufferParams {
            memory_type: MemoryType::HOST_LOCAL,
            ..Default::default()
        };
        let device = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL,
            ..Default::default()
        };
        let a = allocator.allocate_buffer(host, 100, &[]).unwrap();
        let b = allocator.allocate_buffer(device, 50, &[1, 2, 3]).unwrap();
        let sub = b.subspan(1, 2).unwrap();
        drop(b);
        let stats = allocator.statistics();
        assert_eq!(stats.host_bytes_allocated, 100);
        assert_eq!(stats.device_bytes_allocated, 50);
        assert_eq!(stats.device_bytes_freed, 0, "the subspan keeps it alive");
        assert_eq!(sub.read_all().unwrap(), [2, 3]);
        drop(sub);
        drop(a);
        let c = allocator.allocate_buffer(host, 10, &[]).unwrap();
        let stats = allocator.statistics();
        assert_eq!(
            (
                stats.host_bytes_freed,
                stats.device_bytes_freed,
                stats.host_bytes_peak
            ),
            (100, 50, 100)
        );
        drop(c);
        assert!(allocator.statistics().format().contains("HOST_LOCAL:"));
    }

    #[test]
    fn allocation_coerces_params_and_copies_initial_data() {
        let allocator = HeapAllocator::new("heap");
        let params = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL,
            usage: BufferUsage::DISPATCH,
            ..Default::default()
        };
        let b = allocator
            .allocate_buffer(params, 4, &[1, 2, 3, 4, 5, 6])
            .unwrap();
        assert!(b
            .memory_type()
            .contains(MemoryType::HOST_VISIBLE | MemoryType::DEVICE_LOCAL));
        assert!(b
            .allowed_usage()
            .contains(BufferUsage::MAPPING | BufferUsage::DISPATCH));
        assert_eq!(b.allowed_access(), MemoryAccess::ALL);
        assert_eq!(b.read_all().unwrap(), [1, 2, 3, 4]);
        assert!(b.storage().is_aligned_to(64));
        let empty = allocator.allocate_buffer(params, 0, &[]).unwrap();
        assert_eq!(empty.byte_length(), 0);
    }

    #[test]
    fn absurd_requests_fail_cleanly() {
        let allocator = HeapAllocator::new("heap");
        let err = allocator
            .allocate_buffer(BufferParams::default(), u64::MAX, &[])
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::ResourceExhausted);
        let err = allocator
            .allocate_buffer(BufferParams::default(), 1 << 62, &[])
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::ResourceExhausted);
        let bad_alignment = BufferParams {
            min_alignment: 48,
            ..Default::default()
        };
        let err = allocator
            .allocate_buffer(bad_alignment, 8, &[])
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::InvalidArgument);
        assert_eq!(allocator.statistics(), AllocatorStatistics::default());
    }

    #[test]
    fn compatibility_needs_device_visibility_for_queues() {
        let allocator = HeapAllocator::new("heap");
        let host_only = BufferParams {
            memory_type: MemoryType::HOST_LOCAL,
            ..Default::default()
        };
        assert_eq!(
            allocator.query_compatibility(host_only, 16),
            BufferCompatibility::ALLOCATABLE
                | BufferCompatibility::IMPORTABLE
                | BufferCompatibility::EXPORTABLE
        );
        let device = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL,
            ..Default::default()
        };
        let c = allocator.query_compatibility(device, 16);
        assert!(
            c.contains(BufferCompatibility::QUEUE_DISPATCH | BufferCompatibility::QUEUE_TRANSFER)
        );
    }
}
