//! `iree/vm/module.h`: the generic module table helpers, function queries
//! and calling-convention utilities.
//!
//! A module is a C table (`iree_vm_module_t`) that counts its own
//! references; `iree_vm_module_release` of the last one calls its
//! `destroy`. Names, signatures and reflection strings returned here are
//! borrowed from the module and stay valid while it lives.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::vm::cconv;
use crate::vm::interface::{Function, ModuleTable};
use crate::vm::module::CModule;
use crate::{iree_bail, iree_err, Result};

/// Sets up the caller's table with every entry empty, `self_` as its
/// `self` and one reference. The caller owns the table's storage.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_initialize(
    module: *mut iree_vm_module_t,
    self_: *mut std::ffi::c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one table (API contract).
        unsafe { arg!(module).out() }?.write(ModuleTable::empty(self_));
        Ok(())
    })
}

/// Adds a reference to `module`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_retain(module: *mut iree_vm_module_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module (API contract).
        unsafe { handle::retain(module) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `module`; the last one
/// calls the module's `destroy`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_release(module: *mut iree_vm_module_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module whose reference the caller gives up.
        unsafe { handle::release(module) };
        Ok(())
    })
}

/// A counted adapter over a module the caller holds, for the call.
///
/// # Safety
/// A non-null `module` must be a live module.
unsafe fn adapter(module: *const iree_vm_module_t, name: &'static str) -> Result<CModule> {
    // SAFETY: forwarded contract; the adapter takes its own reference.
    unsafe { CModule::retain(handle::Arg::new(module, name).non_null_ptr()?) }
}

/// The module's name, borrowed from the module (empty for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_name(
    module: *const iree_vm_module_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module (API contract).
        let module = unsafe { arg!(module).value() }?;
        // SAFETY: the module's own entry with its own `self`.
        Ok(module
            .name
            .map_or(iree_string_view_t::EMPTY, |name| unsafe {
                name(module.self_)
            }))
    })
}

/// The module's function counts (all zero for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_signature(
    module: *const iree_vm_module_t,
) -> iree_vm_module_signature_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module (API contract).
        let module = unsafe { arg!(module).value() }?;
        // SAFETY: the module's own entry with its own `self`.
        Ok(module
            .signature
            .map_or(Default::default(), |signature| unsafe {
                signature(module.self_)
            }))
    })
}

/// Finds the function `name` (read during the call) of `linkage` and
/// writes its handle (which names `module` without a reference) to
/// `*out_function`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_lookup_function_by_name(
    module: *const iree_vm_module_t,
    linkage: iree_vm_function_linkage_t,
    name: iree_string_view_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module; NULL or the caller's slot.
        let (module, out_function) =
            unsafe { (adapter(module, "module")?, arg!(out_function).out()?) };
        // SAFETY: the view is valid for the call (API contract).
        let function = module.lookup_function_raw(linkage, unsafe { name.as_bytes() })?;
        out_function.write(function);
        Ok(())
    })
}

/// Writes the handle of function `ordinal` of `linkage` (naming `module`
/// without a reference) to `*out_function`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_lookup_function_by_ordinal(
    module: *const iree_vm_module_t,
    linkage: iree_vm_function_linkage_t,
    ordinal: iree_host_size_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module; NULL or the caller's slot.
        let (module, out_function) =
            unsafe { (adapter(module, "module")?, arg!(out_function).out()?) };
        let (function, _, _) = module.get_function_raw(linkage, ordinal)?;
        out_function.write(function);
        Ok(())
    })
}

/// Asks the module for the source location of `frame` (borrowed for the
/// call); UNAVAILABLE when the module keeps none. `*out_source_location`
/// refers into the module and is valid while it lives.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_module_resolve_source_location(
    module: *const iree_vm_module_t,
    frame: *mut iree_vm_stack_frame_t,
    out_source_location: *mut iree_vm_source_location_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live module (API contract).
        let module = unsafe { arg!(module).value() }?;
        let Some(resolve) = module.resolve_source_location else {
            return Ok(iree_status_t::from_code(crate::StatusCode::Unavailable));
        };
        // SAFETY: the module's own entry with its own `self`; the status
        // it returns is handed on.
        Ok(unsafe { resolve(module.self_, frame, out_source_location) })
    })
}

