//! Buffers: typed-less byte ranges of host memory with a memory type, the
//! access and usage they allow, and subspans of them.
//!
//! Ownership model. A buffer is shared as `Arc<Buffer>`; the C layer holds
//! one `Arc` per handle reference (retain clones it, release drops it). An
//! *allocated* buffer owns its [`HostStorage`]; a *subspan* holds an `Arc` to
//! the allocated buffer it views (never to another subspan: subspans of
//! subspans resolve to the allocated buffer and an absolute offset), so the
//! bytes live until the last buffer referencing them goes. Dropping the
//! allocated buffer frees owned storage and records the free in its
//! allocator's statistics, or, for imported memory, runs the release callback
//! exactly once. A [`Mapping`] holds an `Arc` to the buffer it maps and hands
//! out a raw pointer plus length, which is what C callers get from
//! `iree_hal_buffer_map_range`; for persistent mappings C decides whether to
//! keep its own reference. All byte access from Rust goes through bounded
//! copies in `storage.rs`.

use std::sync::atomic::{fence, Ordering};
use std::sync::{Arc, Mutex};

use crate::abi::hal_lent::LentHandle;
use crate::abi::hal_resource::{iree_hal_resource_t, ResourceHeader};
use crate::hal::allocator::AllocatorStatistics;
use crate::hal::memory::{
    validate_access, validate_memory_type, validate_usage, BufferUsage, MappingMode, MemoryAccess,
    MemoryType,
};
use crate::hal::storage::HostStorage;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// Device-side sizes and offsets (`iree_device_size_t`).
pub type DeviceSize = u64;

/// "The rest of the buffer" as a length (`IREE_WHOLE_BUFFER`).
pub const WHOLE_BUFFER: DeviceSize = DeviceSize::MAX;

/// How two buffer ranges relate (`iree_hal_buffer_overlap_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum BufferOverlap {
    Disjoint = 0,
    Partial = 1,
    Complete = 2,
}

/// Where the bytes of a buffer come from.
enum Backing {
    Allocation(Allocation),
    /// A view into an allocated buffer (never into another subspan).
    Subspan(Arc<Buffer>),
}

/// The storage of an allocated buffer and the statistics to update when it goes.
struct Allocation {
    storage: HostStorage,
    statistics: Option<Arc<Mutex<AllocatorStatistics>>>,
    memory_type: MemoryType,
}

impl Drop for Allocation {
    fn drop(&mut self) {
        if let Some(statistics) = &self.statistics {
            let mut stats = statistics.lock().unwrap_or_else(|e| e.into_inner());
            stats.record_free(self.memory_type, self.storage.len() as DeviceSize);
        }
    }
}

/// A buffer (`iree_hal_buffer_t`). Its resource header (first, for C's
/// references: `abi::hal_resource`) makes `Arc::as_ptr` its C handle.
#[repr(C)]
pub struct Buffer {
    header: ResourceHeader,
    backing: Backing,
    memory_type: MemoryType,
    allowed_access: MemoryAccess,
    allowed_usage: BufferUsage,
    allocation_size: DeviceSize,
    byte_offset: DeviceSize,
    byte_length: DeviceSize,
    /// The allocated buffer's C handle as lent to C by a subspan.
    lent_allocated_buffer: LentHandle,
}

crate::hal_resource!(Buffer);

impl std::fmt::Debug for Buffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buffer")
            .field("memory_type", &self.memory_type.format())
            .field("allowed_access", &self.allowed_access.format())
            .field("allowed_usage", &self.allowed_usage.format())
            .field("allocation_size", &self.allocation_size)
            .field("byte_offset", &self.byte_offset)
            .field("byte_length", &self.byte_length)
            .finish()
    }
}

