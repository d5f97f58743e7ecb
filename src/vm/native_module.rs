//! Native modules declared in C: a static descriptor (exports, imports,
//! shim + target function pairs) plus an optional user interface whose
//! entries (destroy, state management, import resolution, notify,
//! begin_call) override the defaults. Implemented as a Rust [`Module`] and
//! exposed to C through the module adapter.

use std::ffi::c_void;

use crate::abi::iree_status_t;
use crate::abi::iree_string_view_t;
use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::vm::interface::{
    ExecutionResult, Function, FunctionCall, FunctionSignature, ModuleSignature, ModuleTable,
    FRAME_NATIVE,
};
use crate::vm::module::{CState, Call, FunctionInfo, Linkage, Module, ModuleState};
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// `iree_vm_native_import_flags_t` bits.
pub const IMPORT_REQUIRED: u32 = 1 << 0;
pub const IMPORT_OPTIONAL: u32 = 1 << 1;

/// `iree_vm_reflection_attr_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ReflectionAttr {
    pub key: iree_string_view_t,
    pub value: iree_string_view_t,
}

/// `iree_vm_native_import_descriptor_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ImportDescriptor {
    pub flags: u32,
    pub full_name: iree_string_view_t,
}

/// `iree_vm_native_export_descriptor_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ExportDescriptor {
    pub local_name: iree_string_view_t,
    pub calling_convention: iree_string_view_t,
    pub reflection_attr_count: usize,
    pub reflection_attrs: *const ReflectionAttr,
}

pub type TargetFn = unsafe extern "C" fn(
    stack: *mut c_void,
    module: *mut c_void,
    state: *mut c_void,
) -> iree_status_t;
pub type ShimFn = unsafe extern "C" fn(
    stack: *mut c_void,
    call: *const FunctionCall,
    target: Option<TargetFn>,
    module: *mut c_void,
    state: *mut c_void,
    out_result: *mut ExecutionResult,
) -> iree_status_t;

/// `iree_vm_native_function_ptr_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FunctionPtr {
    pub shim: Option<ShimFn>,
    pub target: Option<TargetFn>,
}

/// `iree_vm_native_module_descriptor_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ModuleDescriptor {
    pub module_name: iree_string_view_t,
    pub import_count: usize,
    pub imports: *const ImportDescriptor,
    pub export_count: usize,
    pub exports: *const ExportDescriptor,
    pub function_count: usize,
    pub functions: *const FunctionPtr,
    pub reflection_attr_count: usize,
    pub reflection_attrs: *const ReflectionAttr,
}

/// A native module: borrowed C tables plus the user's overrides.
pub struct NativeModule {
    name: &'static str,
    imports: &'static [ImportDescriptor],
    exports: &'static [ExportDescriptor],
    functions: &'static [FunctionPtr],
    user: ModuleTable,
}

// SAFETY: the descriptor is immutable static data and the user interface is
// required by the C API to be callable from any thread.
unsafe impl Send for NativeModule {}
// SAFETY: as above.
unsafe impl Sync for NativeModule {}

/// # Safety
/// `ptr` must be NULL (with `n == 0`) or point at `n` live elements that
/// outlive the module (descriptors are static by contract).
unsafe fn slice<T>(ptr: *const T, n: usize) -> Result<&'static [T]> {
    if n == 0 {
        return Ok(&[]);
    }
    iree_ensure!(
        !ptr.is_null(),
        InvalidArgument,
        "descriptor table is NULL but has {} entries",
        n
    );
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

fn static_str(v: iree_string_view_t) -> Result<&'static str> {
    // SAFETY: descriptor strings are static by contract.
    std::str::from_utf8(unsafe { v.as_bytes() })
        .map_err(|_| iree_err!(InvalidArgument, "descriptor name is not UTF-8"))
}

