//! The interpreter's [`Host`] backed by the VM object model: registers of
//! the ref bank hold [`Ref`]s, lists and buffers are `vm.list`/`vm.buffer`
//! objects, and imports are called through the invocation [`Stack`] into
//! whatever module the context resolved them to.

use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::vm::buffer::{self, Buffer};
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::bytecode::interp::host_interface::{Elem, Host};
use crate::vm::cconv::{self, Arg, CallBuffer, Cconv, PackedSizes, REF_SIZE};
use crate::vm::interface::{Function, FunctionCall};
use crate::vm::list::List;
use crate::vm::r#ref::{self, Ref, RefType};
use crate::vm::stack::Stack;
use crate::vm::value::{TypeDef, Value as VmValue, ValueType};
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// One entry of a module's type table, resolved against the ref registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeInfo {
    /// A primitive (`i32`, `f64`, ...): list element types.
    Value(ValueType),
    /// A ref type by registered name (`vm.buffer`); `id` is 0 when the type
    /// was not registered at load time and is then matched by name.
    Ref { name: String, id: RefType },
    /// `?`: anything goes.
    Any,
    /// `!vm.opaque`, the compiler's spelling of `!vm.ref<?>`. As an
    /// element type it makes variant lists. As the type a ref is checked
    /// against, only null matches, which is how the reference behaves: a
    /// buffer read from a variant list as `!vm.ref<?>` comes back null, and
    /// storing one into a `!vm.ref<?>` global is a type mismatch.
    Opaque,
}

impl TypeInfo {
    /// Interprets a type-table name such as `i32`, `!vm.buffer`,
    /// `!vm.list<i32>` or `!vm.ref<!hal.buffer>`.
    pub fn parse(name: &str) -> TypeInfo {
        let value = match name {
            "i8" => Some(ValueType::I8),
            "i16" => Some(ValueType::I16),
            "i32" => Some(ValueType::I32),
            "i64" => Some(ValueType::I64),
            "f32" => Some(ValueType::F32),
            "f64" => Some(ValueType::F64),
            _ => None,
        };
        if let Some(v) = value {
            return TypeInfo::Value(v);
        }
        let mut body = name.trim_start_matches('!');
        if let Some(inner) = body
            .strip_prefix("vm.ref<")
            .and_then(|s| s.strip_suffix('>'))
        {
            body = inner.trim_start_matches('!');
        }
        if body == "vm.opaque" {
            return TypeInfo::Opaque;
        }
        if matches!(body, "?" | "") {
            return TypeInfo::Any;
        }
        let base = body.split('<').next().unwrap_or(body).to_string();
        let id = r#ref::lookup_type_by_name(base.as_bytes()).map_or(0, |d| d.type_id());
        TypeInfo::Ref { name: base, id }
    }

    /// Whether a non-null ref of `type_id` may be stored as this type.
    pub fn accepts(&self, type_id: RefType) -> bool {
        match self {
            TypeInfo::Any => true,
            TypeInfo::Value(_) | TypeInfo::Opaque => false,
            TypeInfo::Ref { id, .. } if *id != 0 => *id == type_id,
            TypeInfo::Ref { name, .. } => {
                r#ref::lookup_type(type_id).is_some_and(|d| d.name() == name.as_bytes())
            }
        }
    }

    /// The element type of a list allocated with this type.
    fn element_type(&self) -> Option<TypeDef> {
        match self {
            TypeInfo::Value(v) => Some(TypeDef::value(*v)),
            TypeInfo::Ref { name, id } => {
                let id = if *id != 0 {
                    *id
                } else {
                    r#ref::lookup_type_by_name(name.as_bytes()).map_or(0, |d| d.type_id())
                };
                (id != 0).then(|| TypeDef::of_ref(id))
            }
            TypeInfo::Any | TypeInfo::Opaque => None,
        }
    }
}

/// An import as the context resolved it.
#[derive(Debug)]
pub struct ResolvedImport {
    pub function: Function,
    /// The callee module's state, once a call has looked it up (null
    /// before). It cannot change: the importing state and the callee's
    /// belong to the same context for as long as they live. Remembering it
    /// spares every later call the context's lookup, and its lock.
    pub callee_state: std::sync::atomic::AtomicPtr<std::ffi::c_void>,
}

