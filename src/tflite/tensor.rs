//! Tensors: an input or output of an interpreter, its shape and element
//! type, and the HAL buffer its data lives in (inputs: allocated by
//! `AllocateTensors`; outputs: the buffers the module returned).

use std::ffi::CString;
use std::sync::Arc;

use crate::hal::buffer::Buffer;
use crate::tflite::options::Reporter;
use crate::tflite::sidecar::TensorSpec;
use crate::tflite::types::{QuantizationParams, TensorType};
use crate::{iree_bail, iree_err, Result};

/// `TfLiteTensor`.
pub struct Tensor {
    name: CString,
    tensor_type: TensorType,
    quantization: QuantizationParams,
    dims: Vec<i32>,
    buffer: Option<Arc<Buffer>>,
    reporter: Reporter,
    /// The static shape the sidecar gives, if it gives one.
    static_shape: Option<Vec<i32>>,
}

impl Tensor {
    pub(crate) fn new(spec: &TensorSpec, reporter: Reporter) -> Tensor {
        // Names from the module cannot hold NUL bytes (they are split on
        // `;` from a C string); drop any rather than fail.
        let name = CString::new(spec.name.replace('\0', "")).unwrap_or_default();
        Tensor {
            name,
            tensor_type: spec.tensor_type,
            quantization: spec.quantization,
            dims: Vec::new(),
            buffer: None,
            reporter,
            static_shape: spec
                .shape
                .clone()
                .filter(|dims| dims.iter().all(|&d| d >= 0)),
        }
    }

    pub fn name(&self) -> &CString {
        &self.name
    }

    pub fn tensor_type(&self) -> TensorType {
        self.tensor_type
    }

    pub fn quantization(&self) -> QuantizationParams {
        self.quantization
    }

    pub fn dims(&self) -> &[i32] {
        &self.dims
    }

    pub(crate) fn static_shape(&self) -> Option<&[i32]> {
        self.static_shape.as_deref()
    }

    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    /// Elements times element size.
    pub fn byte_size(&self) -> usize {
        element_count(&self.dims).saturating_mul(self.tensor_type.size())
    }

    pub fn buffer(&self) -> Option<&Arc<Buffer>> {
        self.buffer.as_ref()
    }

    /// The first byte of the tensor's data in its buffer; NULL before
    /// `AllocateTensors`. For outputs it changes with each invoke (the
    /// module returns new buffers).
    pub fn data_ptr(&self) -> *mut u8 {
        match &self.buffer {
            Some(buffer) => buffer
                .storage()
                .as_ptr()
                .wrapping_add(buffer.byte_offset() as usize),
            None => std::ptr::null_mut(),
        }
    }

    pub(crate) fn set_dims(&mut self, dims: Vec<i32>) {
        self.dims = dims;
    }

    pub(crate) fn set_buffer(&mut self, buffer: Option<Arc<Buffer>>) {
        self.buffer = buffer;
    }

    fn allocated_buffer(&self, what: &str) -> Result<&Arc<Buffer>> {
        self.buffer.as_ref().ok_or_else(|| {
            iree_err!(
                FailedPrecondition,
                "{what} tensor '{}': no data yet; call TfLiteInterpreterAllocateTensors first",
                self.name.to_string_lossy()
            )
        })
    }

    fn check_size(&self, what: &str, size: usize) -> Result<()> {
        if size != self.byte_size() {
            iree_bail!(
                InvalidArgument,
                "{what} tensor '{}': the buffer holds {size} bytes, the tensor {} ({} x {:?} {})",
                self.name.to_string_lossy(),
                self.byte_size(),
                self.tensor_type.size(),
                self.dims,
                self.tensor_type.name()
            );
        }
        Ok(())
    }

    /// Copies `data` (exactly the tensor's byte size) into the tensor.
    pub fn copy_from(&self, data: &[u8]) -> Result<()> {
        self.check_size("copying into", data.len())?;
        let buffer = self.allocated_buffer("copying into")?;
        buffer.storage().write(buffer.byte_offset() as usize, data)
    }

    /// Copies the tensor into `out` (exactly the tensor's byte size).
    pub fn copy_to(&self, out: &mut [u8]) -> Result<()> {
        self.check_size("copying from", out.len())?;
        let buffer = self.allocated_buffer("copying from")?;
        buffer.storage().read(buffer.byte_offset() as usize, out)
    }
}

/// The product of `dims` (1 for a scalar); negative dims count as 0.
pub fn element_count(dims: &[i32]) -> usize {
    dims.iter()
        .map(|&d| usize::try_from(d).unwrap_or(0))
        .fold(1usize, usize::saturating_mul)
}
