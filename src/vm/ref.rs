//! The intrusive reference-counting model shared with C.
//!
//! A ref target is any object with a 32-bit atomic counter at a fixed byte
//! offset; its type is a small integer handed out by a process-wide registry
//! of C type descriptors. This layout is part of the C ABI (C code registers
//! types and reads counters directly), which is why the raw types live here
//! with a few audited `unsafe` blocks: every counter access goes through
//! [`counter_of`], every destruction through [`destroy_object`].
//!
//! Rust code holds targets through [`Ref`], an owned strong reference:
//! `Clone` retains, `Drop` releases, `Default` is null.

use std::ffi::c_void;
use std::sync::atomic::{AtomicI32, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::abi::iree_string_view_t;
use crate::{iree_bail, iree_ensure, Result};

/// A registered ref type id (24 bits used; 0 is null).
pub type RefType = u32;

pub const REF_TYPE_NULL: RefType = 0;
pub const REF_TYPE_MAX_VALUE: RefType = 0x00FF_FFFE;
pub const REF_TYPE_ANY: RefType = 0x00FF_FFFF;

/// Most types a process may register; ids are table indices.
const MAX_TYPES: usize = 1024;

/// `iree_vm_ref_destroy_t`.
pub type DestroyFn = unsafe extern "C" fn(ptr: *mut c_void);

/// `iree_vm_ref_type_descriptor_t`: the C bitfields
/// `offsetof_counter:8, type:24` share one `u32` (`bits`).
#[repr(C)]
#[derive(Debug)]
pub struct TypeDescriptor {
    pub destroy: Option<DestroyFn>,
    pub bits: u32,
    pub type_name: iree_string_view_t,
}

impl TypeDescriptor {
    pub fn offsetof_counter(&self) -> u32 {
        self.bits & 0xFF
    }
    pub fn type_id(&self) -> RefType {
        self.bits >> 8
    }
    fn set_type_id(&mut self, id: RefType) {
        self.bits = (self.bits & 0xFF) | (id << 8);
    }
    /// The name bytes (kept alive by whoever registered the type).
    pub fn name(&self) -> &[u8] {
        // SAFETY: registration requires the name to outlive the registration.
        unsafe { self.type_name.as_bytes() }
    }
}

/// `iree_vm_ref_t`: target pointer plus `offsetof_counter:8, type:24` bits.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawRef {
    pub ptr: *mut c_void,
    pub bits: u32,
}

impl Default for RawRef {
    fn default() -> Self {
        RawRef::NULL
    }
}

impl RawRef {
    pub const NULL: RawRef = RawRef {
        ptr: std::ptr::null_mut(),
        bits: 0,
    };

    pub fn new(ptr: *mut c_void, offsetof_counter: u32, type_id: RefType) -> RawRef {
        RawRef {
            ptr,
            bits: (offsetof_counter & 0xFF) | ((type_id & 0x00FF_FFFF) << 8),
        }
    }
    pub fn offsetof_counter(&self) -> u32 {
        self.bits & 0xFF
    }
    pub fn type_id(&self) -> RefType {
        self.bits >> 8
    }
    pub fn is_null(&self) -> bool {
        self.ptr.is_null() || self.type_id() == REF_TYPE_NULL
    }
}

static TYPES: [AtomicPtr<TypeDescriptor>; MAX_TYPES] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_TYPES];
static TYPE_COUNT: AtomicU32 = AtomicU32::new(0);
static REGISTER_LOCK: Mutex<()> = Mutex::new(());