impl ResolvedImport {
    pub fn new(function: Function) -> Self {
        ResolvedImport {
            function,
            callee_state: std::sync::atomic::AtomicPtr::new(std::ptr::null_mut()),
        }
    }
}

/// Services for one run of the interpreter inside a module state.
pub struct VmHost<'a> {
    /// The invocation stack, when the run happens inside a call (module
    /// initializers run at state creation have none and cannot call out).
    pub stack: Option<&'a mut Stack>,
    pub imports: &'a [Option<ResolvedImport>],
    /// Calling conventions of the imports as the module declares them.
    pub import_cconvs: &'a [String],
    /// The same, parsed once (`None`: malformed).
    pub import_shapes: &'a [Option<Cconv>],
    pub rodata: &'a [Ref],
    pub types: &'a [TypeInfo],
}

fn bits_elem(elem: Elem) -> ValueType {
    match elem {
        Elem::I32 => ValueType::I32,
        Elem::I64 => ValueType::I64,
        Elem::F32 => ValueType::F32,
        Elem::F64 => ValueType::F64,
    }
}

fn list(r: &Ref) -> Result<&List> {
    List::from_ref(r)
}

fn buf(r: &Ref) -> Result<&Buffer> {
    Buffer::from_ref(r)
}

/// Byte range of `count` elements of `size` bytes at element `offset`,
/// bounds-checked with the reference runtime's wording.
fn element_range(b: &Buffer, offset: u64, count: u64, size: usize) -> Result<(usize, usize)> {
    let size64 = size as u64;
    let start = offset.checked_mul(size64);
    let length = count.checked_mul(size64);
    match (start, length) {
        (Some(s), Some(l)) if s.checked_add(l).is_some_and(|e| e <= b.len() as u64) => {
            Ok((s as usize, l as usize))
        }
        _ => Err(iree_err!(
            OutOfRange,
            "out-of-bounds access detected (offset={}, length={}, alignment={}, buffer length={})",
            offset.wrapping_mul(size64),
            count.wrapping_mul(size64),
            size,
            b.len()
        )),
    }
}

fn byte_range(b: &Buffer, offset: u64, length: u64) -> Result<(usize, usize)> {
    element_range(b, offset, length, 1)
}

/// Packs flattened argument values by a (possibly variadic) fragment.
/// Refs are written borrowed: `values` keeps them alive during the call.
pub fn pack_borrowed(
    fragment: &[u8],
    values: &[RegisterValue<Ref>],
    segments: Option<&[i32]>,
) -> Result<Vec<u8>> {
    // An upper bound (no value packs to more than a ref; each span adds a
    // count), so the buffer never grows while packing.
    let mut out = Vec::with_capacity(values.len() * REF_SIZE + 4 * fragment.len());
    let mut next = values.iter();
    let mut put = |c: u8, out: &mut Vec<u8>| -> Result<()> {
        let v = next
            .next()
            .ok_or_else(|| iree_err!(InvalidArgument, "too few arguments for import"))?;
        match (c, v) {
            (b'i' | b'f', RegisterValue::I32(x)) => out.extend_from_slice(&x.to_le_bytes()),
            (b'I' | b'F', RegisterValue::I64(x)) => out.extend_from_slice(&x.to_le_bytes()),
            (b'r', RegisterValue::Ref(r)) => {
                let raw = r.as_raw();
                out.extend_from_slice(&(raw.ptr as usize).to_le_bytes());
                out.extend_from_slice(&raw.bits.to_le_bytes());
                out.extend_from_slice(&[0u8; REF_SIZE - 12]);
            }
            (c, _) => iree_bail!(
                InvalidArgument,
                "import argument does not match cconv type '{}'",
                c as char
            ),
        }
        Ok(())
    };
    let mut i = 0;
    let mut segment = 0;
    while i < fragment.len() {
        match fragment[i] {
            b'v' => i += 1,
            b'C' => {
                let end = fragment[i..]
                    .iter()
                    .position(|&c| c == b'D')
                    .map_or(fragment.len(), |p| i + p);
                let count = segments
                    .and_then(|s| s.get(segment))
                    .copied()
                    .unwrap_or(0)
                    .max(0);
                out.extend_from_slice(&count.to_le_bytes());
                for _ in 0..count {
                    for &c in &fragment[i + 1..end] {
                        put(c, &mut out)?;
                    }
                }
                i = end + 1;
                segment += 1;
            }
            c => {
                put(c, &mut out)?;
                i += 1;
                segment += 1;
            }
        }
    }
    iree_ensure!(
        next.next().is_none(),
        InvalidArgument,
        "too many arguments for import"
    );
    Ok(out)
}

