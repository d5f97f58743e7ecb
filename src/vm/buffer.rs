//! `vm.buffer`: a ref-counted byte buffer with access rules.
//!
//! The struct layout is public C API (`iree_vm_buffer_t`): callers may embed
//! one and initialize it in place, so the Rust type mirrors it field for
//! field and all byte access goes through [`Buffer::span`], which checks
//! bounds and mutability before handing out a slice.

use std::ffi::c_void;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::abi::boundary::ffi_boundary;
use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::vm::r#ref::{self, BuiltinRefType, RawRef, Ref, RefObject, RefType, TypeDescriptor};
use crate::{iree_bail, iree_ensure, Result};

/// `iree_vm_buffer_access_t` bits.
pub const ACCESS_MUTABLE: u32 = 1 << 0;
pub const ACCESS_ORIGIN_MODULE: u32 = 1 << 1;
pub const ACCESS_ORIGIN_GUEST: u32 = 1 << 2;
pub const ACCESS_ORIGIN_HOST: u32 = 1 << 3;

/// `iree_vm_buffer_t`.
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    pub counter: AtomicI32,
    pub access: u32,
    pub data: iree_byte_span_t,
    pub allocator: iree_allocator_t,
}

/// Offset of the data behind a heap buffer's header.
const HEADER_SIZE: usize = std::mem::size_of::<Buffer>().div_ceil(16) * 16;

/// The `vm.buffer` destroy function, called from the ref machinery (and
/// so possibly from C): it runs through the one panic boundary.
unsafe extern "C" fn destroy_buffer(ptr: *mut c_void) {
    ffi_boundary(|| {
        let buffer = ptr.cast::<Buffer>();
        // SAFETY: the last reference to a buffer went away; heap buffers are
        // one block from their own allocator (see `Buffer::create`).
        unsafe {
            let allocator = (*buffer).allocator;
            allocator.free(buffer.cast::<c_void>());
        }
        Ok(())
    })
}

/// The `vm.buffer` ref type.
pub static BUFFER_TYPE: BuiltinRefType = BuiltinRefType::new(b"vm.buffer", destroy_buffer);

// SAFETY: every `Buffer` handed out is a `vm.buffer` target, counter at 0.
unsafe impl RefObject for Buffer {
    fn ref_type() -> &'static BuiltinRefType {
        &BUFFER_TYPE
    }
}

/// Registers `vm.buffer` (idempotent) and returns its type id.
pub fn register_type() -> Result<RefType> {
    BUFFER_TYPE.register()
}

/// The `vm.buffer` type id, registering it on first use (lock-free after).
pub fn type_id() -> RefType {
    BUFFER_TYPE.id()
}

/// The registered descriptor of `vm.buffer` (NULL if it could not be).
pub fn descriptor() -> *const TypeDescriptor {
    BUFFER_TYPE
        .descriptor()
        .map_or(std::ptr::null(), |d| d as *const TypeDescriptor)
}

impl Buffer {
    /// A buffer over caller memory; `allocator` frees `data` on deinit.
    pub fn new(access: u32, data: iree_byte_span_t, allocator: iree_allocator_t) -> Buffer {
        Buffer {
            counter: AtomicI32::new(1),
            access,
            data,
            allocator,
        }
    }

    /// Allocates a zeroed heap buffer of `length` bytes (one block holding
    /// header and data) and returns the caller's reference.
    pub fn create(access: u32, length: usize, allocator: iree_allocator_t) -> Result<Ref> {
        let id = register_type()?;
        let total = HEADER_SIZE
            .checked_add(length)
            .ok_or_else(|| crate::iree_err!(OutOfRange, "buffer length {} too large", length))?;
        // SAFETY: the caller's allocator (C API contract: valid and usable
        // from any thread).
        let block = unsafe { allocator.malloc(total) }? as *mut u8;
        iree_ensure!(
            (block as usize).is_multiple_of(std::mem::align_of::<Buffer>()),
            Internal,
            "allocator returned misaligned memory"
        );
        let buffer = block as *mut Buffer;
        // SAFETY: `block` holds `total` writable bytes, aligned for Buffer.
        unsafe {
            let data = iree_byte_span_t {
                data: block.add(HEADER_SIZE),
                data_length: length,
            };
            buffer.write(Buffer::new(access, data, allocator));
            Ok(Ref::from_raw(RawRef::new(buffer as *mut c_void, 0, id)))
        }
    }

