//! Synchronous invocation: marshals an input list into the callee's packed
//! argument buffer, runs the call on a fresh stack bound to the context and
//! marshals the packed results into the output list.
//!
//! The steady-state path allocates nothing: the calling convention is read
//! in place, call buffers are inline, the stack carves its frames out of
//! (uninitialized) local storage and results go straight into the list.

use std::mem::MaybeUninit;

use crate::abi::iree_allocator_t;
use crate::vm::cconv::{self, Arg, CallBuffer};
use crate::vm::context::Context;
use crate::vm::interface::{Function, FunctionCall};
use crate::vm::list::List;
use crate::vm::module::CModule;
use crate::vm::stack::{Stack, DEFAULT_SIZE};
use crate::vm::value::{Value, ValueType, Variant};
use crate::{iree_bail, iree_ensure, iree_err, Result};

fn expected_count(fragment: &[u8]) -> usize {
    if fragment.first() == Some(&b'v') {
        0
    } else {
        fragment.len()
    }
}

/// A fragment taken from a `&str` convention, as text (for the general
/// cconv helpers and messages).
fn text(fragment: &[u8]) -> &str {
    std::str::from_utf8(fragment).unwrap_or("")
}

/// A convention made only of plain element types, split without further
/// checks, with the packed size of its results.
struct Plain<'a> {
    args: &'a [u8],
    results: &'a [u8],
    result_bytes: usize,
}

/// `None` sends anything but a plain convention down the general path
/// (which reports errors as it always did).
fn plain_fragments(cconv: &[u8]) -> Option<Plain<'_>> {
    let body = cconv.strip_prefix(b"0")?;
    let mut split = None;
    let mut result_bytes = 0;
    for (i, &c) in body.iter().enumerate() {
        let size = match c {
            b'v' => 0,
            b'i' | b'f' => 4,
            b'I' | b'F' => 8,
            b'r' => cconv::REF_SIZE,
            b'_' if split.is_none() => {
                split = Some(i);
                continue;
            }
            _ => return None,
        };
        if split.is_some() {
            result_bytes += size;
        }
    }
    let (args, results) = match split {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, &body[body.len()..]),
    };
    // A `v` is only plain as the whole argument list.
    if args.contains(&b'v') && !args.iter().all(|&c| c == b'v') {
        return None;
    }
    Some(Plain {
        args,
        results,
        result_bytes,
    })
}

/// Checks the input list against `fragment`; returns the packed size.
fn input_size(fragment: &[u8], inputs: Option<&List>) -> Result<usize> {
    let expected = expected_count(fragment);
    let Some(inputs) = inputs else {
        iree_ensure!(
            expected == 0,
            InvalidArgument,
            "no input provided to a function that has inputs"
        );
        return Ok(0);
    };
    iree_ensure!(
        inputs.size() == expected,
        InvalidArgument,
        "input list and function mismatch; expected {} arguments but passed {}",
        expected,
        inputs.size()
    );
    if expected == 0 {
        // `v` (or nothing): anything after a leading `v` fails to pack.
        if !fragment.iter().all(|&c| c == b'v') {
            cconv::pack(text(fragment), Vec::new())?;
        }
        return Ok(0);
    }
    Ok(fragment
        .iter()
        .map(|&c| cconv::element_size(c).unwrap_or(0))
        .sum())
}

/// Packs the input list by `fragment` straight into `buffer` (sized by
/// [`input_size`]); refs are retained into it (released after the call).
fn marshal_inputs(fragment: &[u8], inputs: Option<&List>, buffer: &mut [u8]) -> Result<()> {
    let Some(inputs) = inputs.filter(|_| expected_count(fragment) > 0) else {
        return Ok(());
    };
    let mut at = 0;
    for (i, &c) in fragment.iter().enumerate() {
        let arg = match c {
            b'i' => inputs
                .get_value(i, Some(ValueType::I32))
                .map(|v| Arg::I32(if let Value::I32(v) = v { v } else { 0 })),
            b'I' => inputs
                .get_value(i, Some(ValueType::I64))
                .map(|v| Arg::I64(if let Value::I64(v) = v { v } else { 0 })),
            b'f' => inputs
                .get_value(i, Some(ValueType::F32))
                .map(|v| Arg::F32(if let Value::F32(v) = v { v } else { 0.0 })),
            b'F' => inputs
                .get_value(i, Some(ValueType::F64))
                .map(|v| Arg::F64(if let Value::F64(v) = v { v } else { 0.0 })),
            b'r' => inputs.get_ref(i).map(Arg::Ref),
            other => Err(iree_err!(
                InvalidArgument,
                "unsupported argument type '{}'",
                other as char
            )),
        }
        .and_then(|arg| cconv::write_at(buffer, &mut at, c, arg));
        if let Err(e) = arg {
            cconv::release_refs(&fragment[..i], buffer);
            return Err(e);
        }
    }
    Ok(())
}