/// Calls an import with a plain (non-variadic) convention through call
/// buffers on the native stack: no allocation for small signatures. Refs
/// are passed borrowed (`args` keeps them alive during the call).
fn call_plain(
    stack: &mut Stack,
    function: Function,
    shape: &Cconv,
    sizes: PackedSizes,
    args: &[RegisterValue<Ref>],
    results: &mut Vec<RegisterValue<Ref>>,
) -> Result<()> {
    let mut arguments = CallBuffer::zeroed(sizes.args);
    {
        let out = arguments.bytes_mut();
        let mut at = 0;
        let mut next = args.iter();
        for &c in shape.args.iter() {
            let v = next
                .next()
                .ok_or_else(|| iree_err!(InvalidArgument, "too few arguments for import"))?;
            match (c, v) {
                (b'i' | b'f', RegisterValue::I32(x)) => {
                    out[at..at + 4].copy_from_slice(&x.to_le_bytes());
                    at += 4;
                }
                (b'I' | b'F', RegisterValue::I64(x)) => {
                    out[at..at + 8].copy_from_slice(&x.to_le_bytes());
                    at += 8;
                }
                (b'r', RegisterValue::Ref(r)) => {
                    let raw = r.as_raw();
                    out[at..at + 8].copy_from_slice(&(raw.ptr as usize).to_le_bytes());
                    out[at + 8..at + 12].copy_from_slice(&raw.bits.to_le_bytes());
                    at += REF_SIZE;
                }
                (c, _) => iree_bail!(
                    InvalidArgument,
                    "import argument does not match cconv type '{}'",
                    c as char
                ),
            }
        }
        iree_ensure!(
            next.next().is_none(),
            InvalidArgument,
            "too many arguments for import"
        );
    }
    let mut packed_results = CallBuffer::zeroed(sizes.results);
    let call = FunctionCall {
        function,
        arguments: arguments.span(),
        results: packed_results.span(),
    };
    stack.call(&call)?;
    // The packed results own their refs: take new references, then drop
    // the packed ones.
    let bytes = packed_results.bytes();
    let mut at = 0;
    let mut unpacked = Ok(());
    for &c in shape.results.iter() {
        match read_value(c, bytes, &mut at) {
            Ok(v) => results.push(v),
            Err(e) => {
                unpacked = Err(e);
                break;
            }
        }
    }
    cconv::release_refs(&shape.results, packed_results.bytes_mut());
    unpacked
}

/// Reads the packed element of plain type `c` (`i I f F r`) at `*at` as
/// an interpreter value (floats as bits), advancing `*at`; refs come back
/// retained.
#[inline]
pub fn read_value(c: u8, bytes: &[u8], at: &mut usize) -> Result<RegisterValue<Ref>> {
    fn word<const N: usize>(bytes: &[u8], at: &mut usize) -> Option<[u8; N]> {
        let w = bytes.get(*at..*at + N)?.try_into().ok()?;
        *at += N;
        Some(w)
    }
    let v = match c {
        b'i' | b'f' => word(bytes, at).map(|w| RegisterValue::I32(i32::from_le_bytes(w))),
        b'I' | b'F' => word(bytes, at).map(|w| RegisterValue::I64(i64::from_le_bytes(w))),
        _ => None,
    };
    match v {
        Some(v) => Ok(v),
        // Refs, short buffers and bad types: the general reader (which
        // retains refs and words its errors as it always did).
        None => match cconv::read_at(c, bytes, at)? {
            Some(a) => arg_to_value(a),
            None => Err(iree_err!(Internal, "void call element")),
        },
    }
}

/// Converts unpacked call values to interpreter values (floats as bits).
pub fn arg_to_value(a: Arg) -> Result<RegisterValue<Ref>> {
    Ok(match a {
        Arg::I32(v) => RegisterValue::I32(v),
        Arg::I64(v) => RegisterValue::I64(v),
        Arg::F32(v) => RegisterValue::I32(v.to_bits() as i32),
        Arg::F64(v) => RegisterValue::I64(v.to_bits() as i64),
        Arg::Ref(r) => RegisterValue::Ref(r),
        Arg::Span(_) => iree_bail!(
            Unimplemented,
            "variadic arguments to bytecode functions are not supported"
        ),
    })
}

