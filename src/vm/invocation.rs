//! Synchronous invocation: marshals an input list into the callee's packed
//! argument buffer, runs the call on a fresh stack bound to the context and
//! marshals the packed results into the output list.

use crate::capi::base::allocator::{iree_allocator_t, iree_byte_span_t};
use crate::vm::cconv::{self, Arg};
use crate::vm::context::Context;
use crate::vm::interface::{Function, FunctionCall};
use crate::vm::list::List;
use crate::vm::module::CModule;
use crate::vm::stack::{Stack, DEFAULT_SIZE};
use crate::vm::value::{Value, ValueType};
use crate::{iree_bail, iree_ensure, Result};

fn expected_count(fragment: &str) -> usize {
    if fragment.starts_with('v') {
        0
    } else {
        fragment.len()
    }
}

fn marshal_inputs(fragment: &str, inputs: Option<&List>) -> Result<Vec<u8>> {
    let expected = expected_count(fragment);
    let Some(inputs) = inputs else {
        iree_ensure!(
            expected == 0,
            InvalidArgument,
            "no input provided to a function that has inputs"
        );
        return Ok(Vec::new());
    };
    iree_ensure!(
        inputs.size() == expected,
        InvalidArgument,
        "input list and function mismatch; expected {} arguments but passed {}",
        expected,
        inputs.size()
    );
    let mut args = Vec::with_capacity(expected);
    for (i, c) in fragment.bytes().enumerate().take(expected) {
        args.push(match c {
            b'i' => match inputs.get_value(i, Some(ValueType::I32))? {
                Value::I32(v) => Arg::I32(v),
                _ => Arg::I32(0),
            },
            b'I' => match inputs.get_value(i, Some(ValueType::I64))? {
                Value::I64(v) => Arg::I64(v),
                _ => Arg::I64(0),
            },
            b'f' => match inputs.get_value(i, Some(ValueType::F32))? {
                Value::F32(v) => Arg::F32(v),
                _ => Arg::F32(0.0),
            },
            b'F' => match inputs.get_value(i, Some(ValueType::F64))? {
                Value::F64(v) => Arg::F64(v),
                _ => Arg::F64(0.0),
            },
            b'r' => Arg::Ref(inputs.get_ref(i)?),
            other => iree_bail!(
                InvalidArgument,
                "unsupported argument type '{}'",
                other as char
            ),
        });
    }
    cconv::pack(fragment, args)
}

fn marshal_outputs(fragment: &str, results: &[u8], outputs: Option<&List>) -> Result<()> {
    let values = cconv::unpack(fragment, results)?;
    let Some(outputs) = outputs else {
        iree_ensure!(
            values.is_empty(),
            InvalidArgument,
            "no output provided to a function that has outputs"
        );
        return Ok(());
    };
    outputs.resize(0)?;
    outputs.resize(values.len())?;
    for (i, v) in values.into_iter().enumerate() {
        match v {
            Arg::I32(x) => outputs.set_value(i, Value::I32(x))?,
            Arg::I64(x) => outputs.set_value(i, Value::I64(x))?,
            Arg::F32(x) => outputs.set_value(i, Value::F32(x))?,
            Arg::F64(x) => outputs.set_value(i, Value::F64(x))?,
            Arg::Ref(r) => outputs.set_ref(i, r)?,
            Arg::Span(_) => iree_bail!(
                Unimplemented,
                "variadic results are not supported by invoke"
            ),
        }
    }
    Ok(())
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
    let cconv = String::from_utf8_lossy(unsafe { cconv_view.as_bytes() }).into_owned();
    // As the reference: a list carries no segment sizes for the spans.
    iree_ensure!(
        !cconv::is_variadic(&cconv),
        InvalidArgument,
        "variadic argument found but segment size list is missing/underflowed"
    );
    let (arg_fragment, result_fragment) = cconv::fragments(&cconv)?;
    let mut arguments = marshal_inputs(arg_fragment, inputs)?;
    let mut results = vec![0u8; cconv::fragment_size(result_fragment, None)?];

    let mut storage = [0u8; DEFAULT_SIZE];
    // SAFETY: `storage` outlives `stack` (dropped at the end of this scope).
    let mut stack = unsafe {
        Stack::new(
            storage.as_mut_ptr(),
            storage.len(),
            flags,
            context.state_resolver(),
            allocator,
        )
    };
    let call = FunctionCall {
        function,
        arguments: iree_byte_span_t {
            data: arguments.as_mut_ptr(),
            data_length: arguments.len(),
        },
        results: iree_byte_span_t {
            data: results.as_mut_ptr(),
            data_length: results.len(),
        },
    };
    let outcome = stack.call(&call);
    drop(stack);
    cconv::release_refs(arg_fragment, &mut arguments);
    match outcome {
        Ok(()) => {
            let marshalled = marshal_outputs(result_fragment, &results, outputs);
            cconv::release_refs(result_fragment, &mut results);
            marshalled
        }
        Err(e) => {
            cconv::release_refs(result_fragment, &mut results);
            Err(e)
        }
    }
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