/// The `N` bytes at `*at` (advancing it).
#[inline]
fn word<const N: usize>(bytes: &[u8], at: &mut usize) -> Result<[u8; N]> {
    let end = *at + N;
    let word = bytes
        .get(*at..end)
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .ok_or_else(|| {
            iree_err!(
                OutOfRange,
                "call buffer too small ({} < {})",
                bytes.len(),
                end
            )
        })?;
    *at = end;
    Ok(word)
}

/// Results of primitive types decoded on the native stack.
const INLINE_RESULTS: usize = 16;

/// Stores the packed results into the output list (refs are retained into
/// it; the caller releases the packed ones). `fragment` has passed
/// `fragment_size`: every element is plain and `results` holds them all.
fn marshal_outputs(fragment: &[u8], results: &[u8], outputs: Option<&List>) -> Result<()> {
    let Some(outputs) = outputs else {
        iree_ensure!(
            fragment.iter().all(|&c| c == b'v'),
            InvalidArgument,
            "no output provided to a function that has outputs"
        );
        return Ok(());
    };
    let mut at = 0;
    {
        // Primitives only (the common case): decode them all on the
        // native stack, then store them in one go.
        let mut values = [Value::I32(0); INLINE_RESULTS];
        let mut count = 0;
        let mut primitive = true;
        for &c in fragment {
            let value = match c {
                b'v' => continue,
                b'i' => Value::I32(i32::from_le_bytes(word(results, &mut at)?)),
                b'f' => Value::F32(f32::from_le_bytes(word(results, &mut at)?)),
                b'I' => Value::I64(i64::from_le_bytes(word(results, &mut at)?)),
                b'F' => Value::F64(f64::from_le_bytes(word(results, &mut at)?)),
                _ => {
                    primitive = false;
                    break;
                }
            };
            let Some(slot) = values.get_mut(count) else {
                primitive = false;
                break;
            };
            *slot = value;
            count += 1;
        }
        if primitive {
            return outputs.assign_values(&values[..count]);
        }
    }
    at = 0;
    let count = fragment.iter().filter(|&&c| c != b'v').count();
    let mut types = fragment.iter().copied().filter(|&c| c != b'v');
    outputs.assign(count, |_| {
        let c = types.next().unwrap_or(b'v');
        // Primitives are decoded in place (the common case); refs go
        // through the general reader, which retains them.
        Ok(match c {
            b'i' => Variant::Value(Value::I32(i32::from_le_bytes(word(results, &mut at)?))),
            b'f' => Variant::Value(Value::F32(f32::from_le_bytes(word(results, &mut at)?))),
            b'I' => Variant::Value(Value::I64(i64::from_le_bytes(word(results, &mut at)?))),
            b'F' => Variant::Value(Value::F64(f64::from_le_bytes(word(results, &mut at)?))),
            _ => match cconv::read_at(c, results, &mut at)? {
                Some(Arg::Ref(r)) => Variant::Ref(r),
                _ => iree_bail!(
                    Unimplemented,
                    "variadic results are not supported by invoke"
                ),
            },
        })
    })
}