    /// A ref-counted buffer viewing memory it does not own (module rodata,
    /// host memory that outlives every reference). Only the header is
    /// allocated and freed.
    ///
    /// # Safety
    /// `data` must stay valid (and, if `access` is mutable, writable) until
    /// the last reference to the buffer is released.
    pub unsafe fn wrap(access: u32, data: iree_byte_span_t) -> Result<Ref> {
        let id = register_type()?;
        let allocator = iree_allocator_t::system();
        // SAFETY: the system allocator is always valid.
        let block = unsafe { allocator.malloc(std::mem::size_of::<Buffer>()) }?;
        let buffer = block as *mut Buffer;
        // SAFETY: `block` is a fresh allocation sized and (malloc-)aligned
        // for one Buffer; destroy frees just this block.
        unsafe {
            buffer.write(Buffer::new(access, data, allocator));
            Ok(Ref::from_raw(RawRef::new(buffer as *mut c_void, 0, id)))
        }
    }

    /// A new heap buffer holding a copy of `length` bytes at `offset`.
    pub fn clone_range(
        &self,
        access: u32,
        offset: usize,
        length: usize,
        allocator: iree_allocator_t,
    ) -> Result<Ref> {
        let source = self.span(offset, length, false)?.to_vec();
        let r = Buffer::create(access, length, allocator)?;
        let target = Buffer::from_ref(&r)?;
        target.write_unchecked(0, &source);
        Ok(r)
    }

    /// Borrows the buffer behind a ref of type `vm.buffer`.
    pub fn from_ref(r: &Ref) -> Result<&Buffer> {
        Self::from_raw_ref(r.as_raw())
    }

    pub fn from_raw_ref(r: &RawRef) -> Result<&Buffer> {
        r#ref::check(r, type_id())?;
        // SAFETY: a ref of type vm.buffer points at a live Buffer.
        Ok(unsafe { &*(r.ptr as *const Buffer) })
    }

    pub fn retain_ref(&self) -> Ref {
        let raw = RawRef::new(self as *const Buffer as *mut c_void, 0, type_id());
        // SAFETY: `self` is live.
        unsafe { Ref::retain_raw(&raw) }
    }

    pub fn ref_count(&self) -> i32 {
        self.counter.load(Ordering::Acquire)
    }

