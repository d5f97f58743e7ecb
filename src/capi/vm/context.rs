//! `iree/vm/context.h`.

use std::sync::Arc;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::handle;
use crate::vm::context::Context;
use crate::vm::module::CModule;
use crate::{iree_err, Result};

/// # Safety
/// A non-null `context` must be a live context handle.
unsafe fn ctx<'a>(context: *const iree_vm_context_t) -> Result<&'a Context> {
    // SAFETY: forwarded contract.
    unsafe { handle::try_ref(context) }.ok_or_else(|| iree_err!(InvalidArgument, "context is NULL"))
}

/// # Safety
/// `modules` must be NULL (count 0) or point at `count` live module pointers.
unsafe fn collect_modules(
    modules: *mut *mut iree_vm_module_t,
    count: usize,
) -> Result<Vec<CModule>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if modules.is_null() {
        return Err(iree_err!(
            InvalidArgument,
            "modules is NULL but count is {}",
            count
        ));
    }
    // SAFETY: forwarded contract.
    let slice = unsafe { std::slice::from_raw_parts(modules, count) };
    // SAFETY: each entry is a live module (NULL rejected by retain).
    slice
        .iter()
        .map(|&m| unsafe { CModule::retain(m) })
        .collect()
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_create(
    instance: *mut iree_vm_instance_t,
    flags: iree_vm_context_flags_t,
    allocator: iree_allocator_t,
    out_context: *mut *mut iree_vm_context_t,
) -> iree_status_t {
    // SAFETY: forwarded.
    ffi_boundary! { unsafe { iree_vm_context_create_with_modules(instance, flags, std::ptr::null_mut(), 0, allocator, out_context) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_create_with_modules(
    instance: *mut iree_vm_instance_t,
    flags: iree_vm_context_flags_t,
    modules: *mut *mut iree_vm_module_t,
    module_count: iree_host_size_t,
    allocator: iree_allocator_t,
    out_context: *mut *mut iree_vm_context_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            if out_context.is_null() {
                return Err(iree_err!(InvalidArgument, "out_context is NULL"));
            }
            // SAFETY: instance handle contract.
            let instance = unsafe { handle::arc_clone_from_ptr(instance) }.ok_or_else(|| iree_err!(InvalidArgument, "instance is NULL"))?;
            // SAFETY: module array contract.
            let modules = unsafe { collect_modules(modules, module_count) }?;
            let context = Context::new(instance, flags, allocator);
            context.register_modules(&modules)?;
            // SAFETY: checked non-null.
            unsafe { *out_context = handle::arc_into_ptr(Arc::new(context)) };
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_retain(context: *mut iree_vm_context_t) {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { handle::arc_retain(context) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_release(context: *mut iree_vm_context_t) {
    // SAFETY: NULL or live; the caller gives up a count.
    ffi_boundary! { unsafe { handle::arc_release(context) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_id(context: *const iree_vm_context_t) -> isize {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { ctx(context) }.map_or(-1, |c| c.id()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_flags(
    context: *const iree_vm_context_t,
) -> iree_vm_context_flags_t {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { ctx(context) }.map_or(0, |c| c.flags()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_register_modules(
    context: *mut iree_vm_context_t,
    modules: *mut *mut iree_vm_module_t,
    module_count: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle and array contracts.
        (|| unsafe { ctx(context)?.register_modules(&collect_modules(modules, module_count)?) })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_freeze(context: *mut iree_vm_context_t) -> iree_status_t {
    // SAFETY: handle contract.
    ffi_boundary! { unsafe { ctx(context) }.map(|c| c.freeze()).into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_state_resolver(
    context: *const iree_vm_context_t,
) -> iree_vm_state_resolver_t {
    ffi_boundary! {
        // SAFETY: handle contract.
        match unsafe { ctx(context) } {
            Ok(c) => c.state_resolver(),
            Err(_) => crate::vm::interface::StateResolver { self_: std::ptr::null_mut(), query_module_state: None },
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_resolve_module_state(
    context: *const iree_vm_context_t,
    module: *mut iree_vm_module_t,
    out_module_state: *mut *mut iree_vm_module_state_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: handle contract.
            let state = unsafe { ctx(context) }?.resolve_module_state(module)?;
            // SAFETY: NULL or valid.
            *unsafe { out_module_state.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_module_state is NULL"))? = state;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_resolve_function(
    context: *const iree_vm_context_t,
    full_name: iree_string_view_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: handle contract; the view is valid for the call.
            let f = unsafe { ctx(context)?.resolve_function(full_name.as_bytes()) }?;
            // SAFETY: NULL or valid.
            *unsafe { out_function.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_function is NULL"))? = f;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_context_notify(
    context: *mut iree_vm_context_t,
    signal: iree_vm_signal_t,
) -> iree_status_t {
    // SAFETY: handle contract.
    ffi_boundary! { unsafe { ctx(context) }.and_then(|c| c.notify(signal)).into() }
}