/// Converts an interpreter value to a call value of cconv type `c`.
pub fn value_to_arg(c: u8, v: RegisterValue<Ref>) -> Result<Arg> {
    Ok(match (c, v) {
        (b'i', RegisterValue::I32(x)) => Arg::I32(x),
        (b'f', RegisterValue::I32(x)) => Arg::F32(f32::from_bits(x as u32)),
        (b'I', RegisterValue::I64(x)) => Arg::I64(x),
        (b'F', RegisterValue::I64(x)) => Arg::F64(f64::from_bits(x as u64)),
        (b'r', RegisterValue::Ref(r)) => Arg::Ref(r),
        (c, v) => iree_bail!(
            Internal,
            "result {:?} does not match cconv type '{}'",
            v,
            c as char
        ),
    })
}

/// Most elements a list that bytecode creates or grows may hold, and most
/// bytes a buffer it allocates may have: far beyond what programs use, and
/// small enough that a hostile module cannot make the process commit
/// unbounded memory. Host code (the C API) is not limited.
pub const MAX_GUEST_LIST_ELEMENTS: usize = 1 << 24;
pub const MAX_GUEST_BUFFER_BYTES: usize = 1 << 30;

fn guest_limit(n: usize, max: usize, what: &str) -> Result<()> {
    crate::iree_ensure!(
        n <= max,
        ResourceExhausted,
        "{} {} exceeds the {} allowed to bytecode",
        what,
        n,
        max
    );
    Ok(())
}

