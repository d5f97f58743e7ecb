//! `iree/runtime/instance.h`: the runtime instance, shared by sessions.
//!
//! An instance handle is an `Arc<Instance>`; `iree_runtime_instance_create`
//! gives the caller one reference, released with
//! `iree_runtime_instance_release`. The options and signatures are the
//! seeds' (with the API version); IREE 3.13's
//! `iree_runtime_instance_vm_instance` is added.

use std::sync::Arc;

use crate::abi::allocator::iree_allocator_t;
use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::capi::base::api::{iree_api_version_t, IREE_API_VERSION_LATEST};
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::device::iree_hal_device_t;
use crate::capi::hal::driver_registry::iree_hal_driver_registry_t;
use crate::capi::handle::{self, arg, Castable, Shared};
use crate::capi::vm::types::iree_vm_instance_t;
use crate::hal::device::DeviceResource;
use crate::hal::driver_registry::DriverRegistry;
use crate::runtime::instance::{register_all_available_drivers, Instance, InstanceOptions};
use crate::{iree_ensure, iree_err, Result};

/// Opaque handle to a runtime [`Instance`].
pub struct iree_runtime_instance_t {
    _private: [u8; 0],
}

impl Castable for iree_runtime_instance_t {
    type Ownership = Shared;
    type RustType = Instance;
}

/// How an instance is made (`iree_runtime_instance_options_initialize`
/// fills it in).
#[repr(C)]
pub struct iree_runtime_instance_options_t {
    /// The API version the caller was built against; only
    /// `IREE_API_VERSION_LATEST` (0) exists.
    pub api_version: iree_api_version_t,
    /// The registry devices are created from (borrowed: it must outlive
    /// the instance); NULL for none.
    pub driver_registry: *mut iree_hal_driver_registry_t,
}

/// Sets `*out_options` to the defaults: `api_version` and no driver
/// registry. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_options_initialize(
    api_version: iree_api_version_t,
    out_options: *mut iree_runtime_instance_options_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's struct (API contract).
        let out_options = unsafe { arg!(out_options).out() }?;
        out_options.write(iree_runtime_instance_options_t {
            api_version,
            driver_registry: std::ptr::null_mut(),
        });
        Ok(())
    })
}

/// Registers every driver this build has (the local-sync family) in the
/// process-wide registry (`iree_hal_driver_registry_default`) and points
/// `options` at it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_options_use_all_available_drivers(
    options: *mut iree_runtime_instance_options_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's initialized options (API contract).
        let options = unsafe { arg!(options).in_out() }?;
        let registry = DriverRegistry::global();
        register_all_available_drivers(registry)?;
        options.driver_registry = handle::borrowed_ptr(registry);
        Ok(())
    })
}

/// Creates an instance. `options` is read during the call; its driver
/// registry is borrowed and must outlive the instance. `host_allocator` is
/// kept for the instance's and its sessions' host allocations. The caller
/// owns the one reference in `*out_instance` (NULL on failure) and releases
/// it with `iree_runtime_instance_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_create(
    options: *const iree_runtime_instance_options_t,
    host_allocator: iree_allocator_t,
    out_instance: *mut *mut iree_runtime_instance_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_instance = unsafe { arg!(out_instance).out() }?;
        out_instance.write(std::ptr::null_mut());
        // SAFETY: NULL or the caller's options (API contract).
        let options = unsafe { arg!(options).value() }?;
        iree_ensure!(
            options.api_version == IREE_API_VERSION_LATEST,
            Unimplemented,
            "API version {} is not supported (only {} is)",
            options.api_version,
            IREE_API_VERSION_LATEST
        );
        // SAFETY: NULL or a live registry which the caller keeps alive for
        // the instance's life (API contract), so the borrow may be treated
        // as lasting as long as the instance can use it.
        let driver_registry: Option<&'static DriverRegistry> =
            unsafe { handle::try_ref(options.driver_registry) };
        let instance = Instance::new(&InstanceOptions { driver_registry }, host_allocator)?;
        out_instance.write(handle::arc_into_ptr(Arc::new(instance)));
        Ok(())
    })
}

/// Adds a reference to `instance`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_retain(instance: *mut iree_runtime_instance_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance (API contract).
        unsafe { handle::retain(instance) };
        Ok(())
    })
}

/// Releases one reference to `instance`; the last one (sessions hold
/// their own) frees it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_release(instance: *mut iree_runtime_instance_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance the caller holds a reference on.
        unsafe { handle::release(instance) };
        Ok(())
    })
}

/// The host allocator given at creation (the null allocator for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_host_allocator(
    instance: *const iree_runtime_instance_t,
) -> iree_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance (API contract).
        Ok(unsafe { arg!(instance).handle() }?.host_allocator())
    })
}

/// The driver registry given at creation; borrowed. NULL when it had none
/// (or for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_driver_registry(
    instance: *const iree_runtime_instance_t,
) -> *mut iree_hal_driver_registry_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance (API contract).
        let instance = unsafe { arg!(instance).handle() }?;
        Ok(instance
            .driver_registry()
            .map_or(std::ptr::null_mut(), handle::borrowed_ptr))
    })
}

/// The VM instance sessions' contexts are made in (IREE 3.13); borrowed,
/// valid while `instance` lives (retain it to keep it longer). NULL for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_vm_instance(
    instance: *const iree_runtime_instance_t,
) -> *mut iree_vm_instance_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance (API contract).
        let instance = unsafe { arg!(instance).handle() }?;
        Ok(handle::borrowed_ptr(&**instance.vm_instance()))
    })
}

/// Creates the default device of the driver `driver_name` (e.g.
/// `local-sync`) from the instance's registry. The caller owns the one
/// reference in `*out_device` (NULL on failure) and releases it with
/// `iree_hal_device_release`. NOT_FOUND names a driver nobody registered.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_instance_try_create_default_device(
    instance: *mut iree_runtime_instance_t,
    driver_name: iree_string_view_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live instance (API contract).
        let instance = unsafe { arg!(instance).handle() }?;
        // SAFETY: a string view the caller keeps valid for the call.
        let name = std::str::from_utf8(unsafe { driver_name.as_bytes() })
            .map_err(|_| iree_err!(InvalidArgument, "driver name is not UTF-8"))?;
        let device = DeviceResource::new(instance.try_create_default_device(name)?);
        out_device.write(handle::hal_into_ptr(&device));
        Ok(())
    })
}
