//! Buffer views: a buffer with a shape, an element type and an encoding
//! (`iree_hal_buffer_view_t`), and the shape arithmetic behind them
//! (`iree_hal_buffer_compute_view_*`).
//!
//! Dimensions are 64-bit (`iree_hal_dim_t` is `iree_device_size_t` in the
//! 3.13 runtime; the seeds' 32-bit signed dims convert at the C edge). All
//! arithmetic is checked: a shape whose size overflows is an error, never a
//! wrapped-around small allocation.

use std::sync::{Arc, OnceLock};

use crate::abi::hal_lent::LentHandle;
use crate::abi::hal_resource::{iree_hal_resource_t, ResourceHeader};
use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::{Buffer, DeviceSize, Mapping, WHOLE_BUFFER};
use crate::hal::element_type::{ElementType, EncodingType};
use crate::hal::memory::{BufferParams, BufferUsage, MappingMode, MemoryAccess, MemoryType};
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// One dimension of a shape.
pub type Dim = u64;

/// The most dimensions a shape may have (the reference's parser limit).
pub const MAX_RANK: usize = 128;

/// Product of the dimensions; `None` on overflow.
pub fn element_count(shape: &[Dim]) -> Option<u64> {
    shape.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d))
}

/// `iree_hal_buffer_compute_view_size`: bytes a dense row-major view of
/// `shape` needs (sub-byte elements packed). Zero-bit element types are
/// INVALID_ARGUMENT, other encodings UNIMPLEMENTED, overflow INVALID_ARGUMENT.
pub fn compute_view_size(
    shape: &[Dim],
    element_type: ElementType,
    encoding_type: EncodingType,
) -> Result<DeviceSize> {
    if encoding_type != EncodingType::DENSE_ROW_MAJOR {
        iree_bail!(
            Unimplemented,
            "unimplemented encoding type size calculation"
        );
    }
    iree_ensure!(
        element_type.bit_count() != 0,
        InvalidArgument,
        "opaque element types cannot be indexed"
    );
    element_count(shape)
        .and_then(|count| element_type.packed_byte_count(count))
        .ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "shape {shape:?} of {element_type} overflows"
            )
        })
}

fn check_indexable(element_type: ElementType, encoding_type: EncodingType) -> Result<()> {
    iree_ensure!(
        encoding_type == EncodingType::DENSE_ROW_MAJOR,
        InvalidArgument,
        "only dense encodings support view range computation"
    );
    iree_ensure!(
        element_type.bit_count() != 0 && element_type.is_byte_aligned(),
        InvalidArgument,
        "opaque and sub-byte aligned element types cannot be indexed"
    );
    Ok(())
}

/// `iree_hal_buffer_compute_view_offset`: the byte offset of the element at
/// `indices` (one per dimension, each below its dimension).
pub fn compute_view_offset(
    shape: &[Dim],
    element_type: ElementType,
    encoding_type: EncodingType,
    indices: &[Dim],
) -> Result<DeviceSize> {
    check_indexable(element_type, encoding_type)?;
    iree_ensure!(
        shape.len() == indices.len(),
        InvalidArgument,
        "shape rank/indices mismatch: {} != {}",
        shape.len(),
        indices.len()
    );
    let overflow = || {
        iree_err!(
            InvalidArgument,
            "offset of {indices:?} in {shape:?} overflows"
        )
    };
    let mut offset = 0u64;
    for (i, (&index, &dim)) in indices.iter().zip(shape).enumerate() {
        iree_ensure!(
            index < dim,
            OutOfRange,
            "index[{i}] out of bounds: {index} >= {dim}"
        );
        let stride = element_count(&shape[i + 1..]).ok_or_else(overflow)?;
        offset = index
            .checked_mul(stride)
            .and_then(|o| o.checked_add(offset))
            .ok_or_else(overflow)?;
    }
    offset
        .checked_mul(element_type.dense_byte_count() as u64)
        .ok_or_else(overflow)
}