impl Host for VmHost<'_> {
    type Ref = Ref;

    fn is_null(r: &Ref) -> bool {
        r.is_null()
    }

    fn type_matches(&self, r: &Ref, type_ordinal: u32) -> bool {
        self.types
            .get(type_ordinal as usize)
            .is_some_and(|t| t.accepts(r.type_id()))
    }

    fn rodata(&mut self, ordinal: u32) -> Result<Ref> {
        self.rodata
            .get(ordinal as usize)
            .cloned()
            .ok_or_else(|| iree_err!(OutOfRange, "rodata ordinal {} out of range", ordinal))
    }

    fn import_resolved(&self, import: u32) -> bool {
        self.imports
            .get(import as usize)
            .is_some_and(|i| i.is_some())
    }

    fn call_import(
        &mut self,
        import: u32,
        args: &[RegisterValue<Ref>],
        segment_sizes: Option<&[i32]>,
        results: &mut Vec<RegisterValue<Ref>>,
    ) -> Result<()> {
        let Some(Some(resolved)) = self.imports.get(import as usize) else {
            iree_bail!(NotFound, "import {} is not resolved", import);
        };
        let Some(stack) = self.stack.as_deref_mut() else {
            iree_bail!(
                FailedPrecondition,
                "imports cannot be called while the module state is created"
            );
        };
        // Relaxed: the pointer is the only data, and any thread that finds
        // it set gets the same value it would look up.
        let known = resolved
            .callee_state
            .load(std::sync::atomic::Ordering::Relaxed);
        if known.is_null() {
            if let Ok(state) = stack.query_module_state(resolved.function.module) {
                resolved
                    .callee_state
                    .store(state, std::sync::atomic::Ordering::Relaxed);
            }
        } else {
            stack.remember_module_state(resolved.function.module, known);
        }
        // Calls into this library's own Rust modules (bytecode, hal):
        // no packing on either side.
        if let Some(done) =
            crate::vm::module::call_values(stack, resolved.function, args, segment_sizes, results)
        {
            return done;
        }
        if segment_sizes.is_none() {
            if let Some(Some(shape)) = self.import_shapes.get(import as usize) {
                if let Some(sizes) = shape.packed {
                    return call_plain(stack, resolved.function, shape, sizes, args, results);
                }
            }
        }
        let cconv = self
            .import_cconvs
            .get(import as usize)
            .map(String::as_str)
            .unwrap_or("");
        let (arg_fragment, result_fragment) = cconv::fragments(cconv)?;
        let mut arguments = pack_borrowed(arg_fragment.as_bytes(), args, segment_sizes)?;
        let mut packed_results = vec![0u8; cconv::fragment_size(result_fragment, None)?];
        let call = FunctionCall {
            function: resolved.function,
            arguments: iree_byte_span_t {
                data: arguments.as_mut_ptr(),
                data_length: arguments.len(),
            },
            results: iree_byte_span_t {
                data: packed_results.as_mut_ptr(),
                data_length: packed_results.len(),
            },
        };
        stack.call(&call)?;
        // The packed results own their refs: take new references, then
        // drop the packed ones.
        let unpacked = cconv::unpack(result_fragment, &packed_results);
        cconv::release_refs(result_fragment, &mut packed_results);
        for a in unpacked? {
            results.push(arg_to_value(a)?);
        }
        Ok(())
    }

    fn list_alloc(&mut self, element_type: u32, capacity: u32) -> Result<Ref> {
        let t = self
            .types
            .get(element_type as usize)
            .ok_or_else(|| iree_err!(OutOfRange, "type ordinal {} out of range", element_type))?;
        guest_limit(capacity as usize, MAX_GUEST_LIST_ELEMENTS, "list capacity")?;
        List::create(
            t.element_type(),
            capacity as usize,
            iree_allocator_t::system(),
        )
    }
    fn list_reserve(&mut self, l: &Ref, capacity: u32) -> Result<()> {
        guest_limit(capacity as usize, MAX_GUEST_LIST_ELEMENTS, "list capacity")?;
        list(l)?.reserve(capacity as usize)
    }
    fn list_size(&mut self, l: &Ref) -> Result<u32> {
        Ok(list(l)?.size() as u32)
    }
    fn list_resize(&mut self, l: &Ref, size: u32) -> Result<()> {
        guest_limit(size as usize, MAX_GUEST_LIST_ELEMENTS, "list size")?;
        list(l)?.resize(size as usize)
    }
    fn list_get_value(&mut self, l: &Ref, index: u32, elem: Elem) -> Result<u64> {
        Ok(list(l)?
            .get_value(index as usize, Some(bits_elem(elem)))?
            .bits())
    }
    fn list_set_value(&mut self, l: &Ref, index: u32, elem: Elem, bits: u64) -> Result<()> {
        let v = VmValue::from_bits(bits_elem(elem), bits)
            .ok_or_else(|| iree_err!(Internal, "bad list element kind"))?;
        list(l)?.set_value(index as usize, v)
    }
    fn list_get_ref(&mut self, l: &Ref, index: u32) -> Result<Ref> {
        list(l)?.get_ref(index as usize)
    }
    fn list_set_ref(&mut self, l: &Ref, index: u32, value: Ref) -> Result<()> {
        list(l)?.set_ref(index as usize, value)
    }

    fn buffer_alloc(&mut self, length: u64, _alignment: u32) -> Result<Ref> {
        let length = usize::try_from(length)
            .map_err(|_| iree_err!(OutOfRange, "buffer length {} too large", length))?;
        guest_limit(length, MAX_GUEST_BUFFER_BYTES, "buffer length")?;
        Buffer::create(
            buffer::ACCESS_MUTABLE | buffer::ACCESS_ORIGIN_GUEST,
            length,
            iree_allocator_t::system(),
        )
    }
    fn buffer_clone(
        &mut self,
        source: &Ref,
        offset: u64,
        length: u64,
        _alignment: u32,
    ) -> Result<Ref> {
        let b = buf(source)?;
        let (o, l) = byte_range(b, offset, length)?;
        guest_limit(l, MAX_GUEST_BUFFER_BYTES, "buffer length")?;
        b.clone_range(
            buffer::ACCESS_MUTABLE | buffer::ACCESS_ORIGIN_GUEST,
            o,
            l,
            iree_allocator_t::system(),
        )
    }
    fn buffer_length(&mut self, b: &Ref) -> Result<u64> {
        Ok(buf(b)?.len() as u64)
    }
    fn buffer_copy(
        &mut self,
        src: &Ref,
        src_offset: u64,
        dst: &Ref,
        dst_offset: u64,
        length: u64,
    ) -> Result<()> {
        let (s, d) = (buf(src)?, buf(dst)?);
        let (so, l) = byte_range(s, src_offset, length)?;
        let (doff, _) = byte_range(d, dst_offset, length)?;
        Buffer::copy_bytes(s, so, d, doff, l)
    }
    fn buffer_compare(
        &mut self,
        lhs: &Ref,
        lhs_offset: u64,
        rhs: &Ref,
        rhs_offset: u64,
        length: u64,
    ) -> Result<bool> {
        let (a, b) = (buf(lhs)?, buf(rhs)?);
        let (ao, l) = byte_range(a, lhs_offset, length)?;
        let (bo, _) = byte_range(b, rhs_offset, length)?;
        Buffer::compare_bytes(a, ao, b, bo, l)
    }
    fn buffer_fill(
        &mut self,
        b: &Ref,
        offset: u64,
        count: u64,
        size: usize,
        bits: u64,
    ) -> Result<()> {
        let b = buf(b)?;
        let (o, l) = element_range(b, offset, count, size)?;
        b.fill_elements(o, l / size.max(1), &bits.to_le_bytes()[..size])
    }
    fn buffer_load(&mut self, b: &Ref, offset: u64, size: usize) -> Result<u64> {
        let b = buf(b)?;
        let (o, _) = element_range(b, offset, 1, size)?;
        let bytes = b.read_elements(o, 1, size)?;
        let mut word = [0u8; 8];
        word[..size].copy_from_slice(&bytes);
        Ok(u64::from_le_bytes(word))
    }
    fn buffer_store(&mut self, b: &Ref, offset: u64, size: usize, bits: u64) -> Result<()> {
        let b = buf(b)?;
        let (o, _) = element_range(b, offset, 1, size)?;
        b.write_elements(o, &bits.to_le_bytes()[..size], size)
    }
    fn buffer_hash(&mut self, b: &Ref, offset: u64, length: u64) -> Result<i64> {
        let b = buf(b)?;
        let (o, l) = byte_range(b, offset, length)?;
        Ok(siphash24(&b.read(o, l)?) as i64)
    }
}