/// Calls `function` with `inputs`, storing results into `outputs`.
pub fn invoke(
    context: &Context,
    function: Function,
    flags: u32,
    inputs: Option<&List>,
    outputs: Option<&List>,
    allocator: iree_allocator_t,
) -> Result<()> {
    iree_ensure!(!function.is_null(), InvalidArgument, "function is null");
    // SAFETY: function handles name live modules (API contract).
    let module = unsafe { CModule::retain(function.module) }?;
    let (_, _, cconv_view) =
        module.get_function_raw(function.linkage as u32, function.ordinal as usize)?;
    // SAFETY: module strings stay valid while we hold the module.
    let cconv_bytes = unsafe { cconv_view.as_bytes() };
    if let Some(plain) = plain_fragments(cconv_bytes) {
        return invoke_fragments(
            context,
            function,
            flags,
            (plain.args, plain.results, Some(plain.result_bytes)),
            inputs,
            outputs,
            allocator,
        );
    }
    let lossy;
    let cconv = match std::str::from_utf8(cconv_bytes) {
        Ok(s) => s,
        Err(_) => {
            lossy = String::from_utf8_lossy(cconv_bytes).into_owned();
            lossy.as_str()
        }
    };
    // As the reference: a list carries no segment sizes for the spans.
    iree_ensure!(
        !cconv::is_variadic(cconv),
        InvalidArgument,
        "variadic argument found but segment size list is missing/underflowed"
    );
    let (args, results) = cconv::fragments(cconv)?;
    invoke_fragments(
        context,
        function,
        flags,
        (args.as_bytes(), results.as_bytes(), None),
        inputs,
        outputs,
        allocator,
    )
}

