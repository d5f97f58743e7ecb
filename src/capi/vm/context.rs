//! `iree/vm/context.h`.
//!
//! A context is shared (`Arc`): `iree_vm_context_create*` give the caller
//! one reference, released with `iree_vm_context_release`. A context
//! retains the instance it was made from and every module registered in
//! it until it is destroyed.

use std::sync::Arc;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::vm::context::Context;
use crate::vm::module::CModule;
use crate::Result;

/// Counted adapters over the caller's module array (each retained for as
/// long as the adapter lives).
///
/// # Safety
/// `modules` must be NULL (count 0) or point at `count` live module pointers.
unsafe fn collect_modules(
    modules: *mut *mut iree_vm_module_t,
    count: usize,
) -> Result<Vec<CModule>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let modules = arg!(modules).non_null_ptr()?;
    // SAFETY: forwarded contract.
    let slice = unsafe { std::slice::from_raw_parts(modules, count) };
    slice
        .iter()
        // SAFETY: each entry is a live module (NULL rejected by retain).
        .map(|&module| unsafe { CModule::retain(module) })
        .collect()
}

/// Creates a context with no modules, as
/// `iree_vm_context_create_with_modules` with none.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_create(
    instance: *mut iree_vm_instance_t,
    flags: iree_vm_context_flags_t,
    allocator: iree_allocator_t,
    out_context: *mut *mut iree_vm_context_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract (no module array).
        Ok(unsafe {
            iree_vm_context_create_with_modules(
                instance,
                flags,
                std::ptr::null_mut(),
                0,
                allocator,
                out_context,
            )
        })
    })
}

/// Creates a context over `instance` (retained by the context) and
/// registers `modules[0..module_count]` in order; the context retains each
/// module, the caller keeps its own references. The caller owns the one
/// reference in `*out_context` and releases it with
/// `iree_vm_context_release`. `allocator` is kept by the context.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_create_with_modules(
    instance: *mut iree_vm_instance_t,
    flags: iree_vm_context_flags_t,
    modules: *mut *mut iree_vm_module_t,
    module_count: iree_host_size_t,
    allocator: iree_allocator_t,
    out_context: *mut *mut iree_vm_context_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_context = unsafe { arg!(out_context).out() }?;
        out_context.write(std::ptr::null_mut());
        // SAFETY: NULL or a live instance (API contract).
        let instance = unsafe { arg!(instance).shared() }?;
        // SAFETY: NULL (count 0) or the caller's module array (API contract).
        let modules = unsafe { collect_modules(modules, module_count) }?;
        let context = Context::new(instance, flags, allocator);
        context.register_modules(&modules)?;
        out_context.write(handle::arc_into_ptr(Arc::new(context)));
        Ok(())
    })
}

/// Adds a reference to `context`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_retain(context: *mut iree_vm_context_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        unsafe { handle::retain(context) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `context`; the last one
/// releases its modules (newest first) and its instance. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_release(context: *mut iree_vm_context_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context whose reference the caller gives up.
        unsafe { handle::release(context) };
        Ok(())
    })
}

/// The context's process-unique id; -1 for NULL. `context` is borrowed
/// for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_id(context: *const iree_vm_context_t) -> isize {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        Ok(unsafe { handle::try_ref(context) }.map_or(-1, Context::id))
    })
}

/// The flags the context was created with; 0 for NULL. `context` is
/// borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_flags(
    context: *const iree_vm_context_t,
) -> iree_vm_context_flags_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        let context = unsafe { arg!(context).handle() }?;
        Ok(context.flags())
    })
}

/// Registers `modules[0..module_count]` after those already in the
/// context (fails once frozen). The context retains each module; the
/// caller keeps its own references and the array.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_register_modules(
    context: *mut iree_vm_context_t,
    modules: *mut *mut iree_vm_module_t,
    module_count: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        let context = unsafe { arg!(context).handle() }?;
        // SAFETY: NULL (count 0) or the caller's module array (API contract).
        let modules = unsafe { collect_modules(modules, module_count) }?;
        context.register_modules(&modules)
    })
}

/// Freezes the context: no more modules can be registered. `context` is
/// borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_freeze(context: *mut iree_vm_context_t) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        unsafe { arg!(context).handle() }?.freeze();
        Ok(())
    })
}

/// A resolver of module states bound to `context`; it borrows the context
/// and is valid only while the caller holds a reference to it. An empty
/// resolver for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_state_resolver(
    context: *const iree_vm_context_t,
) -> iree_vm_state_resolver_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        Ok(unsafe { arg!(context).handle() }?.state_resolver())
    })
}

/// Stores in `*out_module_state` the state `module` has in `context`
/// (owned by the context, valid while it lives). Both are borrowed for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_resolve_module_state(
    context: *const iree_vm_context_t,
    module: *mut iree_vm_module_t,
    out_module_state: *mut *mut iree_vm_module_state_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        let context = unsafe { arg!(context).handle() }?;
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_module_state = unsafe { arg!(out_module_state).out() }?;
        out_module_state.write(context.resolve_module_state(module)?);
        Ok(())
    })
}

/// Finds the export `module.function` (the newest module of that name
/// wins) and stores it in `*out_function`. The function names a module
/// the context retains: it is valid while the context lives, and the
/// caller retains nothing. `full_name` is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_resolve_function(
    context: *const iree_vm_context_t,
    full_name: iree_string_view_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        let context = unsafe { arg!(context).handle() }?;
        // SAFETY: NULL or the caller's function struct (API contract).
        let out_function = unsafe { arg!(out_function).out() }?;
        // SAFETY: the caller's view is valid for the call.
        out_function.write(context.resolve_function(unsafe { full_name.as_bytes() })?);
        Ok(())
    })
}

/// Sends `signal` to every module of the context, in registration order.
/// `context` is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_notify(
    context: *mut iree_vm_context_t,
    signal: iree_vm_signal_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live context (API contract).
        unsafe { arg!(context).handle() }?.notify(signal)
    })
}