/// Registers `descriptor` and writes its new type id into it. Registering the
/// same descriptor again keeps its id.
///
/// # Safety
/// `descriptor` must stay valid (and its name readable) for the rest of the
/// process, as the C API requires.
pub unsafe fn register_type(descriptor: *mut TypeDescriptor) -> Result<RefType> {
    iree_ensure!(!descriptor.is_null(), InvalidArgument, "descriptor is NULL");
    let _guard = REGISTER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let count = TYPE_COUNT.load(Ordering::Acquire) as usize;
    for (i, slot) in TYPES.iter().enumerate().take(count + 1).skip(1) {
        if slot.load(Ordering::Acquire) == descriptor {
            return Ok(i as RefType);
        }
    }
    let id = count + 1;
    if id >= MAX_TYPES {
        iree_bail!(
            ResourceExhausted,
            "too many ref types registered (max {})",
            MAX_TYPES - 1
        );
    }
    // SAFETY: caller guarantees `descriptor` is valid and ours to update.
    unsafe { (*descriptor).set_type_id(id as RefType) };
    TYPES[id].store(descriptor, Ordering::Release);
    TYPE_COUNT.store(id as u32, Ordering::Release);
    Ok(id as RefType)
}

/// The descriptor registered for `type_id`, if any.
pub fn lookup_type(type_id: RefType) -> Option<&'static TypeDescriptor> {
    let index = type_id as usize;
    if index == 0 || index >= MAX_TYPES {
        return None;
    }
    let ptr = TYPES[index].load(Ordering::Acquire);
    // SAFETY: registered descriptors live for the rest of the process.
    unsafe { ptr.as_ref() }
}

/// Finds a registered type by its full name (`vm.buffer`, ...).
pub fn lookup_type_by_name(name: &[u8]) -> Option<&'static TypeDescriptor> {
    let count = TYPE_COUNT.load(Ordering::Acquire);
    (1..=count)
        .filter_map(lookup_type)
        .find(|d| d.name() == name)
}

/// A ref type this library defines (`vm.list`, `vm.buffer`, ...): its
/// descriptor is built and registered on first use; after that its id and
/// descriptor are one atomic load away, so retaining and releasing its
/// objects never takes the registry lock.
pub struct BuiltinRefType {
    name: &'static [u8],
    destroy: DestroyFn,
    registered: OnceLock<Option<&'static TypeDescriptor>>,
}

impl BuiltinRefType {
    pub const fn new(name: &'static [u8], destroy: DestroyFn) -> BuiltinRefType {
        BuiltinRefType {
            name,
            destroy,
            registered: OnceLock::new(),
        }
    }

    /// Registers the type (idempotent) and returns its id.
    pub fn register(&self) -> Result<RefType> {
        match self.descriptor() {
            Some(descriptor) => Ok(descriptor.type_id()),
            None => iree_bail!(
                ResourceExhausted,
                "could not register ref type {}",
                String::from_utf8_lossy(self.name)
            ),
        }
    }

    /// The registered descriptor (`None` only if the registry was full).
    pub fn descriptor(&self) -> Option<&'static TypeDescriptor> {
        *self.registered.get_or_init(|| {
            let descriptor = Box::into_raw(Box::new(TypeDescriptor {
                destroy: Some(self.destroy),
                bits: 0,
                type_name: iree_string_view_t::from_static(self.name),
            }));
            // SAFETY: the descriptor is leaked, so it lives for the process,
            // and nothing else refers to it until registration is done.
            match unsafe { register_type(descriptor) } {
                // SAFETY: as above; from here on it is only read.
                Ok(_) => Some(unsafe { &*descriptor }),
                Err(_) => None,
            }
        })
    }

    /// The type id (0, the null type, if it could not be registered).
    pub fn id(&self) -> RefType {
        self.descriptor().map_or(REF_TYPE_NULL, |d| d.type_id())
    }

    /// Adds a reference to an object of this type (no-op for NULL).
    ///
    /// # Safety
    /// `ptr` must be NULL or a live object of this type.
    pub unsafe fn retain(&self, ptr: *mut c_void) {
        if let Some(descriptor) = self.descriptor() {
            // SAFETY: forwarded contract.
            unsafe { retain_object(ptr, descriptor.offsetof_counter()) };
        }
    }

    /// Drops a reference to an object of this type, destroying it on the
    /// last one (no-op for NULL).
    ///
    /// # Safety
    /// `ptr` must be NULL or a live object of this type that the caller
    /// holds a reference to; that reference is given up.
    pub unsafe fn release(&self, ptr: *mut c_void) {
        if let Some(descriptor) = self.descriptor() {
            // SAFETY: forwarded contract.
            unsafe { release_object(ptr, descriptor.offsetof_counter(), Some(descriptor)) };
        }
    }

    /// A raw ref to `ptr` of this type (no count change).
    pub fn raw_ref(&self, ptr: *mut c_void) -> RawRef {
        let offset = self.descriptor().map_or(0, |d| d.offsetof_counter());
        RawRef::new(ptr, offset, self.id())
    }
}