impl NativeModule {
    /// Validates a descriptor and captures the user interface.
    ///
    /// # Safety
    /// `descriptor` and everything it points to must outlive the module;
    /// `user` entries must be valid C functions for `user.self_`.
    pub unsafe fn new(user: &ModuleTable, descriptor: &ModuleDescriptor) -> Result<NativeModule> {
        // SAFETY: forwarded contract.
        let (imports, exports, functions) = unsafe {
            (
                slice(descriptor.imports, descriptor.import_count)?,
                slice(descriptor.exports, descriptor.export_count)?,
                slice(descriptor.functions, descriptor.function_count)?,
            )
        };
        iree_ensure!(
            exports.len() == functions.len(),
            InvalidArgument,
            "native module export count {} != function count {}",
            exports.len(),
            functions.len()
        );
        for e in exports {
            static_str(e.local_name)?;
            static_str(e.calling_convention)?;
        }
        for i in imports {
            static_str(i.full_name)?;
        }
        let mut copy = ModuleTable::empty(user.self_);
        copy.destroy = user.destroy;
        copy.alloc_state = user.alloc_state;
        copy.free_state = user.free_state;
        copy.resolve_import = user.resolve_import;
        copy.notify = user.notify;
        copy.begin_call = user.begin_call;
        Ok(NativeModule {
            name: static_str(descriptor.module_name)?,
            imports,
            exports,
            functions,
            user: copy,
        })
    }
}

impl Drop for NativeModule {
    fn drop(&mut self) {
        if let Some(destroy) = self.user.destroy {
            // SAFETY: the user's destroy for the user's `self`, called once.
            unsafe { destroy(self.user.self_) };
        }
    }
}

