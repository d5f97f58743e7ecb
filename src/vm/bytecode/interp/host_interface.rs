//! What the interpreter asks of its surroundings: ref semantics, imports,
//! lists, buffers. The bytecode module (with the VM object model) implements
//! [`Host`]; tests implement it with plain Rust values.

use crate::vm::bytecode::frame::RegisterValue;
use crate::{iree_err, Result};

/// Element kinds of list get/set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    I32,
    I64,
    F32,
    F64,
}

fn unimplemented<T>(what: &str) -> Result<T> {
    Err(iree_err!(
        Unimplemented,
        "{} is not supported by this host",
        what
    ))
}

/// Services the interpreter needs. `Ref` is a register value of the ref
/// bank: `Default` is null, `Clone` retains and `Drop` releases.
pub trait Host {
    type Ref: Clone + Default + PartialEq;

    fn is_null(r: &Self::Ref) -> bool {
        *r == Self::Ref::default()
    }
    /// Whether a non-null `r` may be stored where `type_ordinal` (an index
    /// into the module's type table) is expected.
    fn type_matches(&self, _r: &Self::Ref, _type_ordinal: u32) -> bool {
        true
    }
    /// A buffer ref viewing rodata segment `ordinal`.
    fn rodata(&mut self, _ordinal: u32) -> Result<Self::Ref> {
        unimplemented("rodata")
    }
    fn import_resolved(&self, _import: u32) -> bool {
        false
    }
    /// Calls import `import` with `args` flattened in signature order.
    /// For variadic imports `segment_sizes` holds the count of each top
    /// level argument segment (spans included). Results are pushed to
    /// `results` in signature order.
    fn call_import(
        &mut self,
        _import: u32,
        _args: &[RegisterValue<Self::Ref>],
        _segment_sizes: Option<&[i32]>,
        _results: &mut Vec<RegisterValue<Self::Ref>>,
    ) -> Result<()> {
        unimplemented("calling imports")
    }

    fn list_alloc(&mut self, _element_type: u32, _capacity: u32) -> Result<Self::Ref> {
        unimplemented("vm.list.alloc")
    }
    fn list_reserve(&mut self, _list: &Self::Ref, _capacity: u32) -> Result<()> {
        unimplemented("vm.list.reserve")
    }
    fn list_size(&mut self, _list: &Self::Ref) -> Result<u32> {
        unimplemented("vm.list.size")
    }
    fn list_resize(&mut self, _list: &Self::Ref, _size: u32) -> Result<()> {
        unimplemented("vm.list.resize")
    }
    /// Reads a primitive element converted to `elem` (bits in the value).
    fn list_get_value(&mut self, _list: &Self::Ref, _index: u32, _elem: Elem) -> Result<u64> {
        unimplemented("vm.list.get")
    }
    fn list_set_value(
        &mut self,
        _list: &Self::Ref,
        _index: u32,
        _elem: Elem,
        _bits: u64,
    ) -> Result<()> {
        unimplemented("vm.list.set")
    }
    fn list_get_ref(&mut self, _list: &Self::Ref, _index: u32) -> Result<Self::Ref> {
        unimplemented("vm.list.get.ref")
    }
    fn list_set_ref(&mut self, _list: &Self::Ref, _index: u32, _value: Self::Ref) -> Result<()> {
        unimplemented("vm.list.set.ref")
    }

    fn buffer_alloc(&mut self, _length: u64, _alignment: u32) -> Result<Self::Ref> {
        unimplemented("vm.buffer.alloc")
    }
    fn buffer_clone(
        &mut self,
        _source: &Self::Ref,
        _offset: u64,
        _length: u64,
        _alignment: u32,
    ) -> Result<Self::Ref> {
        unimplemented("vm.buffer.clone")
    }
    fn buffer_length(&mut self, _buffer: &Self::Ref) -> Result<u64> {
        unimplemented("vm.buffer.length")
    }
    fn buffer_copy(
        &mut self,
        _src: &Self::Ref,
        _src_offset: u64,
        _dst: &Self::Ref,
        _dst_offset: u64,
        _length: u64,
    ) -> Result<()> {
        unimplemented("vm.buffer.copy")
    }
    fn buffer_compare(
        &mut self,
        _lhs: &Self::Ref,
        _lhs_offset: u64,
        _rhs: &Self::Ref,
        _rhs_offset: u64,
        _length: u64,
    ) -> Result<bool> {
        unimplemented("vm.buffer.compare")
    }
    /// Fills `count` elements of `size` bytes starting at element
    /// `offset` (element units, as upstream) with the low bytes of `bits`.
    fn buffer_fill(
        &mut self,
        _buffer: &Self::Ref,
        _offset: u64,
        _count: u64,
        _size: usize,
        _bits: u64,
    ) -> Result<()> {
        unimplemented("vm.buffer.fill")
    }
    /// Loads the element of `size` bytes at element index `offset`.
    fn buffer_load(&mut self, _buffer: &Self::Ref, _offset: u64, _size: usize) -> Result<u64> {
        unimplemented("vm.buffer.load")
    }
    fn buffer_store(
        &mut self,
        _buffer: &Self::Ref,
        _offset: u64,
        _size: usize,
        _bits: u64,
    ) -> Result<()> {
        unimplemented("vm.buffer.store")
    }
    fn buffer_hash(&mut self, _buffer: &Self::Ref, _offset: u64, _length: u64) -> Result<i64> {
        unimplemented("vm.buffer.hash")
    }
}
