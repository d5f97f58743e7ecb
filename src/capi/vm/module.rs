//! `iree/vm/module.h`: the generic module table helpers, function queries
//! and calling-convention utilities.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::iree_string_view_t;
use crate::vm::cconv;
use crate::vm::interface::{Function, ModuleTable};
use crate::vm::module::{module_release, module_retain, CModule};
use crate::{iree_err, Result};

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_initialize(
    module: *mut iree_vm_module_t,
    self_: *mut std::ffi::c_void,
) -> iree_status_t {
    ffi_boundary! {
        if module.is_null() {
            return iree_err!(InvalidArgument, "module is NULL").into();
        }
        // SAFETY: caller storage for one table.
        unsafe { module.write(ModuleTable::empty(self_)) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_retain(module: *mut iree_vm_module_t) {
    // SAFETY: NULL or a live module.
    ffi_boundary! { unsafe { module_retain(module) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_release(module: *mut iree_vm_module_t) {
    // SAFETY: NULL or a live module; the caller gives up a reference.
    ffi_boundary! { unsafe { module_release(module) } }
}

/// Borrows a module handle as an adapter without touching its count.
///
/// # Safety
/// A non-null `module` must be live for `'a`.
unsafe fn borrowed(module: *const iree_vm_module_t) -> Result<std::mem::ManuallyDrop<CModule>> {
    // SAFETY: forwarded contract; the extra reference is returned by `done`.
    let m = unsafe { CModule::retain(module as *mut _) }?;
    // SAFETY: drop the count we just added; the caller's count keeps it live.
    unsafe { module_release(module as *mut _) };
    Ok(std::mem::ManuallyDrop::new(m))
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_name(
    module: *const iree_vm_module_t,
) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: module contract.
        match unsafe { module.as_ref() } {
            // SAFETY: module entry with its own `self`.
            Some(m) => m.name.map_or(iree_string_view_t::EMPTY, |f| unsafe { f(m.self_) }),
            None => iree_string_view_t::EMPTY,
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_signature(
    module: *const iree_vm_module_t,
) -> iree_vm_module_signature_t {
    ffi_boundary! {
        // SAFETY: module contract.
        match unsafe { module.as_ref() } {
            // SAFETY: module entry with its own `self`.
            Some(m) => m.signature.map_or(Default::default(), |f| unsafe { f(m.self_) }),
            None => Default::default(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_lookup_function_by_name(
    module: *const iree_vm_module_t,
    linkage: iree_vm_function_linkage_t,
    name: iree_string_view_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: module contract; the view is valid for the call.
            let m = unsafe { borrowed(module) }?;
            let f = m.lookup_function_raw(linkage, unsafe { name.as_bytes() })?;
            // SAFETY: NULL or valid out-pointer.
            *unsafe { out_function.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_function is NULL"))? = f;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_lookup_function_by_ordinal(
    module: *const iree_vm_module_t,
    linkage: iree_vm_function_linkage_t,
    ordinal: iree_host_size_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: module contract.
            let m = unsafe { borrowed(module) }?;
            let (f, _, _) = m.get_function_raw(linkage, ordinal)?;
            // SAFETY: NULL or valid out-pointer.
            *unsafe { out_function.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_function is NULL"))? = f;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_resolve_source_location(
    module: *const iree_vm_module_t,
    frame: *mut iree_vm_stack_frame_t,
    out_source_location: *mut iree_vm_source_location_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: module contract.
        let Some(m) = (unsafe { module.as_ref() }) else {
            return iree_err!(InvalidArgument, "module is NULL").into();
        };
        match m.resolve_source_location {
            // SAFETY: module entry with its own `self`.
            Some(f) => iree_status_t::from(unsafe { (f(m.self_, frame, out_source_location)).into_result() }),
            None => iree_status_t::from_code(crate::StatusCode::Unavailable),
        }
    }
}

fn function_info(
    function: *const iree_vm_function_t,
) -> Option<(iree_string_view_t, iree_string_view_t)> {
    // SAFETY: NULL or a valid function handle (API contract).
    let f = unsafe { function.as_ref() }?;
    // SAFETY: function handles name live modules.
    let m = unsafe { borrowed(f.module) }.ok()?;
    m.get_function_raw(f.linkage as u32, f.ordinal as usize)
        .ok()
        .map(|(_, n, c)| (n, c))
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_name(
    function: *const iree_vm_function_t,
) -> iree_string_view_t {
    ffi_boundary! { function_info(function).map_or(iree_string_view_t::EMPTY, |(n, _)| n) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_signature(
    function: *const iree_vm_function_t,
) -> iree_vm_function_signature_t {
    ffi_boundary! {
        iree_vm_function_signature_t { calling_convention: function_info(function).map_or(iree_string_view_t::EMPTY, |(_, c)| c) }
    }
}

fn reflection_attr(
    function: &Function,
    index: usize,
) -> Result<(iree_string_view_t, iree_string_view_t)> {
    // SAFETY: function handles name live modules.
    let m = unsafe { function.module.as_ref() }
        .ok_or_else(|| iree_err!(InvalidArgument, "function is null"))?;
    let Some(get) = m.get_function_reflection_attr else {
        return Err(iree_err!(NotFound, "module has no reflection attributes"));
    };
    let (mut k, mut v) = (iree_string_view_t::EMPTY, iree_string_view_t::EMPTY);
    // SAFETY: module entry with its own `self`; out-pointers are locals.
    unsafe {
        (get(
            m.self_,
            function.linkage as u32,
            function.ordinal as usize,
            index,
            &mut k,
            &mut v,
        ))
        .into_result()?;
    }
    Ok((k, v))
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_reflection_attr(
    function: *const iree_vm_function_t,
    key: iree_string_view_t,
) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: NULL or valid.
        let Some(f) = (unsafe { function.as_ref() }) else { return iree_string_view_t::EMPTY };
        // SAFETY: the key view is valid for the call.
        let want = unsafe { key.as_bytes() };
        let mut index = 0;
        while let Ok((k, v)) = reflection_attr(f, index) {
            // SAFETY: module strings live as long as the module.
            if unsafe { k.as_bytes() } == want {
                return v;
            }
            index += 1;
        }
        iree_string_view_t::EMPTY
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_get_function_reflection_attr(
    function: iree_vm_function_t,
    index: iree_host_size_t,
    key: *mut iree_string_view_t,
    value: *mut iree_string_view_t,
) -> iree_status_t {
    ffi_boundary! {
        match reflection_attr(&function, index) {
            Ok((k, v)) => {
                // SAFETY: NULL or valid out-pointers.
                unsafe {
                    if let Some(key) = key.as_mut() { *key = k; }
                    if let Some(value) = value.as_mut() { *value = v; }
                }
                iree_status_t::OK
            }
            Err(e) => e.into(),
        }
    }
}

fn cconv_str<'a>(view: iree_string_view_t) -> Result<&'a str> {
    // SAFETY: the caller's view is valid for the call.
    std::str::from_utf8(unsafe { view.as_bytes() })
        .map_err(|_| iree_err!(InvalidArgument, "calling convention is not ASCII"))
}

/// A sub-view of `whole` covering `part` (which borrows from it).
fn subview(whole: iree_string_view_t, part: &str) -> iree_string_view_t {
    if part.is_empty() {
        return iree_string_view_t {
            data: whole.data,
            size: 0,
        };
    }
    iree_string_view_t::of(part)
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_get_cconv_fragments(
    signature: *const iree_vm_function_signature_t,
    out_arguments: *mut iree_string_view_t,
    out_results: *mut iree_string_view_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: NULL or valid.
            let sig = unsafe { signature.as_ref() }.ok_or_else(|| iree_err!(InvalidArgument, "signature is NULL"))?;
            let whole = sig.calling_convention;
            let (args, results) = if whole.size == 0 { ("", "") } else { cconv::fragments(cconv_str(whole)?)? };
            // SAFETY: NULL or valid out-pointers.
            unsafe {
                if let Some(a) = out_arguments.as_mut() { *a = subview(whole, args); }
                if let Some(r) = out_results.as_mut() { *r = subview(whole, results); }
            }
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_is_variadic_cconv(
    cconv: iree_string_view_t,
) -> bool {
    // SAFETY: the view is valid for the call.
    ffi_boundary! { unsafe { cconv.as_bytes() }.contains(&b'C') }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_count_arguments_and_results(
    signature: *const iree_vm_function_signature_t,
    out_argument_count: *mut iree_host_size_t,
    out_result_count: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: NULL or valid.
            let sig = unsafe { signature.as_ref() }.ok_or_else(|| iree_err!(InvalidArgument, "signature is NULL"))?;
            let (a, r) = if sig.calling_convention.size == 0 { ("", "") } else { cconv::fragments(cconv_str(sig.calling_convention)?)? };
            let (na, nr) = (cconv::count(a)?, cconv::count(r)?);
            // SAFETY: NULL or valid out-pointers.
            unsafe {
                if let Some(o) = out_argument_count.as_mut() { *o = na; }
                if let Some(o) = out_result_count.as_mut() { *o = nr; }
            }
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_compute_cconv_fragment_size(
    cconv_fragment: iree_string_view_t,
    segment_size_list: *const iree_vm_register_list_t,
    out_required_size: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            let fragment = cconv_str(cconv_fragment)?;
            // SAFETY: a register list is a count followed by that many u16s.
            let sizes = unsafe {
                segment_size_list.as_ref().map(|l| std::slice::from_raw_parts(l.registers.as_ptr(), l.size as usize))
            };
            let size = cconv::fragment_size(fragment, sizes)?;
            // SAFETY: NULL or valid.
            *unsafe { out_required_size.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_required_size is NULL"))? = size;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_release(
    call: *mut iree_vm_function_call_t,
    signature: *const iree_vm_function_signature_t,
) {
    ffi_boundary! {
        // SAFETY: NULL or valid.
        let (Some(call), Some(sig)) = (unsafe { call.as_mut() }, unsafe { signature.as_ref() }) else { return };
        let Ok(Ok((a, r))) = cconv_str(sig.calling_convention).map(cconv::fragments) else { return };
        // SAFETY: the call's spans hold packed values owning their refs.
        unsafe {
            cconv::release_refs(a, call.arguments.as_bytes_mut());
            cconv::release_refs(r, call.results.as_bytes_mut());
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_source_location_format(
    source_location: *mut iree_vm_source_location_t,
    flags: iree_vm_source_location_format_flags_t,
    builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or valid.
        let Some(loc) = (unsafe { source_location.as_mut() }) else {
            return iree_err!(InvalidArgument, "source_location is NULL").into();
        };
        match loc.format {
            // SAFETY: the location's own formatter with its own data.
            Some(f) => iree_status_t::from(unsafe { (f(loc.self_, loc.data.as_mut_ptr(), flags, builder as *mut _)).into_result() }),
            None => iree_status_t::from_code(crate::StatusCode::Unavailable),
        }
    }
}
