//! The HAL ref types of the VM (`!hal.buffer`, `!hal.device`, ...) and the
//! conversions between VM refs and core HAL objects.
//!
//! Every HAL object a program holds is a HAL resource (`abi::hal_resource`):
//! its resource header, first in the object, holds the count of C's
//! references, and a VM ref is one such C reference. So a type's counter
//! sits at offset 0 and its destroy function is the resource's own, and a
//! buffer a program returns is the very `iree_hal_buffer_t*` the C API
//! hands out for it. Core types without a header of their own (devices,
//! command buffers, executables, files) are wrapped in small resource
//! objects here; they move to `hal` once the C API needs them there too.

use std::ffi::c_void;
use std::sync::Arc;

use crate::abi::boundary::ffi_boundary;
use crate::abi::hal_resource::{HalResource, ResourceHeader};
use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::Buffer;
use crate::hal::buffer_view::BufferView;
use crate::hal::command_buffer::CommandBuffer;
use crate::hal::device::Device;
use crate::hal::event::Event;
use crate::hal::executable::Executable;
use crate::hal::fence::Fence;
use crate::hal::file::File;
use crate::hal::semaphore::Semaphore;
use crate::vm::r#ref::{lookup_type, BuiltinRefType, Ref, REF_TYPE_NULL};
use crate::{iree_bail, Result};

/// The destroy function of every HAL ref type: the last reference went, so
/// the resource's own destroy (through its vtable) runs.
unsafe extern "C" fn destroy_resource(ptr: *mut c_void) {
    ffi_boundary(|| {
        // SAFETY: the VM calls destroy once, when the count at offset 0 (the
        // resource header's) reached zero, on a live HAL resource.
        unsafe { ResourceHeader::destroy_raw(ptr.cast()) };
        Ok(())
    })
}

pub static ALLOCATOR_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.allocator", destroy_resource);
pub static BUFFER_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.buffer", destroy_resource);
pub static BUFFER_VIEW_TYPE: BuiltinRefType =
    BuiltinRefType::new(b"hal.buffer_view", destroy_resource);
pub static CHANNEL_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.channel", destroy_resource);
pub static COMMAND_BUFFER_TYPE: BuiltinRefType =
    BuiltinRefType::new(b"hal.command_buffer", destroy_resource);
pub static DEVICE_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.device", destroy_resource);
pub static EVENT_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.event", destroy_resource);
pub static EXECUTABLE_TYPE: BuiltinRefType =
    BuiltinRefType::new(b"hal.executable", destroy_resource);
pub static FENCE_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.fence", destroy_resource);
pub static FILE_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.file", destroy_resource);
pub static SEMAPHORE_TYPE: BuiltinRefType = BuiltinRefType::new(b"hal.semaphore", destroy_resource);

/// The 11 HAL ref types, in name order.
pub const ALL_TYPES: [&BuiltinRefType; 11] = [
    &ALLOCATOR_TYPE,
    &BUFFER_TYPE,
    &BUFFER_VIEW_TYPE,
    &CHANNEL_TYPE,
    &COMMAND_BUFFER_TYPE,
    &DEVICE_TYPE,
    &EVENT_TYPE,
    &EXECUTABLE_TYPE,
    &FENCE_TYPE,
    &FILE_TYPE,
    &SEMAPHORE_TYPE,
];

/// Registers the HAL ref types (idempotent). Bytecode modules that name
/// them must be loaded after this.
pub fn register_types() -> Result<()> {
    for ref_type in ALL_TYPES {
        ref_type.register()?;
    }
    Ok(())
}

/// A device as a program holds it.
#[repr(C)]
pub struct DeviceObject {
    header: ResourceHeader,
    device: Arc<dyn Device>,
}
crate::hal_resource!(DeviceObject);

impl DeviceObject {
    pub fn new(device: Arc<dyn Device>) -> Arc<DeviceObject> {
        Arc::new(DeviceObject {
            header: ResourceHeader::new::<DeviceObject>(),
            device,
        })
    }

    pub fn device(&self) -> &Arc<dyn Device> {
        &self.device
    }
}

/// A command buffer as a program holds it.
#[repr(C)]
pub struct CommandBufferObject {
    header: ResourceHeader,
    command_buffer: Arc<CommandBuffer>,
}
crate::hal_resource!(CommandBufferObject);

impl CommandBufferObject {
    pub fn new(command_buffer: Arc<CommandBuffer>) -> Arc<CommandBufferObject> {
        Arc::new(CommandBufferObject {
            header: ResourceHeader::new::<CommandBufferObject>(),
            command_buffer,
        })
    }

    pub fn command_buffer(&self) -> &Arc<CommandBuffer> {
        &self.command_buffer
    }
}

/// An executable as a program holds it.
#[repr(C)]
pub struct ExecutableObject {
    header: ResourceHeader,
    executable: Arc<Executable>,
}
crate::hal_resource!(ExecutableObject);

impl ExecutableObject {
    pub fn new(executable: Arc<Executable>) -> Arc<ExecutableObject> {
        Arc::new(ExecutableObject {
            header: ResourceHeader::new::<ExecutableObject>(),
            executable,
        })
    }

    pub fn executable(&self) -> &Arc<Executable> {
        &self.executable
    }
}

/// A file as a program holds it.
#[repr(C)]
pub struct FileObject {
    header: ResourceHeader,
    file: Arc<File>,
}
crate::hal_resource!(FileObject);

impl FileObject {
    pub fn new(file: Arc<File>) -> Arc<FileObject> {
        Arc::new(FileObject {
            header: ResourceHeader::new::<FileObject>(),
            file,
        })
    }

