//! `vm.list`: a growable, ref-counted list of values, refs or variants.
//!
//! The object starts with its ref counter (offset 0) so C code and the ref
//! machinery can count it like any other ref target. Elements live in a Rust
//! vector behind a mutex: lists are shared through refs and the C API lets
//! any holder mutate them.

use std::ffi::c_void;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::abi::iree_allocator_t;
use crate::vm::r#ref::{
    self, BuiltinRefType, RawRef, Ref, RefObject, RefType, TypeDescriptor, REF_TYPE_ANY,
};
use crate::vm::value::{TypeDef, Value, ValueType, Variant};
use crate::{iree_bail, iree_ensure, Result};

/// Capacity grows in steps of this many elements.
const CAPACITY_STEP: usize = 64;

struct Inner {
    capacity: usize,
    items: Vec<Variant>,
}

/// A VM list. Heap lists are `Box`es; in-place lists live in caller storage.
#[repr(C)]
pub struct List {
    counter: AtomicI32,
    element_type: TypeDef,
    heap: bool,
    allocator: iree_allocator_t,
    inner: Mutex<Inner>,
}

fn round_up(n: usize, step: usize) -> usize {
    n.div_ceil(step).saturating_mul(step)
}

unsafe extern "C" fn destroy_list(ptr: *mut c_void) {
    let list = ptr as *mut List;
    // SAFETY: called once by the ref machinery when the last reference to a
    // list made by `List::create` or `List::initialize_in` goes away.
    unsafe {
        if (*list).heap {
            drop(Box::from_raw(list));
        } else {
            std::ptr::drop_in_place(list);
        }
    }
}

/// The `vm.list` ref type.
pub static LIST_TYPE: BuiltinRefType = BuiltinRefType::new(b"vm.list", destroy_list);

// SAFETY: every `List` handed out is a `vm.list` target, counter at 0.
unsafe impl RefObject for List {
    fn ref_type() -> &'static BuiltinRefType {
        &LIST_TYPE
    }
}

/// Registers `vm.list` (idempotent) and returns its type id.
pub fn register_type() -> Result<RefType> {
    LIST_TYPE.register()
}

/// The `vm.list` type id, registering it on first use (lock-free after).
pub fn type_id() -> RefType {
    LIST_TYPE.id()
}

/// The registered descriptor of `vm.list` (NULL if it could not be).
pub fn descriptor() -> *const TypeDescriptor {
    LIST_TYPE
        .descriptor()
        .map_or(std::ptr::null(), |d| d as *const TypeDescriptor)
}

impl List {
    fn new(
        element_type: Option<TypeDef>,
        capacity: usize,
        heap: bool,
        allocator: iree_allocator_t,
    ) -> List {
        let capacity = if capacity == 0 {
            0
        } else {
            round_up(capacity, CAPACITY_STEP)
        };
        List {
            counter: AtomicI32::new(1),
            element_type: element_type.unwrap_or(TypeDef::VARIANT),
            heap,
            allocator,
            inner: Mutex::new(Inner {
                capacity,
                items: Vec::with_capacity(capacity),
            }),
        }
    }

    /// Creates a heap list holding one reference (given to the caller).
    pub fn create(
        element_type: Option<TypeDef>,
        capacity: usize,
        allocator: iree_allocator_t,
    ) -> Result<Ref> {
        let id = register_type()?;
        let list = Box::into_raw(Box::new(List::new(element_type, capacity, true, allocator)));
        // SAFETY: the new list starts with one reference that the Ref takes.
        Ok(unsafe { Ref::from_raw(RawRef::new(list as *mut c_void, 0, id)) })
    }

    /// Bytes of caller storage `initialize_in` needs.
    pub fn storage_size() -> usize {
        round_up(std::mem::size_of::<List>(), 16)
    }