impl Module for NativeModule {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> ModuleSignature {
        ModuleSignature {
            import_function_count: self.imports.len(),
            export_function_count: self.exports.len(),
            internal_function_count: self.functions.len(),
        }
    }

    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        match linkage {
            Linkage::Import | Linkage::ImportOptional => {
                let Some(import) = self.imports.get(ordinal) else {
                    iree_bail!(
                        OutOfRange,
                        "import ordinal {} out of range ({})",
                        ordinal,
                        self.imports.len()
                    );
                };
                Ok(FunctionInfo {
                    name: static_str(import.full_name)?,
                    calling_convention: "",
                    linkage: if import.flags & IMPORT_OPTIONAL != 0 {
                        Linkage::ImportOptional
                    } else {
                        Linkage::Import
                    },
                })
            }
            Linkage::Export | Linkage::Internal => {
                let Some(export) = self.exports.get(ordinal) else {
                    iree_bail!(
                        OutOfRange,
                        "export ordinal {} out of range ({})",
                        ordinal,
                        self.exports.len()
                    );
                };
                Ok(FunctionInfo {
                    name: static_str(export.local_name)?,
                    calling_convention: static_str(export.calling_convention)?,
                    linkage,
                })
            }
        }
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        match linkage {
            Linkage::Import | Linkage::ImportOptional => self
                .imports
                .iter()
                .position(|i| static_str(i.full_name).ok() == Some(name)),
            _ => self
                .exports
                .iter()
                .position(|e| static_str(e.local_name).ok() == Some(name)),
        }
        .ok_or_else(|| {
            iree_err!(
                NotFound,
                "function '{}' not found in module '{}'",
                name,
                self.name
            )
        })
    }

    fn reflection_attr(
        &self,
        linkage: Linkage,
        ordinal: usize,
        index: usize,
    ) -> Result<(&str, &str)> {
        iree_ensure!(
            matches!(linkage, Linkage::Export | Linkage::Internal),
            NotFound,
            "only exports carry reflection attributes"
        );
        let Some(export) = self.exports.get(ordinal) else {
            iree_bail!(OutOfRange, "export ordinal {} out of range", ordinal);
        };
        // SAFETY: descriptor tables are static by contract.
        let attrs = unsafe { slice(export.reflection_attrs, export.reflection_attr_count)? };
        let Some(attr) = attrs.get(index) else {
            iree_bail!(NotFound, "reflection attribute {} not found", index);
        };
        Ok((static_str(attr.key)?, static_str(attr.value)?))
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        let mut state = std::ptr::null_mut();
        if let Some(alloc) = self.user.alloc_state {
            // SAFETY: user entry with the user's `self`.
            unsafe {
                (alloc(self.user.self_, iree_allocator_t::system(), &mut state)).into_result()
            }?;
        }
        Ok(Box::new(NativeState(
            CState(state),
            self.user.free_state,
            self.user.self_,
        )))
    }

    fn resolve_import(
        &self,
        state: &mut ModuleState,
        ordinal: usize,
        function: Function,
        cconv: &str,
    ) -> Result<()> {
        iree_ensure!(
            ordinal < self.imports.len(),
            OutOfRange,
            "import ordinal {} out of range",
            ordinal
        );
        let Some(resolve) = self.user.resolve_import else {
            iree_bail!(
                Unimplemented,
                "native module '{}' does not resolve imports",
                self.name
            );
        };
        let sig = FunctionSignature {
            calling_convention: iree_string_view_t::of(cconv),
        };
        let raw = native_state(state);
        // SAFETY: user entry with the user's `self`; pointers are locals.
        unsafe { (resolve(self.user.self_, raw, ordinal, &function, &sig)).into_result() }
    }

    fn notify(&self, state: &mut ModuleState, signal: u32) -> Result<()> {
        match self.user.notify {
            // SAFETY: user entry with the user's `self`.
            Some(f) => unsafe { (f(self.user.self_, native_state(state), signal)).into_result() },
            None => Ok(()),
        }
    }

    fn state_c_pointer(&self, state: &ModuleState) -> Option<*mut c_void> {
        Some(native_state(state))
    }

    fn begin_call(&self, stack: &mut Stack, state: &mut ModuleState, call: Call<'_>) -> Result<()> {
        let raw_call = FunctionCall {
            function: call.function,
            arguments: iree_byte_span_t {
                data: call.arguments.as_ptr() as *mut u8,
                data_length: call.arguments.len(),
            },
            results: iree_byte_span_t {
                data: call.results.as_mut_ptr(),
                data_length: call.results.len(),
            },
        };
        let mut result = ExecutionResult::default();
        if let Some(begin) = self.user.begin_call {
            // SAFETY: user override with the user's `self`.
            return unsafe {
                (begin(self.user.self_, stack.as_raw(), &raw_call, &mut result)).into_result()
            };
        }
        let ordinal = call.function.ordinal as usize;
        let Some(ptr) = self.functions.get(ordinal) else {
            iree_bail!(
                OutOfRange,
                "function ordinal {} out of range ({})",
                ordinal,
                self.functions.len()
            );
        };
        let Some(shim) = ptr.shim else {
            iree_bail!(FailedPrecondition, "function {} has no shim", ordinal);
        };
        let raw_state = native_state(state);
        stack.function_enter(&call.function, FRAME_NATIVE, 0, None)?;
        // SAFETY: calling the descriptor's shim as the C API defines it.
        let status = unsafe {
            shim(
                stack.as_raw(),
                &raw_call,
                ptr.target,
                self.user.self_,
                raw_state,
                &mut result,
            )
        };
        // SAFETY: shims return statuses of this library.
        let outcome = unsafe { status.into_result() };
        let left = stack.function_leave();
        outcome.and(left)
    }
}

/// The user state of a native module and how to free it.
struct NativeState(
    CState,
    Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
    *mut c_void,
);
// SAFETY: states are used only by calls the VM serializes.
unsafe impl Send for NativeState {}

impl Drop for NativeState {
    fn drop(&mut self) {
        if let Some(free) = self.1 {
            // SAFETY: freeing the state the user's alloc_state made.
            unsafe { free(self.2, (self.0).0) };
        }
    }
}

fn native_state(state: &ModuleState) -> *mut c_void {
    state
        .downcast_ref::<NativeState>()
        .map_or(std::ptr::null_mut(), |s| (s.0).0)
}
