//! `repr(C)` mirrors of the module interface types of `iree/vm/module.h`
//! and `iree/vm/stack.h`: the function-pointer table every module exposes,
//! function handles, call records and stack frames.

use std::ffi::c_void;
use std::sync::atomic::AtomicI32;

use crate::abi::iree_status_t;
use crate::abi::iree_string_view_t;
use crate::abi::{iree_allocator_t, iree_byte_span_t};

/// `iree_vm_function_linkage_t`.
pub const LINKAGE_INTERNAL: u32 = 0;
pub const LINKAGE_IMPORT: u32 = 1;
pub const LINKAGE_EXPORT: u32 = 2;
pub const LINKAGE_IMPORT_OPTIONAL: u32 = 3;

/// `iree_vm_stack_frame_type_t`.
pub const FRAME_EXTERNAL: u32 = 0;
pub const FRAME_NATIVE: u32 = 1;
pub const FRAME_BYTECODE: u32 = 2;

/// `iree_vm_function_t`: module identity plus linkage and ordinal.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Function {
    pub module: *mut ModuleTable,
    pub linkage: u16,
    pub ordinal: u16,
}

// SAFETY: a function handle is an identity; modules are thread-safe objects.
unsafe impl Send for Function {}
// SAFETY: as above.
unsafe impl Sync for Function {}

impl Function {
    pub const NULL: Function = Function {
        module: std::ptr::null_mut(),
        linkage: 0,
        ordinal: 0,
    };
    pub fn is_null(&self) -> bool {
        self.module.is_null()
    }
}

/// `iree_vm_function_signature_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FunctionSignature {
    pub calling_convention: iree_string_view_t,
}

/// `iree_vm_module_signature_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModuleSignature {
    pub import_function_count: usize,
    pub export_function_count: usize,
    pub internal_function_count: usize,
}

/// `iree_vm_function_call_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FunctionCall {
    pub function: Function,
    pub arguments: iree_byte_span_t,
    pub results: iree_byte_span_t,
}

/// `iree_vm_execution_result_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ExecutionResult {
    pub reserved: i32,
}

/// `iree_vm_stack_frame_t` (tracing disabled, so no zone id).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StackFrame {
    pub function: Function,
    pub module_state: *mut c_void,
    pub pc: i64,
    pub depth: i32,
}

pub type FrameCleanupFn = unsafe extern "C" fn(frame: *mut StackFrame);

/// `iree_vm_state_resolver_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StateResolver {
    pub self_: *mut c_void,
    pub query_module_state: Option<
        unsafe extern "C" fn(
            state_resolver: *mut c_void,
            module: *mut ModuleTable,
            out_module_state: *mut *mut c_void,
        ) -> iree_status_t,
    >,
}

/// `iree_vm_source_location_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SourceLocation {
    pub self_: *mut c_void,
    pub data: [u64; 2],
    pub format: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            data: *mut u64,
            flags: u32,
            builder: *mut c_void,
        ) -> iree_status_t,
    >,
}

/// `iree_vm_module_t`: the table of entry points every module provides.
#[repr(C)]
#[derive(Debug)]
pub struct ModuleTable {
    pub self_: *mut c_void,
    pub ref_count: AtomicI32,
    pub destroy: Option<unsafe extern "C" fn(self_: *mut c_void)>,
    pub name: Option<unsafe extern "C" fn(self_: *mut c_void) -> iree_string_view_t>,
    pub signature: Option<unsafe extern "C" fn(self_: *mut c_void) -> ModuleSignature>,
    pub get_function: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            linkage: u32,
            ordinal: usize,
            out_function: *mut Function,
            out_name: *mut iree_string_view_t,
            out_signature: *mut FunctionSignature,
        ) -> iree_status_t,
    >,
    pub lookup_function: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            linkage: u32,
            name: iree_string_view_t,
            out_function: *mut Function,
        ) -> iree_status_t,
    >,
    pub resolve_source_location: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            frame: *mut StackFrame,
            out_source_location: *mut SourceLocation,
        ) -> iree_status_t,
    >,
    pub alloc_state: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            allocator: iree_allocator_t,
            out_module_state: *mut *mut c_void,
        ) -> iree_status_t,
    >,
    pub free_state: Option<unsafe extern "C" fn(self_: *mut c_void, module_state: *mut c_void)>,
    pub resolve_import: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            module_state: *mut c_void,
            ordinal: usize,
            function: *const Function,
            signature: *const FunctionSignature,
        ) -> iree_status_t,
    >,
    pub notify: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            module_state: *mut c_void,
            signal: u32,
        ) -> iree_status_t,
    >,
    pub begin_call: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            stack: *mut c_void,
            call: *const FunctionCall,
            out_result: *mut ExecutionResult,
        ) -> iree_status_t,
    >,
    pub resume_call: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            stack: *mut c_void,
            out_result: *mut ExecutionResult,
        ) -> iree_status_t,
    >,
    pub get_function_reflection_attr: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            linkage: u32,
            ordinal: usize,
            index: usize,
            key: *mut iree_string_view_t,
            value: *mut iree_string_view_t,
        ) -> iree_status_t,
    >,
}

impl ModuleTable {
    /// A table with every entry unset, `self` as given and one reference.
    pub fn empty(self_: *mut c_void) -> ModuleTable {
        ModuleTable {
            self_,
            ref_count: AtomicI32::new(1),
            destroy: None,
            name: None,
            signature: None,
            get_function: None,
            lookup_function: None,
            resolve_source_location: None,
            alloc_state: None,
            free_state: None,
            resolve_import: None,
            notify: None,
            begin_call: None,
            resume_call: None,
            get_function_reflection_attr: None,
        }
    }
}
