//! `iree/hal/driver.h`: drivers, which enumerate and create the devices of
//! one kind. A driver handle is a core driver in a [`DriverResource`];
//! the registry's `try_create*` give the caller one reference, released with
//! `iree_hal_driver_release`.
//!
//! Devices a driver creates come back as new device handles the caller
//! owns (`iree_hal_device_release`); they keep what they need of the driver.

use std::sync::Arc;

use crate::abi::allocator::iree_allocator_t;
use crate::abi::status::iree_status_t;
use crate::abi::string_view::{iree_host_size_t, iree_string_pair_t, iree_string_view_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::device::{
    c_slice, iree_hal_device_id_t, iree_hal_device_info_t, iree_hal_device_t,
};
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::device::{Device, DeviceInfo, DeviceResource};
use crate::hal::driver::DriverResource;
use crate::{iree_err, Result};

/// Opaque handle to a driver (declared in `iree/abi/hal_types.h`).
/// cbindgen:ignore
pub struct iree_hal_driver_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_driver_t {
    type Ownership = Resource;
    type RustType = DriverResource;
}

/// A factory's handle for one of its drivers (`iree/abi/hal_types.h`).
/// cbindgen:ignore
pub type iree_hal_driver_id_t = u64;

/// A driver as a factory or registry describes it. The strings are
/// borrowed from whoever filled the struct in (the factory, or the block
/// `iree_hal_driver_registry_enumerate` allocates).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_driver_info_t {
    /// Opaque to all but the factory; unique across a registry.
    pub driver_id: iree_hal_driver_id_t,
    /// Canonical name, e.g. `local-sync`.
    pub driver_name: iree_string_view_t,
    /// Human-readable name.
    pub full_name: iree_string_view_t,
}

/// Adds a reference to `driver`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_retain(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live driver the caller references (API contract).
        unsafe { handle::retain(driver) };
        Ok(())
    })
}

/// Drops the caller's reference to `driver`; it is destroyed once no C
/// reference remains and no device it made still uses it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_release(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live driver; the caller gives up a reference.
        unsafe { handle::release(driver) };
        Ok(())
    })
}

/// Runs the destroy of a driver whose count reached zero (for
/// implementations; callers use `iree_hal_driver_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_destroy(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a driver whose last reference the caller owns.
        unsafe { handle::destroy(driver) };
        Ok(())
    })
}

/// Hands a core device to C as a new device handle the caller owns.
pub(crate) fn give_device(
    out_device: &mut std::mem::MaybeUninit<*mut iree_hal_device_t>,
    device: Arc<dyn Device>,
) {
    out_device.write(handle::hal_into_ptr(&DeviceResource::new(device)));
}

/// Copies `infos` into one allocation of `allocator`: the entries first,
/// then their names.
///
/// # Safety
/// `allocator` is a valid allocator.
unsafe fn write_device_infos(
    infos: &[DeviceInfo],
    allocator: iree_allocator_t,
) -> Result<*mut iree_hal_device_info_t> {
    let head = infos
        .len()
        .checked_mul(std::mem::size_of::<iree_hal_device_info_t>())
        .ok_or_else(|| iree_err!(ResourceExhausted, "too many devices"))?;
    let names: usize = infos.iter().map(|info| info.name.len()).sum();
    // SAFETY: forwarded contract.
    let block = unsafe { allocator.malloc(head + names) }?.cast::<u8>();
    let table = block.cast::<iree_hal_device_info_t>();
    let mut text = head;
    for (index, info) in infos.iter().enumerate() {
        // SAFETY: `text..text + len` lies in the block sized above, which
        // `info.name` does not overlap.
        let at = unsafe { block.add(text) };
        // SAFETY: as above.
        unsafe { std::ptr::copy_nonoverlapping(info.name.as_ptr(), at, info.name.len()) };
        text += info.name.len();
        let entry = iree_hal_device_info_t {
            device_id: device_id_to_c(info.device_id)?,
            name: iree_string_view_t {
                data: at.cast(),
                size: info.name.len(),
            },
        };
        // SAFETY: the block starts with room for every entry, and the
        // allocator's blocks are aligned for them.
        unsafe { table.add(index).write(entry) };
    }
    Ok(table)
}

fn device_id_to_c(device_id: u64) -> Result<iree_hal_device_id_t> {
    iree_hal_device_id_t::try_from(device_id)
        .map_err(|_| iree_err!(OutOfRange, "device id {device_id} does not fit a pointer"))
}

