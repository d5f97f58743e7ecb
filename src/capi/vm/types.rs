//! C names of the VM's `repr(C)` types. Their C definitions are hand
//! written (`iree/abi/vm_types.h` and the `iree/vm/*.h` headers: bitfields,
//! unions and function-pointer tables cbindgen cannot express), so every
//! alias here is hidden from cbindgen.
//!
//! The base value types are the base layer's own, re-exported here for the
//! VM's C API modules.

use crate::vm;

pub use crate::capi::base::allocator::{
    iree_allocator_t, iree_byte_span_t, iree_const_byte_span_t,
};
pub use crate::capi::base::string_builder::iree_string_builder_t;
pub use crate::capi::base::string_view::{iree_host_size_t, iree_string_view_t};
pub use crate::capi::base::time::iree_time_t;

/// cbindgen:ignore
pub type iree_vm_ref_type_t = u32;
/// cbindgen:ignore
pub type iree_vm_ref_t = vm::r#ref::RawRef;
/// cbindgen:ignore
pub type iree_vm_ref_type_descriptor_t = vm::r#ref::TypeDescriptor;
/// cbindgen:ignore
pub type iree_vm_value_type_t = u32;
/// cbindgen:ignore
pub type iree_vm_value_t = vm::value::ValueRaw;
/// cbindgen:ignore
pub type iree_vm_type_def_t = vm::value::TypeDef;
/// cbindgen:ignore
pub type iree_vm_variant_t = vm::value::VariantRaw;
/// cbindgen:ignore
pub type iree_vm_buffer_t = vm::buffer::Buffer;
/// cbindgen:ignore
pub type iree_vm_buffer_access_t = u32;
/// cbindgen:ignore
pub type iree_vm_function_t = vm::interface::Function;
/// cbindgen:ignore
pub type iree_vm_function_linkage_t = u32;
/// `iree_vm_function_signature_t`: emitted by cbindgen (after the base
/// string view) so it is complete where functions return it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_vm_function_signature_t {
    /// `0<arguments>_<results>`, e.g. `0iI_r`.
    pub calling_convention: iree_string_view_t,
}

impl From<vm::interface::FunctionSignature> for iree_vm_function_signature_t {
    fn from(s: vm::interface::FunctionSignature) -> Self {
        iree_vm_function_signature_t {
            calling_convention: s.calling_convention,
        }
    }
}
/// cbindgen:ignore
pub type iree_vm_module_signature_t = vm::interface::ModuleSignature;
/// cbindgen:ignore
pub type iree_vm_function_call_t = vm::interface::FunctionCall;
/// cbindgen:ignore
pub type iree_vm_module_t = vm::interface::ModuleTable;
/// cbindgen:ignore
pub type iree_vm_stack_frame_t = vm::interface::StackFrame;
/// cbindgen:ignore
pub type iree_vm_stack_frame_type_t = u32;
/// cbindgen:ignore
pub type iree_vm_stack_frame_cleanup_fn_t = Option<vm::interface::FrameCleanupFn>;
/// cbindgen:ignore
pub type iree_vm_state_resolver_t = vm::interface::StateResolver;
/// cbindgen:ignore
pub type iree_vm_source_location_t = vm::interface::SourceLocation;
/// cbindgen:ignore
pub type iree_vm_source_location_format_flags_t = u32;
/// cbindgen:ignore
pub type iree_vm_invocation_flags_t = u32;
/// cbindgen:ignore
pub type iree_vm_context_flags_t = u32;
/// cbindgen:ignore
pub type iree_vm_signal_t = u32;
/// cbindgen:ignore
pub type iree_vm_native_module_descriptor_t = vm::native_module::ModuleDescriptor;

/// `iree_vm_module_state_t`: opaque per-context module state.
/// cbindgen:ignore
pub type iree_vm_module_state_t = std::ffi::c_void;

/// `iree_vm_register_list_t`: a `u16` count followed by that many `u16`s.
/// cbindgen:ignore
#[repr(C)]
pub struct iree_vm_register_list_t {
    pub size: u16,
    pub registers: [u16; 0],
}

/// Opaque handles (declared in `iree/abi/vm_types.h`).
/// cbindgen:ignore
pub struct iree_vm_list_t {
    _private: [u8; 0],
}
/// cbindgen:ignore
pub struct iree_vm_stack_t {
    _private: [u8; 0],
}
/// cbindgen:ignore
pub struct iree_vm_instance_t {
    _private: [u8; 0],
}
/// cbindgen:ignore
pub struct iree_vm_context_t {
    _private: [u8; 0],
}
/// cbindgen:ignore
pub struct iree_vm_invocation_t {
    _private: [u8; 0],
}
/// cbindgen:ignore
pub struct iree_vm_invocation_policy_t {
    _private: [u8; 0],
}

impl crate::capi::handle::Castable for iree_vm_list_t {
    type Ownership = crate::capi::handle::Counted;
    type RustType = vm::list::List;
}
/// `iree_vm_buffer_t`'s layout is public, so the handle is the Rust type.
impl crate::capi::handle::Castable for vm::buffer::Buffer {
    type Ownership = crate::capi::handle::Counted;
    type RustType = vm::buffer::Buffer;
}
impl crate::capi::handle::Castable for iree_vm_instance_t {
    type Ownership = crate::capi::handle::Shared;
    type RustType = vm::instance::Instance;
}
impl crate::capi::handle::Castable for iree_vm_context_t {
    type Ownership = crate::capi::handle::Shared;
    type RustType = vm::context::Context;
}
impl crate::capi::handle::Castable for iree_vm_stack_t {
    type Ownership = crate::capi::handle::Boxed;
    type RustType = vm::stack::Stack;
}

macro_rules! default_on_panic {
    ($($t:ty => $v:expr),* $(,)?) => {$(
        impl crate::capi::boundary::FfiReturn for $t {
            fn from_error(_: crate::Error) -> Self { $v }
        }
    )*};
}
default_on_panic!(
    vm::r#ref::RawRef => vm::r#ref::RawRef::NULL,
    vm::interface::ModuleSignature => vm::interface::ModuleSignature::default(),
    iree_vm_function_signature_t => iree_vm_function_signature_t {
        calling_convention: iree_string_view_t::EMPTY,
    },
    vm::interface::StateResolver => vm::interface::StateResolver {
        self_: std::ptr::null_mut(),
        query_module_state: None,
    },
);
