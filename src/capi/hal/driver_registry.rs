//! `iree/hal/driver_registry.h`: registries of driver factories.
//!
//! `iree_hal_driver_registry_default` lends the process-wide registry (never
//! freed); `iree_hal_driver_registry_allocate` gives the caller a registry it
//! frees with `iree_hal_driver_registry_free`. C factories
//! (`iree_hal_driver_factory_t`) are kept by pointer and called, under the
//! registry's lock, through [`CFactory`].
//!
//! A C factory must hand out drivers made by this runtime (for example
//! ones it obtained from another registry); a driver implemented in C gets
//! `UNIMPLEMENTED` (see the README's compatibility table).

use std::ffi::c_void;
use std::sync::Arc;

use super::driver::{iree_hal_driver_id_t, iree_hal_driver_info_t, iree_hal_driver_t};
use crate::abi::hal_resource::{iree_hal_resource_t, ResourceHeader};
use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::string_view::iree_host_size_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::hal::driver::{Driver, DriverResource};
use crate::hal::driver_registry::{DriverFactory, DriverId, DriverInfo, DriverRegistry};
use crate::{iree_bail, iree_err, Result};

/// Opaque handle to a [`DriverRegistry`].
pub struct iree_hal_driver_registry_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_driver_registry_t {
    type Ownership = Boxed;
    type RustType = DriverRegistry;
}

/// `iree_hal_driver_factory_t` (hand-written in `iree/abi/hal_types.h`:
/// C names its first field `self`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_driver_factory_t {
    pub self_: *mut c_void,
    pub enumerate: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            out_driver_infos: *mut *const iree_hal_driver_info_t,
            out_driver_info_count: *mut iree_host_size_t,
        ) -> iree_status_t,
    >,
    pub try_create: Option<
        unsafe extern "C" fn(
            self_: *mut c_void,
            driver_id: iree_hal_driver_id_t,
            allocator: iree_allocator_t,
            out_driver: *mut *mut iree_hal_driver_t,
        ) -> iree_status_t,
    >,
}

/// A C factory as the core registry sees it: the caller's struct, by
/// pointer (its address is the factory's identity, as in the seeds).
pub struct CFactory {
    factory: *const iree_hal_driver_factory_t,
}

// SAFETY: the registry's contract makes the factory callable from any
// thread while registered; the pointer itself is only read.
unsafe impl Send for CFactory {}
// SAFETY: as above.
unsafe impl Sync for CFactory {}

impl CFactory {
    /// # Safety
    /// `factory` is NULL or a factory the caller keeps live and unchanged
    /// for as long as it is registered (and for this call).
    unsafe fn new(factory: *const iree_hal_driver_factory_t) -> Result<CFactory> {
        // SAFETY: forwarded contract.
        let table = unsafe { arg!(factory).value() }?;
        if table.enumerate.is_none() {
            iree_bail!(InvalidArgument, "`factory->enumerate` is NULL");
        }
        if table.try_create.is_none() {
            iree_bail!(InvalidArgument, "`factory->try_create` is NULL");
        }
        Ok(CFactory { factory })
    }

    fn table(&self) -> &iree_hal_driver_factory_t {
        // SAFETY: live while registered (`CFactory::new`'s contract); a
        // CFactory made only to unregister is not called.
        unsafe { &*self.factory }
    }
}

/// Copies a C driver info; names that are not UTF-8 are made so lossily.
///
/// # Safety
/// The info's strings are valid for the call.
unsafe fn driver_info_of(info: &iree_hal_driver_info_t) -> DriverInfo {
    // SAFETY: forwarded contract.
    let (name, full_name) = unsafe {
        (
            info.driver_name.to_string_lossy(),
            info.full_name.to_string_lossy(),
        )
    };
    DriverInfo {
        driver_id: info.driver_id,
        driver_name: name,
        full_name,
    }
}

impl DriverFactory for CFactory {
    fn enumerate(&self) -> Result<Vec<DriverInfo>> {
        let table = self.table();
        let enumerate = table.enumerate.expect("checked at registration");
        let mut infos: *const iree_hal_driver_info_t = std::ptr::null();
        let mut count: iree_host_size_t = 0;
        // SAFETY: the factory's own function with its own `self`.
        let status = unsafe { enumerate(table.self_, &mut infos, &mut count) };
        // SAFETY: the factory hands us its status.
        unsafe { status.into_result() }?;
        if count == 0 {
            return Ok(Vec::new());
        }
        if infos.is_null() {
            iree_bail!(Internal, "driver factory listed {} drivers at NULL", count);
        }
        // SAFETY: the factory promises `count` infos, live while registered.
        let infos = unsafe { std::slice::from_raw_parts(infos, count) };
        // SAFETY: as above, with their strings.
        Ok(infos
            .iter()
            .map(|info| unsafe { driver_info_of(info) })
            .collect())
    }

    fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>> {
        let table = self.table();
        let try_create = table.try_create.expect("checked at registration");
        let mut out: *mut iree_hal_driver_t = std::ptr::null_mut();
        // SAFETY: the factory's own function with its own `self`.
        let status =
            unsafe { try_create(table.self_, driver_id, iree_allocator_t::system(), &mut out) };
        // SAFETY: the factory hands us its status.
        unsafe { status.into_result() }?;
        if out.is_null() {
            iree_bail!(
                Internal,
                "driver factory returned no driver for id {}",
                driver_id
            );
        }
        let resource = out.cast::<iree_hal_resource_t>();
        // SAFETY: the factory gave us one reference to a live driver.
        let ours = unsafe { ResourceHeader::to_arc::<DriverResource>(resource) };
        // SAFETY: the reference the factory gave us, no longer needed.
        unsafe { ResourceHeader::release_raw(resource) };
        match ours {
            Some(resource) => Ok(resource.driver().clone()),
            None => Err(iree_err!(
                Unimplemented,
                "driver {} of a C factory is implemented in C; only drivers made by this runtime are supported",
                driver_id
            )),
        }
    }

    fn identity(&self) -> usize {
        self.factory as usize
    }
}

/// Lends the process-wide registry, where `iree_hal_register_all_available_drivers`
/// registers the built-in drivers. Never free it.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_default() -> *mut iree_hal_driver_registry_t {
    ffi_boundary(|| Ok(handle::borrowed_ptr(DriverRegistry::global())))
}

/// Creates an empty registry; the caller owns `*out_registry` and frees it
/// with `iree_hal_driver_registry_free`. Host memory comes from the Rust
/// heap; `host_allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_allocate(
    host_allocator: iree_allocator_t,
    out_registry: *mut *mut iree_hal_driver_registry_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_registry = unsafe { arg!(out_registry).out() }?;
        out_registry.write(handle::box_into_ptr(DriverRegistry::new()));
        Ok(())
    })
}

/// Frees a registry from `iree_hal_driver_registry_allocate`. NULL and the
/// default registry are ignored; drivers it created stay alive.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_free(registry: *mut iree_hal_driver_registry_t) {
    ffi_boundary(|| {
        let global: *mut iree_hal_driver_registry_t =
            handle::borrowed_ptr(DriverRegistry::global());
        if registry != global {
            // SAFETY: NULL or a registry from allocate, not used again.
            drop(unsafe { handle::box_from_ptr(registry) });
        }
        Ok(())
    })
}

/// Registers `factory`, kept by pointer: the caller keeps the struct live
/// and unchanged until it unregisters it (or frees the registry).
/// `ALREADY_EXISTS` if it is registered, `RESOURCE_EXHAUSTED` when eight
/// are.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_register_factory(
    registry: *mut iree_hal_driver_registry_t,
    factory: *const iree_hal_driver_factory_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        // SAFETY: NULL or a factory kept live while registered (API contract).
        let factory = unsafe { CFactory::new(factory) }?;
        registry.register_factory(Arc::new(factory))
    })
}

/// Unregisters `factory` (matched by address); `NOT_FOUND` if it is not
/// registered. Once this returns the registry no longer calls it.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_unregister_factory(
    registry: *mut iree_hal_driver_registry_t,
    factory: *const iree_hal_driver_factory_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        if factory.is_null() {
            return Err(crate::abi::boundary::null_argument("factory"));
        }
        // Only its address is compared; the struct is not read.
        registry.unregister_factory(&CFactory { factory })
    })
}

/// Lists every driver of every registered factory, in registration order,
/// in one block from `allocator` that the caller frees with it (infos
/// first, their strings after). No drivers: `*out_driver_infos` is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_enumerate(
    registry: *mut iree_hal_driver_registry_t,
    allocator: iree_allocator_t,
    out_driver_infos: *mut *mut iree_hal_driver_info_t,
    out_driver_info_count: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slots (API contract).
        let out_infos = unsafe { arg!(out_driver_infos).out() }?;
        // SAFETY: as above.
        let out_count = unsafe { arg!(out_driver_info_count).out() }?;
        out_infos.write(std::ptr::null_mut());
        out_count.write(0);
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        let infos = registry.enumerate()?;
        if infos.is_empty() {
            return Ok(());
        }
        // SAFETY: the caller's allocator (API contract).
        let block = unsafe { write_driver_infos(&infos, allocator) }?;
        out_infos.write(block);
        out_count.write(infos.len());
        Ok(())
    })
}