/// Lists the devices `driver` can create now, in one block from
/// `allocator` that the caller frees with it (entries first, their names
/// after). No devices: `*out_device_infos` is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_query_available_devices(
    driver: *mut iree_hal_driver_t,
    allocator: iree_allocator_t,
    out_device_infos: *mut *mut iree_hal_device_info_t,
    out_device_info_count: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slots (API contract).
        let out_infos = unsafe { arg!(out_device_infos).out() }?;
        // SAFETY: as above.
        let out_count = unsafe { arg!(out_device_info_count).out() }?;
        out_infos.write(std::ptr::null_mut());
        out_count.write(0);
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        let infos = driver.driver().query_available_devices()?;
        if infos.is_empty() {
            return Ok(());
        }
        // SAFETY: the caller's allocator (API contract).
        out_infos.write(unsafe { write_device_infos(&infos, allocator) }?);
        out_count.write(infos.len());
        Ok(())
    })
}

/// Creates the device `device_id` names (as listed by
/// `iree_hal_driver_query_available_devices`; `IREE_HAL_DEVICE_ID_INVALID`
/// asks for the default device); `NOT_FOUND` for an id the driver does not
/// have. The caller owns the reference in `*out_device`. `allocator` is not
/// used (devices allocate from the system allocator).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_create_device(
    driver: *mut iree_hal_driver_t,
    device_id: iree_hal_device_id_t,
    allocator: iree_allocator_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        let device = driver.driver().create_device_by_id(device_id as u64, &[])?;
        give_device(out_device, device);
        Ok(())
    })
}

/// Creates the driver's default device; the caller owns the reference in
/// `*out_device`. `allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_create_default_device(
    driver: *mut iree_hal_driver_t,
    allocator: iree_allocator_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        give_device(out_device, driver.driver().create_default_device()?);
        Ok(())
    })
}

/// Copies `count` C params (borrowed for the call) as owned strings.
///
/// # Safety
/// `params` holds `count` pairs of live views.
unsafe fn device_params(
    params: *const iree_string_pair_t,
    count: iree_host_size_t,
) -> Result<Vec<(String, String)>> {
    // SAFETY: forwarded contract.
    let pairs = unsafe { c_slice(params, count, "params") }?;
    Ok(pairs
        .iter()
        // SAFETY: forwarded contract.
        .map(|pair| unsafe { (pair.first.to_string_lossy(), pair.second.to_string_lossy()) })
        .collect())
}

fn param_refs(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect()
}

/// IREE 3.x: creates device `device_id` (`IREE_HAL_DEVICE_ID_DEFAULT`, 0,
/// for the default) with `param_count` key/value `params` (borrowed for the
/// call); the caller owns the reference in `*out_device`. `host_allocator`
/// is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_create_device_by_id(
    driver: *mut iree_hal_driver_t,
    device_id: iree_hal_device_id_t,
    param_count: iree_host_size_t,
    params: *const iree_string_pair_t,
    host_allocator: iree_allocator_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        // SAFETY: `param_count` live pairs (API contract).
        let params = unsafe { device_params(params, param_count) }?;
        let device = driver
            .driver()
            .create_device_by_id(device_id as u64, &param_refs(&params))?;
        give_device(out_device, device);
        Ok(())
    })
}

/// IREE 3.x: creates the device at `device_path` (empty: the default
/// device; `NOT_FOUND` when no enumerated device has the path) with
/// `params` (borrowed for the call). `driver_name` only annotates errors.
/// The caller owns the reference in `*out_device`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_create_device_by_path(
    driver: *mut iree_hal_driver_t,
    driver_name: iree_string_view_t,
    device_path: iree_string_view_t,
    param_count: iree_host_size_t,
    params: *const iree_string_pair_t,
    host_allocator: iree_allocator_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        // SAFETY: views and `param_count` pairs live for the call (API contract).
        let (name, path, params) = unsafe {
            (
                driver_name.to_string_lossy(),
                device_path.to_string_lossy(),
                device_params(params, param_count)?,
            )
        };
        let device = driver
            .driver()
            .create_device_by_path(&path, &param_refs(&params))
            .map_err(|e| e.annotate(format!("creating device '{name}://{path}'")))?;
        give_device(out_device, device);
        Ok(())
    })
}

/// IREE 3.x: creates the device a URI names, `driver://path?key=value&...`;
/// its driver part is not checked against `driver` (see
/// `iree_hal_create_device` to pick the driver too). The caller owns the
/// reference in `*out_device`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_create_device_by_uri(
    driver: *mut iree_hal_driver_t,
    device_uri: iree_string_view_t,
    host_allocator: iree_allocator_t,
    out_device: *mut *mut iree_hal_device_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live driver (API contract).
        let driver = unsafe { arg!(driver).hal_ref() }?;
        // SAFETY: a view live for the call (API contract).
        let uri_text = unsafe { device_uri.to_string_lossy() };
        let uri = crate::hal::driver_registry::DeviceUri::parse(&uri_text);
        let device = driver
            .driver()
            .create_device_by_path(uri.path, &uri.params)
            .map_err(|e| e.annotate(format!("creating device '{uri_text}'")))?;
        give_device(out_device, device);
        Ok(())
    })
}