/// `iree_hal_buffer_compute_view_range`: the byte range of the box starting
/// at `start_indices` with `lengths` elements per dimension. Only ranges that
/// are contiguous in memory are supported (UNIMPLEMENTED otherwise).
pub fn compute_view_range(
    shape: &[Dim],
    element_type: ElementType,
    encoding_type: EncodingType,
    start_indices: &[Dim],
    lengths: &[Dim],
) -> Result<(DeviceSize, DeviceSize)> {
    check_indexable(element_type, encoding_type)?;
    iree_ensure!(
        start_indices.len() == lengths.len(),
        InvalidArgument,
        "indices/lengths mismatch: {} != {}",
        start_indices.len(),
        lengths.len()
    );
    iree_ensure!(
        shape.len() == start_indices.len(),
        InvalidArgument,
        "shape rank/indices mismatch: {} != {}",
        shape.len(),
        start_indices.len()
    );
    let element_size = element_type.dense_byte_count() as u64;
    let mut end_indices = Vec::with_capacity(shape.len());
    for (&start, &length) in start_indices.iter().zip(lengths) {
        // A zero length names no element; the reference's end index would
        // wrap below the start, so treat it as out of range.
        let end = length
            .checked_sub(1)
            .and_then(|l| start.checked_add(l))
            .ok_or_else(|| iree_err!(OutOfRange, "empty or overflowing range length {length}"))?;
        end_indices.push(end);
    }
    let subspan_length = element_count(lengths)
        .and_then(|c| c.checked_mul(element_size))
        .ok_or_else(|| iree_err!(InvalidArgument, "range lengths {lengths:?} overflow"))?;
    let start = compute_view_offset(shape, element_type, encoding_type, start_indices)?;
    let end = compute_view_offset(shape, element_type, encoding_type, &end_indices)?;
    if end - start + element_size != subspan_length {
        iree_bail!(
            Unimplemented,
            "non-contiguous range region computation not implemented"
        );
    }
    Ok((start, subspan_length))
}

/// A shaped, typed view of a buffer (`iree_hal_buffer_view_t`; its
/// resource header comes first for C's references when shared as an `Arc`).
#[derive(Debug)]
#[repr(C)]
pub struct BufferView {
    header: ResourceHeader,
    buffer: Arc<Buffer>,
    shape: Vec<Dim>,
    element_type: ElementType,
    encoding_type: EncodingType,
    byte_length: DeviceSize,
    /// The buffer's C handle as lent by `iree_hal_buffer_view_buffer`.
    lent_buffer: LentHandle,
    /// The shape as the seeds' 32-bit `iree_hal_dim_t`, made on first use
    /// by `iree_hal_buffer_view_shape_dims` (reset by `reshape`).
    narrow_shape: OnceLock<Vec<i32>>,
}

crate::hal_resource!(BufferView);

/// A clone is a new object: same buffer and metadata, no C references.
impl Clone for BufferView {
    fn clone(&self) -> BufferView {
        BufferView {
            header: ResourceHeader::new::<BufferView>(),
            buffer: Arc::clone(&self.buffer),
            shape: self.shape.clone(),
            element_type: self.element_type,
            encoding_type: self.encoding_type,
            byte_length: self.byte_length,
            lent_buffer: LentHandle::default(),
            narrow_shape: OnceLock::new(),
        }
    }
}