/// The name and calling convention of `function`, borrowed from its module.
///
/// # Safety
/// `function` NULL or a valid function handle of a live module.
unsafe fn function_info(
    function: *const iree_vm_function_t,
) -> Result<(iree_string_view_t, iree_string_view_t)> {
    // SAFETY: forwarded contract.
    let function = unsafe { arg!(function).value() }?;
    // SAFETY: function handles name live modules.
    let module = unsafe { adapter(function.module, "function.module") }?;
    let (_, name, cconv) =
        module.get_function_raw(function.linkage as u32, function.ordinal as usize)?;
    Ok((name, cconv))
}

/// The function's name, borrowed from its module (empty when unknown).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_name(
    function: *const iree_vm_function_t,
) -> iree_string_view_t {
    // SAFETY: NULL or a valid function handle (API contract).
    ffi_boundary(|| Ok(unsafe { function_info(function) }?.0))
}

/// The function's calling convention, borrowed from its module (empty when
/// unknown).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_signature(
    function: *const iree_vm_function_t,
) -> iree_vm_function_signature_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid function handle (API contract).
        let (_, calling_convention) = unsafe { function_info(function) }?;
        Ok(iree_vm_function_signature_t { calling_convention })
    })
}

/// Reflection attribute `index` of `function`, borrowed from its module.
fn reflection_attr(
    function: &Function,
    index: usize,
) -> Result<(iree_string_view_t, iree_string_view_t)> {
    // SAFETY: function handles name live modules.
    let module = unsafe { function.module.as_ref() }
        .ok_or_else(|| crate::abi::boundary::null_argument("function.module"))?;
    let Some(get) = module.get_function_reflection_attr else {
        iree_bail!(NotFound, "module has no reflection attributes");
    };
    let (mut key, mut value) = (iree_string_view_t::EMPTY, iree_string_view_t::EMPTY);
    // SAFETY: the module's own entry with its own `self`; out-pointers are
    // locals; we take the status it returns.
    unsafe {
        get(
            module.self_,
            function.linkage as u32,
            function.ordinal as usize,
            index,
            &mut key,
            &mut value,
        )
        .into_result()?;
    }
    Ok((key, value))
}

/// The value of the reflection attribute `key` (read during the call),
/// borrowed from the function's module; empty when absent.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_reflection_attr(
    function: *const iree_vm_function_t,
    key: iree_string_view_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid function handle (API contract).
        let function = unsafe { arg!(function).value() }?;
        // SAFETY: the key view is valid for the call.
        let wanted = unsafe { key.as_bytes() };
        let mut index = 0;
        while let Ok((k, v)) = reflection_attr(function, index) {
            // SAFETY: module strings live as long as the module.
            if unsafe { k.as_bytes() } == wanted {
                return Ok(v);
            }
            index += 1;
        }
        Ok(iree_string_view_t::EMPTY)
    })
}

/// Writes reflection attribute `index` of `function` to `*key`/`*value`
/// (either may be NULL), borrowed from the function's module.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_get_function_reflection_attr(
    function: iree_vm_function_t,
    index: iree_host_size_t,
    key: *mut iree_string_view_t,
    value: *mut iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let (k, v) = reflection_attr(&function, index)?;
        // SAFETY: NULL or the caller's slots (both optional).
        unsafe {
            if let Ok(key) = arg!(key).out() {
                key.write(k);
            }
            if let Ok(value) = arg!(value).out() {
                value.write(v);
            }
        }
        Ok(())
    })
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

/// The (argument, result) fragments of a signature's calling convention.
fn signature_fragments(signature: &iree_vm_function_signature_t) -> Result<(&str, &str)> {
    if signature.calling_convention.size == 0 {
        return Ok(("", ""));
    }
    cconv::fragments(cconv_str(signature.calling_convention)?)
}