/// Copies `infos` into one allocation of `allocator`.
///
/// # Safety
/// `allocator` is a valid allocator.
unsafe fn write_driver_infos(
    infos: &[DriverInfo],
    allocator: iree_allocator_t,
) -> Result<*mut iree_hal_driver_info_t> {
    let head = infos
        .len()
        .checked_mul(std::mem::size_of::<iree_hal_driver_info_t>())
        .ok_or_else(|| iree_err!(ResourceExhausted, "too many drivers"))?;
    let strings: usize = infos
        .iter()
        .map(|info| info.driver_name.len() + info.full_name.len())
        .sum();
    // SAFETY: forwarded contract.
    let block = unsafe { allocator.malloc(head + strings) }?.cast::<u8>();
    let mut text = head;
    let mut place = |s: &str| {
        // SAFETY: `text..text + len` lies in the block sized above.
        let at = unsafe { block.add(text) };
        // SAFETY: as above; `s` does not overlap the new block.
        unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), at, s.len()) };
        text += s.len();
        iree_string_view_t {
            data: at.cast(),
            size: s.len(),
        }
    };
    let table = block.cast::<iree_hal_driver_info_t>();
    for (index, info) in infos.iter().enumerate() {
        let entry = iree_hal_driver_info_t {
            driver_id: info.driver_id,
            driver_name: place(&info.driver_name),
            full_name: place(&info.full_name),
        };
        // SAFETY: the block starts with room for every entry, and the
        // allocator's blocks are aligned for them.
        unsafe { table.add(index).write(entry) };
    }
    Ok(table)
}

/// Hands a core driver to C as a new driver handle.
fn give_driver(
    out_driver: &mut std::mem::MaybeUninit<*mut iree_hal_driver_t>,
    driver: Arc<dyn Driver>,
) {
    out_driver.write(handle::hal_into_ptr(&DriverResource::new(driver)));
}

/// Creates the driver with `driver_id` as enumerated: `INVALID_ARGUMENT` for
/// `IREE_HAL_DRIVER_ID_INVALID`, `NOT_FOUND` when no factory has it. The
/// caller owns the reference in `*out_driver`. `allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_try_create(
    registry: *mut iree_hal_driver_registry_t,
    driver_id: iree_hal_driver_id_t,
    allocator: iree_allocator_t,
    out_driver: *mut *mut iree_hal_driver_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_driver = unsafe { arg!(out_driver).out() }?;
        out_driver.write(std::ptr::null_mut());
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        give_driver(out_driver, registry.try_create(driver_id)?);
        Ok(())
    })
}

/// Creates the driver named `driver_name` (the newest factory wins a name
/// several share); `NOT_FOUND` when none has it. The caller owns the
/// reference in `*out_driver`. `allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_registry_try_create_by_name(
    registry: *mut iree_hal_driver_registry_t,
    driver_name: iree_string_view_t,
    allocator: iree_allocator_t,
    out_driver: *mut *mut iree_hal_driver_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_driver = unsafe { arg!(out_driver).out() }?;
        out_driver.write(std::ptr::null_mut());
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        // SAFETY: the caller's string, valid for the call.
        let name = unsafe { driver_name.to_string_lossy() };
        give_driver(out_driver, registry.try_create_by_name(&name)?);
        Ok(())
    })
}

/// IREE 3.x: creates the device a URI names, `driver://path?key=value&...`
/// (`local-sync`, `local-sync://`): the driver by name from `registry`,
/// then its device by path (empty: the default device). The caller owns
/// the reference in `*out_device`; the driver stays alive as long as the
/// device needs it. `host_allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_create_device(
    registry: *mut iree_hal_driver_registry_t,
    device_uri: iree_string_view_t,
    host_allocator: iree_allocator_t,
    out_device: *mut *mut super::device::iree_hal_device_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_device = unsafe { arg!(out_device).out() }?;
        out_device.write(std::ptr::null_mut());
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        // SAFETY: the caller's string, valid for the call.
        let uri = unsafe { device_uri.to_string_lossy() };
        super::driver::give_device(out_device, registry.create_device(&uri)?);
        Ok(())
    })
}