    /// Builds a list inside caller storage.
    ///
    /// # Safety
    /// `storage` must be valid for writes of `len` bytes for the list's life.
    pub unsafe fn initialize_in(
        storage: *mut u8,
        len: usize,
        element_type: Option<TypeDef>,
        capacity: usize,
    ) -> Result<*mut List> {
        register_type()?;
        iree_ensure!(!storage.is_null(), InvalidArgument, "list storage is NULL");
        iree_ensure!(
            len >= std::mem::size_of::<List>(),
            OutOfRange,
            "storage buffer underflow: provided={} < required={}",
            len,
            Self::storage_size()
        );
        iree_ensure!(
            (storage as usize).is_multiple_of(std::mem::align_of::<List>()),
            InvalidArgument,
            "list storage must be {}-byte aligned",
            std::mem::align_of::<List>()
        );
        let list = storage as *mut List;
        // SAFETY: storage is large enough, aligned and writable (checked / contract).
        unsafe {
            list.write(List::new(
                element_type,
                capacity,
                false,
                iree_allocator_t::null(),
            ))
        };
        Ok(list)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Borrows the list behind a ref of type `vm.list`.
    pub fn from_ref(r: &Ref) -> Result<&List> {
        Self::from_raw_ref(r.as_raw())
    }

    /// Borrows the list behind a raw ref.
    pub fn from_raw_ref(r: &RawRef) -> Result<&List> {
        r#ref::check(r, type_id())?;
        // SAFETY: a ref of type vm.list points at a live List.
        Ok(unsafe { &*(r.ptr as *const List) })
    }

    /// A new reference to this list (the count goes up).
    pub fn retain_ref(&self) -> Ref {
        let raw = RawRef::new(self as *const List as *mut c_void, 0, type_id());
        // SAFETY: `self` is live.
        unsafe { Ref::retain_raw(&raw) }
    }

    pub fn ref_count(&self) -> i32 {
        self.counter.load(Ordering::Acquire)
    }
    pub fn allocator(&self) -> iree_allocator_t {
        self.allocator
    }
    pub fn element_type(&self) -> TypeDef {
        self.element_type
    }
    pub fn capacity(&self) -> usize {
        self.lock().capacity
    }
    pub fn size(&self) -> usize {
        self.lock().items.len()
    }

    fn reserve_locked(inner: &mut Inner, minimum: usize) {
        if inner.capacity >= minimum {
            return;
        }
        let new_capacity = round_up(minimum, CAPACITY_STEP);
        let extra = new_capacity - inner.items.len();
        inner.items.reserve(extra);
        inner.capacity = new_capacity;
    }

    pub fn reserve(&self, minimum: usize) -> Result<()> {
        Self::reserve_locked(&mut self.lock(), minimum);
        Ok(())
    }

    /// Grows with empty (zero / null) elements or drops trailing ones.
    pub fn resize(&self, new_size: usize) -> Result<()> {
        let mut inner = self.lock();
        Self::grow_locked(&mut inner, new_size);
        let empty = self.empty_element();
        let dropped: Vec<Variant> = if new_size < inner.items.len() {
            if inner.items[new_size..]
                .iter()
                .any(|v| matches!(v, Variant::Ref(_)))
            {
                inner.items.drain(new_size..).collect()
            } else {
                // Nothing to release: drop in place, without allocating.
                inner.items.truncate(new_size);
                Vec::new()
            }
        } else {
            inner.items.resize(new_size, empty);
            Vec::new()
        };
        drop(inner);
        // Released outside the lock: destroying an element may touch this list.
        drop(dropped);
        Ok(())
    }

    fn empty_element(&self) -> Variant {
        let t = self.element_type;
        if t.is_value() {
            Value::from_bits(t.value_type(), 0).map_or(Variant::Empty, Variant::Value)
        } else {
            Variant::Empty
        }
    }

    fn check_index(inner: &Inner, i: usize) -> Result<()> {
        iree_ensure!(
            i < inner.items.len(),
            OutOfRange,
            "index {} out of bounds ({})",
            i,
            inner.items.len()
        );
        Ok(())
    }

    /// Reads a value element, optionally converted to `as_type`.
    pub fn get_value(&self, i: usize, as_type: Option<ValueType>) -> Result<Value> {
        let inner = self.lock();
        Self::check_index(&inner, i)?;
        let value = match &inner.items[i] {
            Variant::Value(v) => *v,
            _ if self.element_type.is_ref() => {
                iree_bail!(FailedPrecondition, "list does not store values")
            }
            _ => iree_bail!(
                FailedPrecondition,
                "variant at index {} is not a value type",
                i
            ),
        };
        match as_type {
            Some(t) if t != ValueType::None => value
                .convert(t)
                .ok_or_else(|| crate::iree_err!(InvalidArgument, "bad value type")),
            _ => Ok(value),
        }
    }

    /// `value` as this list stores it (converted for typed lists).
    #[inline]
    fn value_to_store(&self, value: Value) -> Result<Value> {
        let t = self.element_type;
        iree_ensure!(!t.is_ref(), FailedPrecondition, "list cannot store values");
        Ok(if t.is_value() {
            value
                .convert(t.value_type())
                .ok_or_else(|| crate::iree_err!(InvalidArgument, "bad list element type"))?
        } else {
            value
        })
    }

    /// Whether refs of `type_id` may be stored in this list at all.
    #[inline]
    fn check_ref_type(&self, type_id: RefType) -> Result<()> {
        let t = self.element_type;
        iree_ensure!(!t.is_value(), FailedPrecondition, "list cannot store refs");
        if t.is_ref() && type_id != 0 && t.ref_type() != REF_TYPE_ANY {
            iree_ensure!(
                type_id == t.ref_type(),
                InvalidArgument,
                "ref type mismatch: list holds type {} but got {}",
                t.ref_type(),
                type_id
            );
        }
        Ok(())
    }

    /// Replaces the contents with `count` elements made by `element(i)`:
    /// the same as `resize(0)`, `resize(count)` and then, for each `i` in
    /// order, `set_value` (for [`Variant::Value`]) or `set_ref` (for
    /// [`Variant::Ref`]), stopping at the first error, but under one lock.
    /// `element` runs with the list locked and must not touch it.
    pub fn assign(
        &self,
        count: usize,
        mut element: impl FnMut(usize) -> Result<Variant>,
    ) -> Result<()> {
        let mut inner = self.lock();
        // Old refs are released outside the lock (see `resize`).
        let dropped: Vec<Variant> = if inner.items.iter().any(|v| matches!(v, Variant::Ref(_))) {
            inner.items.drain(..).collect()
        } else {
            inner.items.clear();
            Vec::new()
        };
        Self::grow_locked(&mut inner, count);
        let mut result = Ok(());
        for i in 0..count {
            let stored = element(i).and_then(|e| match e {
                Variant::Value(v) => self.value_to_store(v).map(Variant::Value),
                Variant::Ref(r) => self.check_ref_type(r.type_id()).map(|()| {
                    if r.is_null() {
                        Variant::Empty
                    } else {
                        Variant::Ref(r)
                    }
                }),
                Variant::Empty => Err(crate::iree_err!(
                    InvalidArgument,
                    "list assignment needs a value or a ref"
                )),
            });
            match stored {
                // Within the capacity reserved above: no allocation.
                Ok(v) => inner.items.push(v),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        if inner.items.len() < count {
            // After a failure the rest stays empty, as after `resize`.
            inner.items.resize(count, self.empty_element());
        }
        drop(inner);
        drop(dropped);
        result
    }

    /// [`List::assign`] of primitive values: variant lists holding no refs
    /// take a tight path.
    pub fn assign_values(&self, values: &[Value]) -> Result<()> {
        let general = || self.assign(values.len(), |i| Ok(Variant::Value(values[i])));
        if !self.element_type.is_variant() {
            return general();
        }
        let mut inner = self.lock();
        if inner.items.iter().any(|v| matches!(v, Variant::Ref(_))) {
            drop(inner);
            return general();
        }
        inner.items.clear();
        Self::grow_locked(&mut inner, values.len());
        inner
            .items
            .extend(values.iter().map(|&v| Variant::Value(v)));
        Ok(())
    }

    /// Capacity growth of `resize(new_size)`.
    fn grow_locked(inner: &mut Inner, new_size: usize) {
        if new_size > inner.capacity {
            let grown = (inner.capacity.saturating_mul(2)).max(round_up(new_size, CAPACITY_STEP));
            Self::reserve_locked(inner, grown);
        }
    }

    /// Stores a value (converted to the element type of typed lists).
    pub fn set_value(&self, i: usize, value: Value) -> Result<()> {
        let stored = self.value_to_store(value)?;
        let mut inner = self.lock();
        Self::check_index(&inner, i)?;
        let old = std::mem::replace(&mut inner.items[i], Variant::Value(stored));
        drop(inner);
        drop(old);
        Ok(())
    }

    pub fn push_value(&self, value: Value) -> Result<()> {
        let i = self.size();
        self.resize(i + 1)?;
        self.set_value(i, value)
    }

    /// A new reference to the ref element at `i` (null elements give null).
    pub fn get_ref(&self, i: usize) -> Result<Ref> {
        let inner = self.lock();
        Self::check_index(&inner, i)?;
        match &inner.items[i] {
            Variant::Ref(r) => Ok(r.clone()),
            Variant::Empty if !self.element_type.is_value() => Ok(Ref::null()),
            _ if self.element_type.is_value() => {
                iree_bail!(FailedPrecondition, "list does not store refs")
            }
            _ => iree_bail!(FailedPrecondition, "variant at index {} is not a ref", i),
        }
    }

    /// Whether a ref of `type_id` may be stored at `i` (without storing it).
    pub fn check_ref_store(&self, i: usize, type_id: RefType) -> Result<()> {
        self.check_ref_type(type_id)?;
        Self::check_index(&self.lock(), i)
    }

    /// Stores a ref, checking it against the element type of typed lists.
    pub fn set_ref(&self, i: usize, value: Ref) -> Result<()> {
        self.check_ref_store(i, value.type_id())?;
        let mut inner = self.lock();
        Self::check_index(&inner, i)?;
        let new = if value.is_null() {
            Variant::Empty
        } else {
            Variant::Ref(value)
        };
        let old = std::mem::replace(&mut inner.items[i], new);
        drop(inner);
        drop(old);
        Ok(())
    }

    pub fn push_ref(&self, value: Ref) -> Result<()> {
        let i = self.size();
        self.resize(i + 1)?;
        if let Err(e) = self.set_ref(i, value) {
            let _ = self.resize(i);
            return Err(e);
        }
        Ok(())
    }

    /// Removes and returns the first ref element.
    pub fn pop_front_ref(&self) -> Result<Ref> {
        let mut inner = self.lock();
        iree_ensure!(
            !inner.items.is_empty(),
            OutOfRange,
            "cannot pop from an empty list"
        );
        match inner.items[0] {
            Variant::Value(_) => iree_bail!(FailedPrecondition, "list does not store refs"),
            _ => match inner.items.remove(0) {
                Variant::Ref(r) => Ok(r),
                _ => Ok(Ref::null()),
            },
        }
    }

    /// The element at `i` as a variant (refs are retained).
    pub fn get_variant(&self, i: usize) -> Result<Variant> {
        let inner = self.lock();
        Self::check_index(&inner, i)?;
        Ok(inner.items[i].clone())
    }

    /// Stores any variant the element type allows.
    pub fn set_variant(&self, i: usize, value: Variant) -> Result<()> {
        match value {
            Variant::Value(v) => self.set_value(i, v),
            Variant::Ref(r) => self.set_ref(i, r),
            Variant::Empty => {
                if self.element_type.is_value() {
                    let empty = self.empty_element();
                    let mut inner = self.lock();
                    Self::check_index(&inner, i)?;
                    inner.items[i] = empty;
                    Ok(())
                } else {
                    self.set_ref(i, Ref::null())
                }
            }
        }
    }

    pub fn push_variant(&self, value: Variant) -> Result<()> {
        let i = self.size();
        self.resize(i + 1)?;
        if let Err(e) = self.set_variant(i, value) {
            let _ = self.resize(i);
            return Err(e);
        }
        Ok(())
    }

    /// Drops every element (used when an in-place list is deinitialized).
    pub fn clear(&self) {
        let items = std::mem::take(&mut self.lock().items);
        drop(items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_value_list() {
        let r = List::create(
            Some(TypeDef::value(ValueType::I32)),
            3,
            iree_allocator_t::system(),
        )
        .unwrap();
        let list = List::from_ref(&r).unwrap();
        assert!(list.capacity() >= 3);
        list.resize(4).unwrap();
        list.set_value(1, Value::I64(7)).unwrap();
        assert_eq!(list.get_value(1, None).unwrap(), Value::I32(7));
        assert_eq!(
            list.get_value(0, Some(ValueType::I64)).unwrap(),
            Value::I64(0)
        );
        assert!(list.get_value(9, None).is_err());
        assert!(list.get_ref(0).is_err());
        list.push_value(Value::I32(3)).unwrap();
        assert_eq!(list.size(), 5);
    }

    #[test]
    fn nested_lists_and_pop() {
        let outer = List::create(None, 0, iree_allocator_t::null()).unwrap();
        let inner = List::create(None, 0, iree_allocator_t::null()).unwrap();
        let o = List::from_ref(&outer).unwrap();
        o.push_ref(inner.clone()).unwrap();
        o.push_value(Value::F32(2.0)).unwrap();
        assert_eq!(List::from_ref(&inner).unwrap().ref_count(), 2);
        let popped = o.pop_front_ref().unwrap();
        assert_eq!(popped, inner);
        assert_eq!(o.size(), 1);
        assert!(o.pop_front_ref().is_err());
        drop(popped);
        assert_eq!(List::from_ref(&inner).unwrap().ref_count(), 1);
    }
}
