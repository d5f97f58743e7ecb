//! Models: the bytes of an IREE module compiled with the TFLite bindings,
//! and what it says about its tensors.

use std::path::Path;
use std::sync::Arc;

use crate::base::internal::file_mapping::MappedFile;
use crate::tflite::sidecar::{Sidecar, TensorSpec};
use crate::tflite::types::{QuantizationParams, TensorType};
use crate::tflite::{convert, tflite_file};
use crate::vm::bytecode::module::ModuleBytes;
use crate::vm::bytecode::module_def::ModuleDef;
use crate::{iree_bail, iree_err, Result};

/// The entry point the TFLite bindings export, and its shape functions.
pub const MAIN: &str = "_tflite_main";
pub const QUERY_INPUT_SHAPE: &str = "_tflite_main_query_input_shape";
pub const RESIZE_INPUT_SHAPE: &str = "_tflite_main_resize_input_shape";
pub const QUERY_OUTPUT_SHAPE: &str = "_tflite_main_query_output_shape";

const COMPILE_HINT: &str = "compile the model with `iree-compile --iree-native-bindings-support=false --iree-tflite-bindings-support` (tools/gen-tflite-capi-testdata.sh shows the whole conversion from .tflite)";

/// A loaded model: shared by the interpreters made from it, which keep it
/// alive (so a model may be deleted right after creating one).
pub struct Model {
    bytes: Arc<dyn ModuleBytes>,
    module_name: String,
    inputs: Vec<TensorSpec>,
    outputs: Vec<TensorSpec>,
}

impl Model {
    /// A model from bytes in memory (kept by the model); `sidecar` gives
    /// the tensors' types and quantization when the caller has it.
    pub fn from_bytes(bytes: Arc<dyn ModuleBytes>, sidecar: Option<Sidecar>) -> Result<Model> {
        let data = bytes.bytes();
        if tflite_file::is_tflite(data) {
            // Compiled (or found in the cache) and loaded from there.
            return Model::from_file(&convert::compiled_module(data)?);
        }
        let def = ModuleDef::parse(data).map_err(|e| {
            e.annotate(format!(
                "the model is not a valid IREE bytecode module ({} bytes)",
                data.len()
            ))
        })?;
        let export = |name: &str| {
            def.exports
                .iter()
                .position(|e| e.name == name)
                .ok_or_else(|| {
                    iree_err!(
                        InvalidArgument,
                        "module '{}' exports no `{name}`: it was not compiled with the TFLite bindings; {COMPILE_HINT}",
                        def.name
                    )
                })
        };
        let main = export(MAIN)?;
        for name in [QUERY_INPUT_SHAPE, RESIZE_INPUT_SHAPE, QUERY_OUTPUT_SHAPE] {
            export(name)?;
        }
        let signature = def
            .export_signature(main)
            .ok_or_else(|| iree_err!(InvalidArgument, "`{MAIN}` has no signature"))?;
        let (input_count, output_count) = ref_counts(signature.cconv.as_deref().unwrap_or(""))?;
        let names = signature
            .attrs
            .iter()
            .find(|a| a.key == "tfl.io.names")
            .map(|a| a.value.split(';').map(str::to_owned).collect::<Vec<_>>());
        let name_of = |i: usize, default: String| {
            names
                .as_ref()
                .filter(|n| n.len() == input_count + output_count)
                .map_or(default, |n| n[i].clone())
        };
        let plain = |name: String| TensorSpec {
            name,
            tensor_type: TensorType::Float32,
            quantization: QuantizationParams::default(),
            shape: None,
        };
        let mut inputs: Vec<TensorSpec> = (0..input_count)
            .map(|i| plain(name_of(i, format!("arg{i}"))))
            .collect();
        let mut outputs: Vec<TensorSpec> = (0..output_count)
            .map(|i| plain(name_of(input_count + i, format!("ret{i}"))))
            .collect();
        if let Some(sidecar) = sidecar {
            if sidecar.inputs.len() != input_count || sidecar.outputs.len() != output_count {
                iree_bail!(
                    InvalidArgument,
                    "the tensor sidecar describes {} inputs and {} outputs; the module has {input_count} and {output_count}",
                    sidecar.inputs.len(),
                    sidecar.outputs.len()
                );
            }
            merge(&mut inputs, sidecar.inputs);
            merge(&mut outputs, sidecar.outputs);
        }
        Ok(Model {
            module_name: def.name.clone(),
            bytes,
            inputs,
            outputs,
        })
    }

    /// Maps the `.vmfb` at `path` (not copied) and reads its sidecar
    /// (`<path>.tensors.tsv`) when there is one.
    pub fn from_file(path: &Path) -> Result<Model> {
        let annotate = |e: crate::Error| e.annotate(format!("loading model '{}'", path.display()));
        let mapped = MappedFile::open(path).map_err(annotate)?;
        let sidecar = Sidecar::load_for(path).map_err(annotate)?;
        Model::from_bytes(Arc::new(mapped), sidecar).map_err(annotate)
    }

    pub fn bytes(&self) -> &Arc<dyn ModuleBytes> {
        &self.bytes
    }

    pub fn module_name(&self) -> &str {
        &self.module_name
    }

    pub fn inputs(&self) -> &[TensorSpec] {
        &self.inputs
    }

    pub fn outputs(&self) -> &[TensorSpec] {
        &self.outputs
    }
}

/// Types and quantization from the sidecar; its names only where the
/// module has none of its own (`argN`/`retN`).
fn merge(specs: &mut [TensorSpec], sidecar: Vec<TensorSpec>) {
    for (spec, side) in specs.iter_mut().zip(sidecar) {
        let default_name = spec.name.starts_with("arg") || spec.name.starts_with("ret");
        if default_name && !side.name.is_empty() {
            spec.name = side.name;
        }
        spec.tensor_type = side.tensor_type;
        spec.quantization = side.quantization;
        spec.shape = side.shape;
    }
}

/// The argument and result counts of `_tflite_main`'s calling convention
/// (`0rr_r`: every argument and result is a `!hal.buffer`).
fn ref_counts(cconv: &str) -> Result<(usize, usize)> {
    let body = cconv
        .strip_prefix('0')
        .ok_or_else(|| iree_err!(InvalidArgument, "`{MAIN}` has calling convention '{cconv}'"))?;
    let (args, results) = body.split_once('_').unwrap_or((body, ""));
    // `v` spells an empty list.
    let (args, results) = (
        args.trim_start_matches('v'),
        results.trim_start_matches('v'),
    );
    let all_refs = |s: &str| s.bytes().all(|b| b == b'r');
    if !all_refs(args) || !all_refs(results) {
        iree_bail!(
            InvalidArgument,
            "`{MAIN}` takes or returns values other than buffers (calling convention '{cconv}')"
        );
    }
    Ok((args.len(), results.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calling_conventions_give_counts() {
        assert_eq!(ref_counts("0rr_r").unwrap(), (2, 1));
        assert_eq!(ref_counts("0v_rrr").unwrap(), (0, 3));
        assert!(ref_counts("0ri_r").is_err());
        assert!(ref_counts("").is_err());
    }

    #[test]
    fn rejects_what_is_not_a_tflite_module() {
        let e = Model::from_bytes(Arc::new(vec![1u8; 10]), None)
            .err()
            .unwrap();
        assert!(
            e.to_string().contains("not a valid IREE bytecode module"),
            "{e}"
        );
    }
}