/// Splits the calling convention into its argument and result fragments,
/// written to `*out_arguments`/`*out_results` (either may be NULL) as views
/// into the signature's own string.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_get_cconv_fragments(
    signature: *const iree_vm_function_signature_t,
    out_arguments: *mut iree_string_view_t,
    out_results: *mut iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid signature (API contract).
        let signature = unsafe { arg!(signature).value() }?;
        let whole = signature.calling_convention;
        let (arguments, results) = signature_fragments(signature)?;
        // SAFETY: NULL or the caller's slots (both optional).
        unsafe {
            if let Ok(out) = arg!(out_arguments).out() {
                out.write(subview(whole, arguments));
            }
            if let Ok(out) = arg!(out_results).out() {
                out.write(subview(whole, results));
            }
        }
        Ok(())
    })
}

/// Whether the calling convention (read during the call) has a variadic
/// span.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_is_variadic_cconv(
    cconv: iree_string_view_t,
) -> bool {
    // SAFETY: the view is valid for the call.
    ffi_boundary(|| Ok(unsafe { cconv.as_bytes() }.contains(&b'C')))
}

/// Counts the signature's arguments and results into `*out_argument_count`
/// and `*out_result_count` (either may be NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_count_arguments_and_results(
    signature: *const iree_vm_function_signature_t,
    out_argument_count: *mut iree_host_size_t,
    out_result_count: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid signature (API contract).
        let signature = unsafe { arg!(signature).value() }?;
        let (arguments, results) = signature_fragments(signature)?;
        let (argument_count, result_count) = (cconv::count(arguments)?, cconv::count(results)?);
        // SAFETY: NULL or the caller's slots (both optional).
        unsafe {
            if let Ok(out) = arg!(out_argument_count).out() {
                out.write(argument_count);
            }
            if let Ok(out) = arg!(out_result_count).out() {
                out.write(result_count);
            }
        }
        Ok(())
    })
}

/// Bytes a packed fragment needs, with variadic span sizes from
/// `segment_size_list` (borrowed for the call; NULL when not variadic).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_compute_cconv_fragment_size(
    cconv_fragment: iree_string_view_t,
    segment_size_list: *const iree_vm_register_list_t,
    out_required_size: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let fragment = cconv_str(cconv_fragment)?;
        // SAFETY: a register list is a count followed by that many u16s.
        let sizes = unsafe {
            segment_size_list
                .as_ref()
                .map(|list| std::slice::from_raw_parts(list.registers.as_ptr(), list.size as usize))
        };
        let size = cconv::fragment_size(fragment, sizes)?;
        // SAFETY: NULL or the caller's slot.
        unsafe { arg!(out_required_size).out() }?.write(size);
        Ok(())
    })
}

/// Releases the refs packed in `call`'s argument and result buffers (the
/// buffers stay the caller's). NULL arguments are ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_function_call_release(
    call: *mut iree_vm_function_call_t,
    signature: *const iree_vm_function_signature_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or valid (API contract).
        let (call, signature) = unsafe { (arg!(call).in_out()?, arg!(signature).value()?) };
        let (arguments, results) = cconv::fragments(cconv_str(signature.calling_convention)?)?;
        // SAFETY: the call's spans hold packed values owning their refs.
        unsafe {
            cconv::release_refs(arguments, call.arguments.as_bytes_mut());
            cconv::release_refs(results, call.results.as_bytes_mut());
        }
        Ok(())
    })
}

/// Appends the location's text to `builder` (borrowed for the call);
/// UNAVAILABLE when the location has no formatter.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_source_location_format(
    source_location: *mut iree_vm_source_location_t,
    flags: iree_vm_source_location_format_flags_t,
    builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid location (API contract).
        let location = unsafe { arg!(source_location).in_out() }?;
        let Some(format) = location.format else {
            return Ok(iree_status_t::from_code(crate::StatusCode::Unavailable));
        };
        // SAFETY: the location's own formatter with its own data; the
        // status it returns is handed on.
        Ok(unsafe {
            format(
                location.self_,
                location.data.as_mut_ptr(),
                flags,
                builder.cast(),
            )
        })
    })
}