/// `vm.buffer.hash`: SipHash-2-4 keyed with the bytes 0, 1, ..., 15, which
/// is what the reference runtime computes (its results for the test
/// modules match this function bit for bit).
fn siphash24(bytes: &[u8]) -> u64 {
    let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
    let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let absorb = |v: &mut [u64; 4], m: u64| {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    };
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        absorb(&mut v, u64::from_le_bytes(word));
    }
    // The last word holds the leftover bytes and the length's low byte.
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    last[7] = bytes.len() as u8;
    absorb(&mut v, u64::from_le_bytes(last));
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(TypeInfo::parse("i32"), TypeInfo::Value(ValueType::I32));
        assert_eq!(TypeInfo::parse("!vm.opaque"), TypeInfo::Opaque);
        assert_eq!(TypeInfo::parse("!vm.ref<?>"), TypeInfo::Any);
        assert!(!TypeInfo::Opaque.accepts(crate::vm::list::type_id()));
        buffer::register_type().unwrap();
        let t = TypeInfo::parse("!vm.buffer");
        assert!(t.accepts(buffer::type_id()));
        assert!(!t.accepts(crate::vm::list::type_id()));
        match TypeInfo::parse("!vm.ref<!hal.buffer>") {
            TypeInfo::Ref { name, .. } => assert_eq!(name, "hal.buffer"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn buffer_hash_is_keyed_siphash() {
        // Published SipHash-2-4 vectors for key 00..0f and the reference
        // runtime's results for testdata modules.
        assert_eq!(siphash24(b""), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(&[0]), 0x74f8_39c5_93dc_67fd);
        assert_eq!(
            siphash24(&[1, 2, 3, 4, 5, 6, 7]) as i64,
            1575487485340961045
        );
        assert_eq!(siphash24(&[0; 16]) as i64, -7448720958068263167);
    }

    #[test]
    fn packs_variadic_spans() {
        let vals = [
            RegisterValue::I32(1),
            RegisterValue::I32(2),
            RegisterValue::I32(3),
            RegisterValue::I64(9),
        ];
        let bytes = pack_borrowed(b"iCiDI", &vals, Some(&[1, 2, 1])).unwrap();
        assert_eq!(bytes.len(), 4 + 4 + 8 + 8);
        assert_eq!(&bytes[4..8], &2i32.to_le_bytes());
        assert!(pack_borrowed(b"ii", &vals[..1], None).is_err());
    }
}