    pub fn file(&self) -> &Arc<File> {
        &self.file
    }
}

/// A HAL resource type with a VM ref type.
pub trait HalRef: HalResource {
    fn ref_type() -> &'static BuiltinRefType;
}

macro_rules! hal_ref {
    ($type:ty, $ref_type:ident) => {
        impl HalRef for $type {
            fn ref_type() -> &'static BuiltinRefType {
                &$ref_type
            }
        }
    };
}

hal_ref!(HeapAllocator, ALLOCATOR_TYPE);
hal_ref!(Buffer, BUFFER_TYPE);
hal_ref!(BufferView, BUFFER_VIEW_TYPE);
hal_ref!(CommandBufferObject, COMMAND_BUFFER_TYPE);
hal_ref!(DeviceObject, DEVICE_TYPE);
hal_ref!(Event, EVENT_TYPE);
hal_ref!(ExecutableObject, EXECUTABLE_TYPE);
hal_ref!(Fence, FENCE_TYPE);
hal_ref!(FileObject, FILE_TYPE);
hal_ref!(Semaphore, SEMAPHORE_TYPE);

/// A VM ref to `object`: one new C reference to it.
pub fn to_ref<T: HalRef>(object: &Arc<T>) -> Ref {
    let handle = ResourceHeader::c_handle(object);
    let raw = T::ref_type().raw_ref(handle.cast());
    // SAFETY: `c_handle` took the one C reference this ref now owns, and the
    // type's counter is the header's, at offset 0.
    unsafe { Ref::from_raw(raw) }
}

/// The name of a ref's type, for messages (`null` for a null ref).
pub fn type_name(r: &Ref) -> String {
    if r.is_null() {
        return "null".to_owned();
    }
    lookup_type(r.type_id()).map_or_else(
        || format!("unregistered type {}", r.type_id()),
        |d| format!("!{}", String::from_utf8_lossy(d.name())),
    )
}

/// The expected-type name of `T`, for messages.
fn expected_name<T: HalRef>() -> String {
    T::ref_type().descriptor().map_or_else(String::new, |d| {
        String::from_utf8_lossy(d.name()).into_owned()
    })
}

/// Borrows the `T` behind `r`, which must be a non-null ref of `T`'s type;
/// otherwise INVALID_ARGUMENT naming `what` and the type found.
pub fn deref<'a, T: HalRef>(r: &'a Ref, what: &str) -> Result<&'a T> {
    match deref_or_null::<T>(r, what)? {
        Some(object) => Ok(object),
        None => iree_bail!(
            InvalidArgument,
            "{what} is null; expected a !{}",
            expected_name::<T>()
        ),
    }
}

/// As [`deref`], with a null ref allowed (`None`).
pub fn deref_or_null<'a, T: HalRef>(r: &'a Ref, what: &str) -> Result<Option<&'a T>> {
    if r.is_null() || r.type_id() == REF_TYPE_NULL {
        return Ok(None);
    }
    if r.type_id() != T::ref_type().id() {
        iree_bail!(
            InvalidArgument,
            "{what} has type {}; expected a !{}",
            type_name(r),
            expected_name::<T>()
        );
    }
    // SAFETY: a ref of `T`'s type points at a live HAL resource whose C
    // reference `r` holds for `'a`; `borrow` checks the vtable is `T`'s.
    match unsafe { ResourceHeader::borrow::<T>(r.ptr().cast_const().cast()) } {
        Some(object) => Ok(Some(object)),
        None => iree_bail!(
            Unimplemented,
            "{what} is a !{} this runtime did not make",
            expected_name::<T>()
        ),
    }
}

/// A new `Arc` to the `T` behind `r` (see [`deref`]).
pub fn to_arc<T: HalRef>(r: &Ref, what: &str) -> Result<Arc<T>> {
    deref::<T>(r, what)?;
    // SAFETY: `deref` checked `r` is a live `T` of ours, referenced by `r`.
    match unsafe { ResourceHeader::to_arc::<T>(r.ptr().cast_const().cast()) } {
        Some(object) => Ok(object),
        None => iree_bail!(Internal, "{what} changed type"),
    }
}

/// As [`to_arc`], with a null ref allowed.
pub fn to_arc_or_null<T: HalRef>(r: &Ref, what: &str) -> Result<Option<Arc<T>>> {
    if deref_or_null::<T>(r, what)?.is_none() {
        return Ok(None);
    }
    to_arc(r, what).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::memory::{BufferParams, MemoryType};

    #[test]
    fn refs_are_c_references_to_the_same_object() {
        register_types().unwrap();
        let allocator = HeapAllocator::new("test");
        let buffer = allocator
            .allocate_buffer(
                BufferParams {
                    memory_type: MemoryType::DEVICE_LOCAL,
                    ..Default::default()
                },
                16,
                &[],
            )
            .unwrap();
        let r = to_ref(&buffer);
        assert_eq!(r.ptr(), Arc::as_ptr(&buffer).cast_mut().cast());
        let again = to_arc::<Buffer>(&r, "buffer").unwrap();
        assert!(Arc::ptr_eq(&again, &buffer));
        let copy = r.clone();
        drop(r);
        assert_eq!(deref::<Buffer>(&copy, "buffer").unwrap().byte_length(), 16);
        let err = deref::<Fence>(&copy, "fence").err().unwrap();
        assert!(err
            .message()
            .contains("has type !hal.buffer; expected a !hal.fence"));
        let err = deref::<Buffer>(&Ref::null(), "source").err().unwrap();
        assert!(err.message().contains("source is null"));
        drop(copy);
        drop(again);
        // Only the test's own Arc is left.
        assert_eq!(Arc::strong_count(&buffer), 1);
    }
}