/// A Rust type whose objects are targets of one [`BuiltinRefType`], so a C
/// handle to one can be counted without knowing a type id.
///
/// # Safety
/// Every object of the type handed to C must be a target of `ref_type()`
/// (its counter where the descriptor says).
pub unsafe trait RefObject {
    fn ref_type() -> &'static BuiltinRefType;
}

/// The counter of a target object.
///
/// # Safety
/// `ptr` must be a live ref target whose counter sits `offset` bytes in.
unsafe fn counter_of<'a>(ptr: *mut c_void, offset: u32) -> &'a AtomicI32 {
    // SAFETY: guaranteed by the caller; counters are 4-byte aligned int32s.
    unsafe { &*((ptr as *mut u8).add(offset as usize) as *const AtomicI32) }
}

/// Runs the type's destroy callback on a target whose count reached zero.
///
/// # Safety
/// `ptr` must be a target of the type with no references left.
unsafe fn destroy_object(ptr: *mut c_void, descriptor: Option<&TypeDescriptor>) {
    if let Some(destroy) = descriptor.and_then(|d| d.destroy) {
        // SAFETY: the registered destroy callback takes ownership of `ptr`.
        unsafe { destroy(ptr) };
    }
}

/// Adds a reference to a raw target (no-op for NULL).
///
/// # Safety
/// `ptr` must be NULL or a live target whose counter is at `offset`.
pub unsafe fn retain_object(ptr: *mut c_void, offset: u32) {
    if !ptr.is_null() {
        // SAFETY: forwarded contract.
        unsafe { counter_of(ptr, offset) }.fetch_add(1, Ordering::Relaxed);
    }
}

/// Drops a reference to a raw target, destroying it on the last one.
///
/// # Safety
/// `ptr` must be NULL or a live target of `descriptor` the caller holds a
/// reference to; that reference is given up.
pub unsafe fn release_object(ptr: *mut c_void, offset: u32, descriptor: Option<&TypeDescriptor>) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: forwarded contract.
    if unsafe { counter_of(ptr, offset) }.fetch_sub(1, Ordering::AcqRel) == 1 {
        // SAFETY: this was the last reference.
        unsafe { destroy_object(ptr, descriptor) };
    }
}

/// The current count of a target (for tests and diagnostics).
///
/// # Safety
/// As for [`retain_object`].
pub unsafe fn object_count(ptr: *mut c_void, offset: u32) -> i32 {
    // SAFETY: forwarded contract.
    unsafe { counter_of(ptr, offset) }.load(Ordering::Acquire)
}

/// Retains the target of a raw ref (no-op for null refs).
///
/// # Safety
/// A non-null `r` must reference a live target.
pub unsafe fn raw_retain(r: &RawRef) {
    if !r.is_null() {
        // SAFETY: forwarded contract.
        unsafe { retain_object(r.ptr, r.offsetof_counter()) };
    }
}

/// Releases a raw ref and resets it to null.
///
/// # Safety
/// A non-null `r` must own one reference to a live target.
pub unsafe fn raw_release(r: &mut RawRef) {
    let old = std::mem::take(r);
    if !old.is_null() {
        // SAFETY: forwarded contract; the reference is given up here.
        unsafe { release_object(old.ptr, old.offsetof_counter(), lookup_type(old.type_id())) };
    }
}