    pub fn len(&self) -> usize {
        self.data.data_length
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn is_mutable(&self) -> bool {
        self.access & ACCESS_MUTABLE != 0
    }

    /// The checked byte range `[offset, offset + length)`.
    ///
    /// Buffer bytes are memory shared with C through refs (like `Cell`
    /// contents), so a shared borrow of the header may hand out the bytes
    /// mutably; each slice is used only within one operation.
    #[allow(clippy::mut_from_ref)]
    fn span(&self, offset: usize, length: usize, for_write: bool) -> Result<&mut [u8]> {
        if for_write && !self.is_mutable() {
            iree_bail!(
                PermissionDenied,
                "buffer is read-only and cannot be mapped for mutation"
            );
        }
        self.range(offset, length)
    }

    #[allow(clippy::mut_from_ref)]
    fn range(&self, offset: usize, length: usize) -> Result<&mut [u8]> {
        let end = offset.checked_add(length);
        match end {
            Some(end) if end <= self.data.data_length => {}
            _ => iree_bail!(
                OutOfRange,
                "out-of-bounds access detected (offset={}, length={}, buffer length={})",
                offset,
                length,
                self.data.data_length
            ),
        }
        if length == 0 {
            return Ok(&mut []);
        }
        // SAFETY: the buffer's span describes memory valid for its life
        // (API contract of initialize/create) and the range is in bounds.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.data.data.add(offset), length) })
    }

    /// Internal writes (filling a fresh clone) ignore the access bits.
    fn write_unchecked(&self, offset: usize, bytes: &[u8]) {
        if let Ok(dst) = self.range(offset, bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// The checked, writable range `[offset, offset + length)`, as
    /// `iree_vm_buffer_map_rw` maps it (for native modules that write only
    /// some of the bytes, such as strided microkernel outputs; hold the
    /// slice for one operation only).
    #[allow(clippy::mut_from_ref)]
    pub fn map_rw(&self, offset: usize, length: usize) -> Result<&mut [u8]> {
        self.span(offset, length, true)
    }

    /// Reads bytes into a new vector.
    pub fn read(&self, offset: usize, length: usize) -> Result<Vec<u8>> {
        Ok(self.span(offset, length, false)?.to_vec())
    }

    /// Copies bytes between buffers (overlapping ranges are fine).
    pub fn copy_bytes(
        src: &Buffer,
        src_offset: usize,
        dst: &Buffer,
        dst_offset: usize,
        length: usize,
    ) -> Result<()> {
        let bytes = src.span(src_offset, length, false)?.to_vec();
        dst.span(dst_offset, length, true)?.copy_from_slice(&bytes);
        Ok(())
    }

    /// Whether two ranges hold equal bytes.
    pub fn compare_bytes(
        lhs: &Buffer,
        lhs_offset: usize,
        rhs: &Buffer,
        rhs_offset: usize,
        length: usize,
    ) -> Result<bool> {
        let a = lhs.span(lhs_offset, length, false)?.to_vec();
        let b = rhs.span(rhs_offset, length, false)?;
        Ok(a == b)
    }

    /// Aligns a byte offset down to the element size, as the VM ops do.
    fn element_range(offset: usize, count: usize, element_length: usize) -> Result<(usize, usize)> {
        iree_ensure!(
            matches!(element_length, 1 | 2 | 4 | 8),
            InvalidArgument,
            "invalid element length {}; expected one of [1, 2, 4, 8]",
            element_length
        );
        let length = count
            .checked_mul(element_length)
            .ok_or_else(|| crate::iree_err!(OutOfRange, "element count {} too large", count))?;
        Ok((offset & !(element_length - 1), length))
    }

    /// Fills `count` elements of `pattern.len()` bytes starting at byte `offset`.
    pub fn fill_elements(&self, offset: usize, count: usize, pattern: &[u8]) -> Result<()> {
        let (offset, length) = Self::element_range(offset, count, pattern.len())?;
        let span = self.span(offset, length, true)?;
        for chunk in span.chunks_exact_mut(pattern.len()) {
            chunk.copy_from_slice(pattern);
        }
        Ok(())
    }

    /// Reads `count` elements of `element_length` bytes at byte `offset`.
    pub fn read_elements(
        &self,
        offset: usize,
        count: usize,
        element_length: usize,
    ) -> Result<Vec<u8>> {
        let (offset, length) = Self::element_range(offset, count, element_length)?;
        self.read(offset, length)
    }

    /// Writes whole elements from `source` at byte `offset`.
    pub fn write_elements(
        &self,
        offset: usize,
        source: &[u8],
        element_length: usize,
    ) -> Result<()> {
        iree_ensure!(
            element_length != 0,
            InvalidArgument,
            "element length is zero"
        );
        let (offset, length) =
            Self::element_range(offset, source.len() / element_length, element_length)?;
        self.span(offset, length, true)?
            .copy_from_slice(&source[..length]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_wrapped_and_cloned_buffers() {
        let r = Buffer::create(ACCESS_MUTABLE, 8, iree_allocator_t::system()).unwrap();
        let b = Buffer::from_ref(&r).unwrap();
        b.fill_elements(0, 2, &7u32.to_le_bytes()).unwrap();
        let c = b.clone_range(0, 4, 4, iree_allocator_t::system()).unwrap();
        let c = Buffer::from_ref(&c).unwrap();
        assert_eq!(c.read(0, 4).unwrap(), 7u32.to_le_bytes());
        assert!(!c.is_mutable());
        static RODATA: [u8; 3] = [1, 2, 3];
        let span = iree_byte_span_t {
            data: RODATA.as_ptr() as *mut u8,
            data_length: RODATA.len(),
        };
        // SAFETY: static data outlives the buffer; it is read-only.
        let w = unsafe { Buffer::wrap(ACCESS_ORIGIN_MODULE, span) }.unwrap();
        let wb = Buffer::from_ref(&w).unwrap();
        assert_eq!(wb.read(1, 2).unwrap(), [2, 3]);
        assert!(wb.fill_elements(0, 1, &[0]).is_err());
        let w2 = w.clone();
        assert_eq!(wb.ref_count(), 2);
        drop(w);
        drop(w2);
    }

    #[test]
    fn in_place_buffer_rules() {
        let mut storage = [0u8; 16];
        let ro = Buffer::new(
            ACCESS_ORIGIN_HOST,
            iree_byte_span_t {
                data: storage.as_mut_ptr(),
                data_length: storage.len(),
            },
            iree_allocator_t::null(),
        );
        assert_eq!(
            ro.fill_elements(0, 4, &[1, 2, 3, 4]).unwrap_err().code(),
            crate::StatusCode::PermissionDenied
        );
        let mut rw = ro;
        rw.access |= ACCESS_MUTABLE;
        rw.fill_elements(4, 2, &[9, 9, 9, 9]).unwrap();
        assert_eq!(
            rw.read(0, 12).unwrap(),
            [0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9]
        );
        assert_eq!(
            rw.read(10, 10).unwrap_err().code(),
            crate::StatusCode::OutOfRange
        );
        assert!(Buffer::compare_bytes(&rw, 4, &rw, 8, 4).unwrap());
        Buffer::copy_bytes(&rw, 4, &rw, 0, 2).unwrap();
        assert_eq!(rw.read_elements(0, 1, 4).unwrap(), [9, 9, 0, 0]);
    }
}