/// Resolves `offset`/`length` (which may be [`WHOLE_BUFFER`]) within a range
/// of `max_length` bytes that starts at `base_offset`, as the seeds'
/// `iree_hal_buffer_calculate_range` does: returns the absolute offset and
/// the length. Starting past the end or running over it is OUT_OF_RANGE.
pub fn calculate_range(
    base_offset: DeviceSize,
    max_length: DeviceSize,
    offset: DeviceSize,
    length: DeviceSize,
) -> Result<(DeviceSize, DeviceSize)> {
    if offset > max_length {
        iree_bail!(
            OutOfRange,
            "attempted to access an address off the end of the valid buffer range (offset={offset}, length={}, buffer byte_length={max_length})",
            length as i64
        );
    }
    let adjusted_length = if length == WHOLE_BUFFER {
        max_length - offset
    } else {
        length
    };
    let absolute = base_offset
        .checked_add(offset)
        .ok_or_else(|| iree_err!(OutOfRange, "buffer offset {offset} overflows"))?;
    if adjusted_length == 0 {
        return Ok((absolute, 0));
    }
    match offset.checked_add(adjusted_length) {
        Some(end) if end <= max_length => Ok((absolute, adjusted_length)),
        _ => iree_bail!(
            OutOfRange,
            "attempted to access an address outside of the valid buffer range (offset={offset}, adjusted_length={adjusted_length}, buffer byte_length={max_length})"
        ),
    }
}

fn host_size(value: DeviceSize) -> Result<usize> {
    usize::try_from(value).map_err(|_| {
        iree_err!(
            OutOfRange,
            "{value} bytes do not fit the host address space"
        )
    })
}

impl Buffer {
    /// Makes an allocated buffer over `storage` (its whole length), as heap
    /// allocation and host import do. `statistics`, when given, records the
    /// free when the buffer goes (the allocation was recorded by the caller).
    pub(crate) fn from_storage(
        storage: HostStorage,
        memory_type: MemoryType,
        allowed_access: MemoryAccess,
        allowed_usage: BufferUsage,
        statistics: Option<Arc<Mutex<AllocatorStatistics>>>,
    ) -> Arc<Buffer> {
        let size = storage.len() as DeviceSize;
        Arc::new(Buffer {
            header: ResourceHeader::new::<Buffer>(),
            backing: Backing::Allocation(Allocation {
                storage,
                statistics,
                memory_type,
            }),
            memory_type,
            allowed_access,
            allowed_usage,
            allocation_size: size,
            byte_offset: 0,
            byte_length: size,
            lent_allocated_buffer: LentHandle::default(),
        })
    }

    /// Wraps host memory as a buffer without an allocator (the seeds'
    /// `iree_hal_heap_buffer_wrap`); the storage's release callback, if any,
    /// fires once when the last reference goes.
    pub fn wrap_host(
        storage: HostStorage,
        memory_type: MemoryType,
        allowed_access: MemoryAccess,
        allowed_usage: BufferUsage,
    ) -> Arc<Buffer> {
        Buffer::from_storage(storage, memory_type, allowed_access, allowed_usage, None)
    }

    pub fn memory_type(&self) -> MemoryType {
        self.memory_type
    }

    pub fn allowed_access(&self) -> MemoryAccess {
        self.allowed_access
    }

    pub fn allowed_usage(&self) -> BufferUsage {
        self.allowed_usage
    }

    /// Size of the whole underlying allocation.
    pub fn allocation_size(&self) -> DeviceSize {
        self.allocation_size
    }

    /// Offset of this buffer within its allocated buffer.
    pub fn byte_offset(&self) -> DeviceSize {
        self.byte_offset
    }

    pub fn byte_length(&self) -> DeviceSize {
        self.byte_length
    }

    /// Whether this buffer owns its storage (is not a subspan).
    pub fn is_allocated_buffer(&self) -> bool {
        matches!(self.backing, Backing::Allocation(_))
    }

    /// The buffer holding the actual allocation: `self` or the subspan's parent.
    pub fn allocated_buffer(self: &Arc<Self>) -> Arc<Buffer> {
        match &self.backing {
            Backing::Allocation(_) => Arc::clone(self),
            Backing::Subspan(parent) => Arc::clone(parent),
        }
    }

    /// The allocated buffer's C handle (`iree_hal_buffer_allocated_buffer`),
    /// valid while `self` lives: a subspan keeps a C reference on its parent
    /// so that C may retain the handle.
    pub fn allocated_buffer_handle(self: &Arc<Self>) -> *mut iree_hal_resource_t {
        match &self.backing {
            // The caller reached `self` through its own C handle.
            Backing::Allocation(_) => Arc::as_ptr(self).cast_mut().cast(),
            Backing::Subspan(parent) => self.lent_allocated_buffer.lend(parent),
        }
    }