impl BufferView {
    /// `iree_hal_buffer_view_create`. The view's byte length is the dense
    /// size of the shape; a shape whose size overflows is INVALID_ARGUMENT.
    pub fn create(
        buffer: Arc<Buffer>,
        shape: &[Dim],
        element_type: ElementType,
        encoding_type: EncodingType,
    ) -> Result<BufferView> {
        let byte_length = element_count(shape)
            .and_then(|count| element_type.packed_byte_count(count))
            .ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "shape {shape:?} of {element_type} overflows"
                )
            })?;
        Ok(BufferView {
            header: ResourceHeader::new::<BufferView>(),
            buffer,
            shape: shape.to_vec(),
            element_type,
            encoding_type,
            byte_length,
            lent_buffer: LentHandle::default(),
            narrow_shape: OnceLock::new(),
        })
    }

    /// A view of `buffer` with the metadata of `like`.
    pub fn create_like(buffer: Arc<Buffer>, like: &BufferView) -> BufferView {
        let mut view = like.clone();
        view.buffer = buffer;
        view
    }

    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.buffer
    }

    pub fn shape(&self) -> &[Dim] {
        &self.shape
    }

    /// The buffer's C handle, valid while the view lives (the view keeps a
    /// C reference on it so that C may retain the handle).
    pub fn buffer_handle(&self) -> *mut iree_hal_resource_t {
        self.lent_buffer.lend(&self.buffer)
    }

    /// The shape as 32-bit dimensions (the seeds' `iree_hal_dim_t`), stable
    /// until the next reshape; dimensions past `i32::MAX` read as `i32::MAX`.
    pub fn narrow_shape(&self) -> &[i32] {
        self.narrow_shape.get_or_init(|| {
            self.shape
                .iter()
                .map(|&d| i32::try_from(d).unwrap_or(i32::MAX))
                .collect()
        })
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// The dimension at `index`, if the view has that many.
    pub fn dim(&self, index: usize) -> Option<Dim> {
        self.shape.get(index).copied()
    }

    pub fn element_type(&self) -> ElementType {
        self.element_type
    }

    pub fn encoding_type(&self) -> EncodingType {
        self.encoding_type
    }

    /// Bytes per element, unpacked (`iree_hal_buffer_view_element_size`).
    pub fn element_size(&self) -> usize {
        self.element_type.dense_byte_count()
    }

    pub fn element_count(&self) -> u64 {
        // Creation checked the product fits.
        element_count(&self.shape).unwrap_or(u64::MAX)
    }

    pub fn byte_length(&self) -> DeviceSize {
        self.byte_length
    }

    /// `iree_hal_buffer_view_reshape`: same rank and element count only.
    pub fn reshape(&mut self, shape: &[Dim]) -> Result<()> {
        iree_ensure!(
            shape.len() == self.shape.len(),
            InvalidArgument,
            "buffer view reshapes must have the same rank; target={}, existing={}",
            shape.len(),
            self.shape.len()
        );
        let new_count = element_count(shape);
        iree_ensure!(
            new_count == Some(self.element_count()),
            InvalidArgument,
            "buffer view reshapes must have the same element count; target={shape:?}, existing={:?}",
            self.shape
        );
        self.shape.copy_from_slice(shape);
        self.narrow_shape = OnceLock::new();
        Ok(())
    }

    pub fn compute_offset(&self, indices: &[Dim]) -> Result<DeviceSize> {
        compute_view_offset(&self.shape, self.element_type, self.encoding_type, indices)
    }

    pub fn compute_range(
        &self,
        start_indices: &[Dim],
        lengths: &[Dim],
    ) -> Result<(DeviceSize, DeviceSize)> {
        compute_view_range(
            &self.shape,
            self.element_type,
            self.encoding_type,
            start_indices,
            lengths,
        )
    }

    /// `iree_hal_buffer_view_allocate_buffer`: allocates a buffer of the
    /// view's size from `allocator` with up to that many bytes of
    /// `initial_data`, and wraps it.
    pub fn allocate(
        allocator: &HeapAllocator,
        shape: &[Dim],
        element_type: ElementType,
        encoding_type: EncodingType,
        params: BufferParams,
        initial_data: &[u8],
    ) -> Result<BufferView> {
        let size = compute_view_size(shape, element_type, encoding_type)?;
        let buffer = allocator.allocate_buffer(params.canonicalize(), size, initial_data)?;
        BufferView::create(buffer, shape, element_type, encoding_type)
    }

    /// `iree_hal_buffer_view_generate_buffer`: allocates a mappable buffer
    /// and lets `generate` write its contents through a mapping.
    pub fn generate(
        allocator: &HeapAllocator,
        shape: &[Dim],
        element_type: ElementType,
        encoding_type: EncodingType,
        params: BufferParams,
        generate: impl FnOnce(&Mapping) -> Result<()>,
    ) -> Result<BufferView> {
        let mut params = params.canonicalize();
        params.memory_type |= MemoryType::HOST_VISIBLE;
        params.usage |= BufferUsage::MAPPING;
        let view =
            BufferView::allocate(allocator, shape, element_type, encoding_type, params, &[])?;
        let mapping = view.buffer.map_range(
            MappingMode::SCOPED,
            MemoryAccess::DISCARD_WRITE,
            0,
            WHOLE_BUFFER,
        )?;
        generate(&mapping)?;
        mapping.unmap()?;
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    #[test]
    fn sizes_offsets_and_ranges() {
        let f32 = ElementType::FLOAT_32;
        let dense = EncodingType::DENSE_ROW_MAJOR;
        assert_eq!(compute_view_size(&[2, 3], f32, dense).unwrap(), 24);
        assert_eq!(compute_view_size(&[], f32, dense).unwrap(), 4);
        assert_eq!(
            compute_view_size(&[3], ElementType::INT_4, dense).unwrap(),
            2
        );
        assert_eq!(
            compute_view_size(&[2], ElementType::NONE, dense)
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            compute_view_size(&[2], f32, EncodingType::OPAQUE)
                .unwrap_err()
                .code(),
            StatusCode::Unimplemented
        );
        assert_eq!(
            compute_view_size(&[1 << 40, 1 << 40], f32, dense)
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            compute_view_offset(&[2, 3], f32, dense, &[1, 2]).unwrap(),
            20
        );
        assert_eq!(
            compute_view_offset(&[2, 3], f32, dense, &[2, 0])
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
        assert_eq!(
            compute_view_offset(&[2, 3], f32, dense, &[1])
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            compute_view_offset(&[4], ElementType::INT_4, dense, &[1])
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            compute_view_range(&[2, 3], f32, dense, &[1, 0], &[1, 3]).unwrap(),
            (12, 12)
        );
        assert_eq!(
            compute_view_range(&[2, 3], f32, dense, &[0, 1], &[2, 1])
                .unwrap_err()
                .code(),
            StatusCode::Unimplemented
        );
        assert_eq!(
            compute_view_range(&[2, 3], f32, dense, &[0, 0], &[0, 1])
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
    }

    #[test]
    fn views_allocate_query_and_reshape() {
        let allocator = HeapAllocator::new("heap");
        let data: Vec<u8> = (0..24).collect();
        let mut view = BufferView::allocate(
            &allocator,
            &[2, 3],
            ElementType::FLOAT_32,
            EncodingType::DENSE_ROW_MAJOR,
            BufferParams::default(),
            &data,
        )
        .unwrap();
        assert_eq!(view.rank(), 2);
        assert_eq!(view.dim(1), Some(3));
        assert_eq!(view.dim(2), None);
        assert_eq!(view.element_count(), 6);
        assert_eq!(view.element_size(), 4);
        assert_eq!(view.byte_length(), 24);
        assert_eq!(view.buffer().read_all().unwrap(), data);
        assert_eq!(view.compute_offset(&[1, 1]).unwrap(), 16);
        view.reshape(&[3, 2]).unwrap();
        assert_eq!(view.shape(), [3, 2]);
        assert!(view.reshape(&[6]).is_err());
        assert!(view.reshape(&[2, 2]).is_err());
        let generated = BufferView::generate(
            &allocator,
            &[4],
            ElementType::UINT_8,
            EncodingType::DENSE_ROW_MAJOR,
            BufferParams::default(),
            |mapping| mapping.write(0, &[9, 8, 7, 6]),
        )
        .unwrap();
        assert_eq!(generated.buffer().read_all().unwrap(), [9, 8, 7, 6]);
        let like = BufferView::create_like(Arc::clone(generated.buffer()), &view);
        assert_eq!(like.shape(), [3, 2]);
    }
}