/// The rest of [`invoke`] once the convention is split into argument and
/// result fragments (with the packed result size, when known).
fn invoke_fragments(
    context: &Context,
    function: Function,
    flags: u32,
    (arg_fragment, result_fragment, result_bytes): (&[u8], &[u8], Option<usize>),
    inputs: Option<&List>,
    outputs: Option<&List>,
    allocator: iree_allocator_t,
) -> Result<()> {
    let mut arguments = CallBuffer::zeroed(input_size(arg_fragment, inputs)?);
    marshal_inputs(arg_fragment, inputs, arguments.bytes_mut())?;
    let result_size = match result_bytes {
        Some(size) => Ok(size),
        None => cconv::fragment_size(text(result_fragment), None),
    };
    let mut results = match result_size {
        Ok(size) => CallBuffer::zeroed(size),
        Err(e) => {
            cconv::release_refs(arg_fragment, arguments.bytes_mut());
            return Err(e);
        }
    };
    let call = FunctionCall {
        function,
        arguments: arguments.span(),
        results: results.span(),
    };
    let outcome = {
        // Frames are zeroed as they are carved, so the storage needs no
        // initialization of its own.
        let mut storage = MaybeUninit::<[u8; DEFAULT_SIZE]>::uninit();
        // SAFETY: `storage` outlives `stack` (dropped at the end of this
        // block).
        let mut stack = unsafe {
            Stack::new(
                storage.as_mut_ptr() as *mut u8,
                DEFAULT_SIZE,
                flags,
                context.state_resolver(),
                allocator,
            )
        };
        stack.call(&call)
    };
    cconv::release_refs(arg_fragment, arguments.bytes_mut());
    let marshalled =
        outcome.and_then(|()| marshal_outputs(result_fragment, results.bytes(), outputs));
    cconv::release_refs(result_fragment, results.bytes_mut());
    marshalled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::cconv::{pack, unpack};
    use crate::vm::instance::Instance;
    use crate::vm::interface::ModuleSignature;
    use crate::vm::module::{
        export_module, CModule, Call, FunctionInfo, Linkage, Module, ModuleState,
    };
    use crate::vm::r#ref::Ref;
    use std::sync::Arc;

    /// `adder.add(iI)->I`, `adder.count()->i` (per-context state), and
    /// `adder.wrap(r)->r` which returns its ref argument.
    struct Adder;

    const EXPORTS: [(&str, &str); 3] = [("add", "0iI_I"), ("count", "0v_i"), ("wrap", "0r_r")];

    impl Module for Adder {
        fn name(&self) -> &str {
            "adder"
        }
        fn signature(&self) -> ModuleSignature {
            ModuleSignature {
                import_function_count: 0,
                export_function_count: EXPORTS.len(),
                internal_function_count: EXPORTS.len(),
            }
        }
        fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
            let (name, cconv) = EXPORTS
                .get(ordinal)
                .ok_or_else(|| crate::iree_err!(OutOfRange, "no function"))?;
            Ok(FunctionInfo {
                name,
                calling_convention: cconv,
                linkage,
            })
        }
        fn lookup_function(&self, _linkage: Linkage, name: &str) -> Result<usize> {
            EXPORTS
                .iter()
                .position(|(n, _)| *n == name)
                .ok_or_else(|| crate::iree_err!(NotFound, "no {}", name))
        }
        fn alloc_state(&self) -> Result<ModuleState> {
            Ok(Box::new(0i32))
        }
        fn begin_call(
            &self,
            _stack: &mut Stack,
            state: &mut ModuleState,
            call: Call<'_>,
        ) -> Result<()> {
            let count = state.downcast_mut::<i32>().unwrap();
            *count += 1;
            let (args, results) = cconv::fragments(EXPORTS[call.function.ordinal as usize].1)?;
            let out = match (
                call.function.ordinal,
                unpack(args, call.arguments)?.as_slice(),
            ) {
                (0, [Arg::I32(a), Arg::I64(b)]) => vec![Arg::I64(*a as i64 + b)],
                (1, []) => vec![Arg::I32(*count)],
                (2, [Arg::Ref(r)]) => vec![Arg::Ref(r.clone())],
                _ => crate::iree_bail!(InvalidArgument, "bad call"),
            };
            let bytes = pack(results, out)?;
            call.results[..bytes.len()].copy_from_slice(&bytes);
            Ok(())
        }
    }

    #[test]
    fn rust_module_through_c_table_and_invoke() {
        let table = export_module(Box::new(Adder));
        // SAFETY: `table` is live; the adapter takes its own reference.
        let module = unsafe { CModule::retain(table) }.unwrap();
        // SAFETY: drop the creation reference; `module` keeps it alive.
        unsafe { crate::vm::module::module_release(table) };
        assert_eq!(module.name(), "adder");
        assert_eq!(
            module
                .function(Linkage::Export, 0)
                .unwrap()
                .calling_convention,
            "0iI_I"
        );

        let instance = Arc::new(Instance::new(iree_allocator_t::system()).unwrap());
        let context = Context::new(instance, 0, iree_allocator_t::system());
        context
            .register_modules(std::slice::from_ref(&module))
            .unwrap();
        let add = context.resolve_function(b"adder.add").unwrap();
        let inputs = List::create(None, 2, iree_allocator_t::system()).unwrap();
        let outputs = List::create(None, 1, iree_allocator_t::system()).unwrap();
        let (i, o) = (
            List::from_ref(&inputs).unwrap(),
            List::from_ref(&outputs).unwrap(),
        );
        i.push_value(Value::I32(2)).unwrap();
        i.push_value(Value::I64(40)).unwrap();
        invoke(
            &context,
            add,
            0,
            Some(i),
            Some(o),
            iree_allocator_t::system(),
        )
        .unwrap();
        assert_eq!(o.get_value(0, None).unwrap(), Value::I64(42));

        // Refs go in borrowed and come back owned by the output list.
        let wrap = context.resolve_function(b"adder.wrap").unwrap();
        let payload = List::create(None, 0, iree_allocator_t::system()).unwrap();
        let w_in = List::create(None, 1, iree_allocator_t::system()).unwrap();
        List::from_ref(&w_in)
            .unwrap()
            .push_ref(payload.clone())
            .unwrap();
        invoke(
            &context,
            wrap,
            0,
            List::from_ref(&w_in).ok(),
            Some(o),
            iree_allocator_t::system(),
        )
        .unwrap();
        let back: Ref = o.get_ref(0).unwrap();
        assert_eq!(back, payload);
        // payload, w_in, the output list and `back` hold it.
        assert_eq!(List::from_ref(&payload).unwrap().ref_count(), 4);
        drop(back);

        let count = context.resolve_function(b"adder.count").unwrap();
        invoke(
            &context,
            count,
            0,
            None,
            Some(o),
            iree_allocator_t::system(),
        )
        .unwrap();
        assert_eq!(o.get_value(0, None).unwrap(), Value::I32(3));
        assert!(context.resolve_function(b"adder.nope").is_err());
        assert!(invoke(&context, add, 0, None, Some(o), iree_allocator_t::system()).is_err());
    }
}