/// An owned strong reference to a ref target.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ref(RawRef);

// SAFETY: ref targets are shared across threads by design in the C API and
// their counters are atomic.
unsafe impl Send for Ref {}
// SAFETY: as above.
unsafe impl Sync for Ref {}

impl Ref {
    pub fn null() -> Ref {
        Ref(RawRef::NULL)
    }

    /// Takes ownership of the reference `raw` holds (no count change).
    ///
    /// # Safety
    /// A non-null `raw` must own one reference that is handed over.
    pub unsafe fn from_raw(raw: RawRef) -> Ref {
        if raw.is_null() {
            Ref(RawRef::NULL)
        } else {
            Ref(raw)
        }
    }

    /// A new reference to the target of `raw` (the count goes up).
    ///
    /// # Safety
    /// A non-null `raw` must reference a live target.
    pub unsafe fn retain_raw(raw: &RawRef) -> Ref {
        // SAFETY: forwarded contract.
        unsafe { raw_retain(raw) };
        // SAFETY: we just took the reference we hand over.
        unsafe { Ref::from_raw(*raw) }
    }

    /// Gives the reference up to a raw holder.
    pub fn into_raw(self) -> RawRef {
        let raw = self.0;
        std::mem::forget(self);
        raw
    }

    pub fn as_raw(&self) -> &RawRef {
        &self.0
    }
    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }
    pub fn type_id(&self) -> RefType {
        self.0.type_id()
    }
    pub fn ptr(&self) -> *mut c_void {
        self.0.ptr
    }
}

impl Clone for Ref {
    fn clone(&self) -> Self {
        // SAFETY: we own a reference, so the target is live.
        unsafe { Ref::retain_raw(&self.0) }
    }
}

impl Drop for Ref {
    fn drop(&mut self) {
        // SAFETY: we own the reference being released.
        unsafe { raw_release(&mut self.0) };
    }
}

/// Checks that `r` has type `type_id`, as `iree_vm_ref_check` does.
pub fn check(r: &RawRef, type_id: RefType) -> Result<()> {
    if r.type_id() == type_id {
        Ok(())
    } else if r.type_id() == REF_TYPE_NULL {
        iree_bail!(InvalidArgument, "ref is null")
    } else {
        iree_bail!(InvalidArgument, "ref type mismatch")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C)]
    struct Obj {
        counter: AtomicI32,
        payload: u32,
    }

    static DESTROYED: AtomicU32 = AtomicU32::new(0);

    unsafe extern "C" fn destroy_obj(ptr: *mut c_void) {
        // SAFETY: objects of this test type are Boxes.
        drop(unsafe { Box::from_raw(ptr as *mut Obj) });
        DESTROYED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn register_retain_release() {
        let desc = Box::leak(Box::new(TypeDescriptor {
            destroy: Some(destroy_obj),
            bits: 0,
            type_name: iree_string_view_t::from_static(b"test.obj"),
        }));
        // SAFETY: the descriptor is leaked, so it lives forever.
        let id = unsafe { register_type(desc) }.unwrap();
        assert_eq!(desc.type_id(), id);
        assert!(lookup_type_by_name(b"test.obj").is_some());
        let obj = Box::into_raw(Box::new(Obj {
            counter: AtomicI32::new(1),
            payload: 7,
        }));
        // SAFETY: `obj` starts with one reference that we hand over.
        let r = unsafe { Ref::from_raw(RawRef::new(obj as *mut c_void, 0, id)) };
        let r2 = r.clone();
        // SAFETY: the object is live while refs exist.
        assert_eq!(unsafe { object_count(r.ptr(), 0) }, 2);
        assert_eq!(r, r2);
        drop(r);
        let before = DESTROYED.load(Ordering::SeqCst);
        drop(r2);
        assert_eq!(DESTROYED.load(Ordering::SeqCst), before + 1);
        assert!(check(&RawRef::NULL, id).is_err());
    }
}