    /// The bytes of the whole allocation.
    pub fn storage(&self) -> &HostStorage {
        match &self.backing {
            Backing::Allocation(allocation) => &allocation.storage,
            Backing::Subspan(parent) => parent.storage(),
        }
    }

    fn same_allocation(&self, other: &Buffer) -> bool {
        std::ptr::eq(self.storage(), other.storage())
    }

    /// `iree_hal_buffer_validate_range`: succeeds iff the range lies in the buffer.
    pub fn validate_range(&self, offset: DeviceSize, length: DeviceSize) -> Result<()> {
        if offset > self.byte_length {
            iree_bail!(
                OutOfRange,
                "attempted to access an address off the end of the valid buffer range (offset={offset}, length={length}, buffer byte_length={})",
                self.byte_length
            );
        }
        if length == 0 {
            return Ok(());
        }
        match offset.checked_add(length) {
            Some(end) if end <= self.byte_length => Ok(()),
            _ => iree_bail!(
                OutOfRange,
                "attempted to access an address outside of the valid buffer range (offset={offset}, length={length}, buffer byte_length={})",
                self.byte_length
            ),
        }
    }

    /// A view of `length` bytes at `offset` (either may be relative to this
    /// buffer; `length` may be [`WHOLE_BUFFER`]). The whole buffer gives
    /// `self` back; anything else is a subspan of the allocated buffer.
    pub fn subspan(
        self: &Arc<Self>,
        offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<Arc<Buffer>> {
        let (absolute, length) =
            calculate_range(self.byte_offset, self.byte_length, offset, length)?;
        if absolute == self.byte_offset && length == self.byte_length {
            return Ok(Arc::clone(self));
        }
        let parent = self.allocated_buffer();
        Ok(Arc::new(Buffer {
            header: ResourceHeader::new::<Buffer>(),
            memory_type: parent.memory_type,
            allowed_access: parent.allowed_access,
            allowed_usage: parent.allowed_usage,
            allocation_size: parent.allocation_size,
            byte_offset: absolute,
            byte_length: length,
            backing: Backing::Subspan(parent),
            lent_allocated_buffer: LentHandle::default(),
        }))
    }

    /// `iree_hal_buffer_test_overlap`: how two ranges of (possibly the same)
    /// allocations relate. Lengths may be [`WHOLE_BUFFER`].
    pub fn test_overlap(
        lhs: &Buffer,
        lhs_offset: DeviceSize,
        lhs_length: DeviceSize,
        rhs: &Buffer,
        rhs_offset: DeviceSize,
        rhs_length: DeviceSize,
    ) -> BufferOverlap {
        if !lhs.same_allocation(rhs) {
            return BufferOverlap::Disjoint;
        }
        let resolve = |buffer: &Buffer, offset: DeviceSize, length: DeviceSize| {
            let start = buffer.byte_offset.saturating_add(offset);
            let length = if length == WHOLE_BUFFER {
                buffer.byte_length.saturating_sub(offset)
            } else {
                length
            };
            (start, length)
        };
        let (ls, ll) = resolve(lhs, lhs_offset, lhs_length);
        let (rs, rl) = resolve(rhs, rhs_offset, rhs_length);
        if ll == 0 || rl == 0 {
            return BufferOverlap::Disjoint;
        }
        if ls == rs && ll == rl {
            return BufferOverlap::Complete;
        }
        if ls.saturating_add(ll) > rs && rs.saturating_add(rl) > ls {
            BufferOverlap::Partial
        } else {
            BufferOverlap::Disjoint
        }
    }

    /// Checks a mapping request and resolves it to an absolute range of the
    /// allocation, as `iree_hal_buffer_map_range` does before mapping.
    fn resolve_mapping(
        &self,
        mode: MappingMode,
        access: MemoryAccess,
        offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<(DeviceSize, DeviceSize)> {
        validate_access(self.allowed_access, access)?;
        if mode.contains(MappingMode::PERSISTENT) {
            validate_memory_type(self.memory_type, MemoryType::HOST_VISIBLE)?;
            validate_usage(self.allowed_usage, BufferUsage::MAPPING)?;
        }
        calculate_range(self.byte_offset, self.byte_length, offset, length)
    }

    /// Maps `length` bytes at `offset` for host access (`iree_hal_buffer_map_range`).
    /// Fails with PERMISSION_DENIED for access the buffer does not allow (or,
    /// when persistent, a memory type that is not host visible or a buffer
    /// without MAPPING usage), INVALID_ARGUMENT for an access naming neither
    /// read nor write, and OUT_OF_RANGE for ranges outside the buffer.
    pub fn map_range(
        self: &Arc<Self>,
        mode: MappingMode,
        access: MemoryAccess,
        offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<Mapping> {
        let (absolute, length) = self.resolve_mapping(mode, access, offset, length)?;
        Ok(Mapping {
            buffer: Arc::clone(self),
            absolute_offset: absolute,
            byte_length: length,
            access,
            persistent: mode.contains(MappingMode::PERSISTENT),
        })
    }

    fn scoped_range(
        &self,
        access: MemoryAccess,
        offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<(usize, usize)> {
        let (absolute, length) =
            self.resolve_mapping(MappingMode::SCOPED, access, offset, length)?;
        Ok((host_size(absolute)?, host_size(length)?))
    }

    /// `iree_hal_buffer_map_read`: copies `out.len()` bytes from `offset`.
    pub fn map_read(&self, offset: DeviceSize, out: &mut [u8]) -> Result<()> {
        if out.is_empty() {
            return Ok(());
        }
        let (start, len) =
            self.scoped_range(MemoryAccess::READ, offset, out.len() as DeviceSize)?;
        self.storage().read(start, &mut out[..len])?;
        fence(Ordering::Acquire);
        Ok(())
    }

    /// `iree_hal_buffer_map_write`: copies `data` to `offset`.
    pub fn map_write(&self, offset: DeviceSize, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        let (start, _) = self.scoped_range(
            MemoryAccess::DISCARD_WRITE,
            offset,
            data.len() as DeviceSize,
        )?;
        self.storage().write(start, data)?;
        fence(Ordering::Release);
        Ok(())
    }

    /// `iree_hal_buffer_map_fill`: repeats a 1, 2 or 4 byte `pattern` over
    /// the range; offset and length must be multiples of the pattern size.
    pub fn map_fill(&self, offset: DeviceSize, length: DeviceSize, pattern: &[u8]) -> Result<()> {
        iree_ensure!(
            matches!(pattern.len(), 1 | 2 | 4),
            InvalidArgument,
            "fill patterns must be 1, 2, or 4 bytes (got {})",
            pattern.len()
        );
        if length == 0 {
            return Ok(());
        }
        let (start, len) = self.scoped_range(MemoryAccess::DISCARD_WRITE, offset, length)?;
        let pattern_length = pattern.len() as DeviceSize;
        iree_ensure!(
            offset.is_multiple_of(pattern_length) && (len as DeviceSize).is_multiple_of(pattern_length),
            InvalidArgument,
            "attempting to fill a range with {} byte values that is not aligned (offset={offset}, length={len})",
            pattern.len()
        );
        self.storage().fill(start, len, pattern)?;
        fence(Ordering::Release);
        Ok(())
    }

    /// `iree_hal_buffer_map_zero`.
    pub fn map_zero(&self, offset: DeviceSize, length: DeviceSize) -> Result<()> {
        self.map_fill(offset, length, &[0])
    }

    /// `iree_hal_buffer_map_copy`: copies between two buffers (or two
    /// disjoint ranges of one). [`WHOLE_BUFFER`] copies the shorter remainder.
    pub fn map_copy(
        source: &Buffer,
        source_offset: DeviceSize,
        target: &Buffer,
        target_offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<()> {
        if length == 0 {
            return Ok(());
        }
        if Buffer::test_overlap(source, source_offset, length, target, target_offset, length)
            != BufferOverlap::Disjoint
        {
            iree_bail!(
                InvalidArgument,
                "source and target ranges must not overlap within the same buffer"
            );
        }
        let (source_start, source_len) =
            source.scoped_range(MemoryAccess::READ, source_offset, length)?;
        let (target_start, target_len) =
            target.scoped_range(MemoryAccess::DISCARD_WRITE, target_offset, length)?;
        let len = source_len.min(target_len);
        target
            .storage()
            .copy_from(target_start, source.storage(), source_start, len)?;
        fence(Ordering::Release);
        Ok(())
    }

    /// Copies the whole buffer's bytes out (a convenience for Rust callers).
    pub fn read_all(&self) -> Result<Vec<u8>> {
        let (start, len) = self.scoped_range(MemoryAccess::READ, 0, WHOLE_BUFFER)?;
        self.storage().read_to_vec(start, len)
    }
}

/// A host mapping of a buffer range (`iree_hal_buffer_mapping_t`).
pub struct Mapping {
    buffer: Arc<Buffer>,
    /// Offset of the mapped range within the allocation.
    absolute_offset: DeviceSize,
    byte_length: DeviceSize,
    access: MemoryAccess,
    persistent: bool,
}

/// A raw span of mapped bytes handed to C (`iree_byte_span_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappedSpan {
    pub data: *mut u8,
    pub length: DeviceSize,
}

impl Mapping {
    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.buffer
    }

    pub fn access(&self) -> MemoryAccess {
        self.access
    }

    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// Offset of the mapped range within the allocated buffer.
    pub fn allocation_offset(&self) -> DeviceSize {
        self.absolute_offset
    }

    pub fn byte_length(&self) -> DeviceSize {
        self.byte_length
    }

    /// The mapped bytes as pointer and length, valid while the buffer lives.
    pub fn contents(&self) -> MappedSpan {
        MappedSpan {
            data: self
                .buffer
                .storage()
                .as_ptr()
                .wrapping_add(self.absolute_offset as usize),
            length: self.byte_length,
        }
    }

    /// `iree_hal_buffer_mapping_subspan`: a range of the mapping (relative
    /// offsets; `length` may be [`WHOLE_BUFFER`]) for the given access.
    pub fn subspan(
        &self,
        access: MemoryAccess,
        offset: DeviceSize,
        length: DeviceSize,
    ) -> Result<MappedSpan> {
        validate_access(self.access, access)?;
        let (offset, length) = calculate_range(0, self.byte_length, offset, length)?;
        Ok(MappedSpan {
            data: self.contents().data.wrapping_add(offset as usize),
            length,
        })
    }

    fn local_range(&self, offset: DeviceSize, length: DeviceSize) -> Result<(usize, usize)> {
        let (absolute, length) =
            calculate_range(self.absolute_offset, self.byte_length, offset, length)?;
        Ok((host_size(absolute)?, host_size(length)?))
    }

    /// Copies mapped bytes out, from `offset` within the mapping.
    pub fn read(&self, offset: DeviceSize, out: &mut [u8]) -> Result<()> {
        validate_access(self.access, MemoryAccess::READ)?;
        let (start, _) = self.local_range(offset, out.len() as DeviceSize)?;
        self.buffer.storage().read(start, out)
    }

    /// Copies `data` into the mapping at `offset`.
    pub fn write(&self, offset: DeviceSize, data: &[u8]) -> Result<()> {
        validate_access(self.access, MemoryAccess::WRITE)?;
        let (start, _) = self.local_range(offset, data.len() as DeviceSize)?;
        self.buffer.storage().write(start, data)
    }

    /// `iree_hal_buffer_invalidate_range`: makes device writes visible
    /// (needs READ access to the mapping; range relative to it).
    pub fn invalidate_range(&self, offset: DeviceSize, length: DeviceSize) -> Result<()> {
        validate_access(self.access, MemoryAccess::READ)?;
        self.local_range(offset, length)?;
        fence(Ordering::Acquire);
        Ok(())
    }

    /// `iree_hal_buffer_flush_range`: makes host writes visible (needs WRITE).
    pub fn flush_range(&self, offset: DeviceSize, length: DeviceSize) -> Result<()> {
        validate_access(self.access, MemoryAccess::WRITE)?;
        self.local_range(offset, length)?;
        fence(Ordering::Release);
        Ok(())
    }

    /// `iree_hal_buffer_unmap_range`. Host memory needs no work beyond
    /// publishing writes; the mapping's buffer reference is dropped.
    pub fn unmap(self) -> Result<()> {
        fence(Ordering::Release);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    fn buffer(len: usize, access: MemoryAccess) -> Arc<Buffer> {
        Buffer::wrap_host(
            HostStorage::allocate(len).unwrap(),
            MemoryType::HOST_LOCAL | MemoryType::DEVICE_VISIBLE,
            access,
            BufferUsage::MAPPING | BufferUsage::TRANSFER,
        )
    }

    fn code<T>(r: Result<T>) -> StatusCode {
        r.err().expect("expected an error").code()
    }

    #[test]
    fn ranges_follow_the_seeds() {
        assert_eq!(calculate_range(10, 8, 2, WHOLE_BUFFER).unwrap(), (12, 6));
        assert_eq!(calculate_range(10, 8, 8, WHOLE_BUFFER).unwrap(), (18, 0));
        assert_eq!(calculate_range(0, 8, 8, 0).unwrap(), (8, 0));
        assert_eq!(code(calculate_range(0, 8, 9, 0)), StatusCode::OutOfRange);
        assert_eq!(code(calculate_range(0, 8, 4, 5)), StatusCode::OutOfRange);
        assert_eq!(
            code(calculate_range(0, 8, 4, u64::MAX - 1)),
            StatusCode::OutOfRange
        );
    }

    #[test]
    fn subspans_of_subspans_resolve_to_the_allocation() {
        let base = buffer(64, MemoryAccess::ALL);
        assert!(Arc::ptr_eq(&base.subspan(0, WHOLE_BUFFER).unwrap(), &base));
        let a = base.subspan(8, 32).unwrap();
        let b = a.subspan(4, 8).unwrap();
        assert_eq!((b.byte_offset(), b.byte_length()), (12, 8));
        assert!(Arc::ptr_eq(&b.allocated_buffer(), &base));
        assert!(!b.is_allocated_buffer());
        assert_eq!(code(a.subspan(30, 4)), StatusCode::OutOfRange);
        b.map_write(0, &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        let mut out = [0u8; 4];
        base.map_read(12, &mut out).unwrap();
        assert_eq!(out, [1, 2, 3, 4]);
        a.map_read(6, &mut out).unwrap();
        assert_eq!(out, [3, 4, 5, 6]);
        assert_eq!(
            Buffer::test_overlap(&a, 4, 8, &b, 0, 8),
            BufferOverlap::Complete
        );
        assert_eq!(
            Buffer::test_overlap(&a, 0, 5, &b, 0, WHOLE_BUFFER),
            BufferOverlap::Partial
        );
        assert_eq!(
            Buffer::test_overlap(&a, 0, 4, &b, 0, 8),
            BufferOverlap::Disjoint
        );
        let other = buffer(64, MemoryAccess::ALL);
        assert_eq!(
            Buffer::test_overlap(&a, 0, 8, &other, 0, 8),
            BufferOverlap::Disjoint
        );
    }

    #[test]
    fn mapping_checks_access_and_range() {
        let b = buffer(16, MemoryAccess::READ);
        let m = b
            .map_range(MappingMode::SCOPED, MemoryAccess::READ, 4, WHOLE_BUFFER)
            .unwrap();
        assert_eq!(m.byte_length(), 12);
        assert_eq!(m.contents().data, b.storage().as_ptr().wrapping_add(4));
        assert_eq!(code(m.flush_range(0, 4)), StatusCode::PermissionDenied);
        m.invalidate_range(0, 12).unwrap();
        assert_eq!(code(m.invalidate_range(4, 12)), StatusCode::OutOfRange);
        assert_eq!(m.subspan(MemoryAccess::READ, 2, 4).unwrap().length, 4);
        m.unmap().unwrap();
        assert_eq!(
            code(b.map_range(MappingMode::SCOPED, MemoryAccess::WRITE, 0, 4)),
            StatusCode::PermissionDenied
        );
        assert_eq!(
            code(b.map_range(MappingMode::SCOPED, MemoryAccess::DISCARD, 0, 4)),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            code(b.map_range(MappingMode::SCOPED, MemoryAccess::READ, 17, 0)),
            StatusCode::OutOfRange
        );
        assert_eq!(
            code(b.map_range(MappingMode::SCOPED, MemoryAccess::READ, 8, 9)),
            StatusCode::OutOfRange
        );
        assert_eq!(code(b.map_write(0, &[1])), StatusCode::PermissionDenied);
    }

    #[test]
    fn persistent_mapping_needs_host_visible_mappable_memory() {
        let device_only = Buffer::wrap_host(
            HostStorage::allocate(8).unwrap(),
            MemoryType::DEVICE_LOCAL,
            MemoryAccess::ALL,
            BufferUsage::MAPPING,
        );
        assert_eq!(
            code(device_only.map_range(MappingMode::PERSISTENT, MemoryAccess::READ, 0, 8)),
            StatusCode::PermissionDenied
        );
        let unmappable = Buffer::wrap_host(
            HostStorage::allocate(8).unwrap(),
            MemoryType::HOST_LOCAL,
            MemoryAccess::ALL,
            BufferUsage::TRANSFER,
        );
        assert_eq!(
            code(unmappable.map_range(MappingMode::PERSISTENT, MemoryAccess::READ, 0, 8)),
            StatusCode::PermissionDenied
        );
        let ok = buffer(8, MemoryAccess::ALL);
        let m = ok
            .map_range(MappingMode::PERSISTENT, MemoryAccess::WRITE, 0, 8)
            .unwrap();
        assert!(m.is_persistent());
        m.write(4, &[9, 9, 9, 9]).unwrap();
        assert_eq!(code(m.write(6, &[1, 2, 3])), StatusCode::OutOfRange);
        m.flush_range(0, WHOLE_BUFFER).unwrap();
    }

    #[test]
    fn fill_patterns_and_alignment() {
        let b = buffer(16, MemoryAccess::ALL);
        b.map_fill(0, WHOLE_BUFFER, &[0x11]).unwrap();
        b.map_fill(4, 8, &0xAABBu16.to_le_bytes()).unwrap();
        b.map_fill(12, 4, &0x01020304u32.to_le_bytes()).unwrap();
        assert_eq!(
            b.read_all().unwrap(),
            [0x11, 0x11, 0x11, 0x11, 0xBB, 0xAA, 0xBB, 0xAA, 0xBB, 0xAA, 0xBB, 0xAA, 4, 3, 2, 1]
        );
        assert_eq!(
            code(b.map_fill(0, 4, &[1, 2, 3])),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            code(b.map_fill(2, 4, &[1, 2, 3, 4])),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            code(b.map_fill(0, 6, &[1, 2, 3, 4])),
            StatusCode::InvalidArgument
        );
        assert_eq!(code(b.map_fill(0, 20, &[1])), StatusCode::OutOfRange);
        b.map_fill(0, 0, &[1]).unwrap();
        b.map_zero(0, WHOLE_BUFFER).unwrap();
        assert_eq!(b.read_all().unwrap(), [0; 16]);
    }

    #[test]
    fn copies_between_buffers_and_rejects_overlap() {
        let a = buffer(8, MemoryAccess::ALL);
        let b = buffer(4, MemoryAccess::ALL);
        a.map_write(0, &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        Buffer::map_copy(&a, 4, &b, 0, WHOLE_BUFFER).unwrap();
        assert_eq!(b.read_all().unwrap(), [5, 6, 7, 8]);
        assert_eq!(
            code(Buffer::map_copy(&a, 0, &a, 2, 4)),
            StatusCode::InvalidArgument
        );
        Buffer::map_copy(&a, 0, &a, 4, 2).unwrap();
        assert_eq!(a.read_all().unwrap(), [1, 2, 3, 4, 1, 2, 7, 8]);
        assert_eq!(
            code(Buffer::map_copy(&a, 6, &b, 0, 4)),
            StatusCode::OutOfRange
        );
    }
}
