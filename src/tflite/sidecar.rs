//! The sidecar file: what the `.tflite` said about each input and output
//! (name, element type, quantization) that the compiled module cannot
//! carry. tools/gen-tflite-capi-testdata.sh writes it next to the `.vmfb`
//! as `<file>.tensors.tsv`, one tab-separated line a tensor, its shape
//! with `-1` for dynamic dimensions (empty for a scalar):
//!
//! ```text
//! # direction  index  name  type  scale  zero_point  shape
//! input   0  input_1      int8     0.5  -3  1,3,40
//! output  0  Identity     float32  0    0   -1,4
//! ```
//!
//! The shapes of outputs matter: the 3.13 compiler's
//! `_tflite_main_query_output_shape` recomputes shapes through a copy of
//! the model that asserts on placeholder (null) buffers, which fails for
//! most real models, so static output shapes come from here.

use std::path::{Path, PathBuf};

use crate::tflite::types::{QuantizationParams, TensorType};
use crate::{iree_bail, iree_err, Result};

/// One tensor as the sidecar describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorSpec {
    pub name: String,
    pub tensor_type: TensorType,
    pub quantization: QuantizationParams,
    /// The shape in the `.tflite` (`-1`: dynamic); `None` when unknown.
    pub shape: Option<Vec<i32>>,
}

/// The inputs and outputs of a sidecar file, in index order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sidecar {
    pub inputs: Vec<TensorSpec>,
    pub outputs: Vec<TensorSpec>,
}

/// Where the sidecar of the module file at `module_path` lives.
pub fn path_for(module_path: &Path) -> PathBuf {
    let mut name = module_path.as_os_str().to_owned();
    name.push(".tensors.tsv");
    PathBuf::from(name)
}

impl Sidecar {
    /// Reads the sidecar next to `module_path`; `None` when there is none.
    pub fn load_for(module_path: &Path) -> Result<Option<Sidecar>> {
        let path = path_for(module_path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => iree_bail!(
                Unavailable,
                "reading the tensor sidecar '{}': {e}",
                path.display()
            ),
        };
        Sidecar::parse(&text)
            .map(Some)
            .map_err(|e| e.annotate(format!("in the tensor sidecar '{}'", path.display())))
    }

    /// Parses sidecar text; every index of each direction must appear
    /// once, counting from 0.
    pub fn parse(text: &str) -> Result<Sidecar> {
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for (number, line) in text.lines().enumerate() {
            // Not trim_end: a scalar's shape is an empty last field.
            let line = line.trim_end_matches(['\r', ' ']);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |what: &str| {
                iree_err!(
                    InvalidArgument,
                    "line {}: {what} (expected `direction index name type scale zero_point shape`)",
                    number + 1
                )
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let [direction, index, name, tensor_type, scale, zero_point, shape] = fields[..] else {
                return Err(bad(&format!("{} fields", fields.len())));
            };
            let list = match direction {
                "input" => &mut inputs,
                "output" => &mut outputs,
                other => return Err(bad(&format!("unknown direction '{other}'"))),
            };
            let index: usize = index.parse().map_err(|_| bad("bad index"))?;
            let spec = TensorSpec {
                name: name.to_owned(),
                tensor_type: TensorType::parse(tensor_type)
                    .map_err(|e| e.annotate(format!("line {}", number + 1)))?,
                quantization: QuantizationParams {
                    scale: scale.parse().map_err(|_| bad("bad scale"))?,
                    zero_point: zero_point.parse().map_err(|_| bad("bad zero point"))?,
                },
                shape: Some(parse_shape(shape).ok_or_else(|| bad("bad shape"))?),
            };
            if index != list.len() {
                return Err(bad(&format!(
                    "{direction} {index} where {direction} {} comes next",
                    list.len()
                )));
            }
            list.push((index, spec));
        }
        let strip = |v: Vec<(usize, TensorSpec)>| v.into_iter().map(|(_, s)| s).collect();
        Ok(Sidecar {
            inputs: strip(inputs),
            outputs: strip(outputs),
        })
    }
}

/// `1,3,40` (empty: a scalar); dimensions are `-1` or more.
fn parse_shape(text: &str) -> Option<Vec<i32>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|d| d.trim().parse::<i32>().ok().filter(|&d| d >= -1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tensors_in_order_and_rejects_malformed_lines() {
        let text = "# comment\ninput\t0\tx\tint8\t0.5\t-3\t1,3\noutput\t0\ty\tfloat32\t0\t0\t\n";
        let sidecar = Sidecar::parse(text).unwrap();
        assert_eq!(sidecar.inputs.len(), 1);
        assert_eq!(sidecar.inputs[0].tensor_type, TensorType::Int8);
        assert_eq!(sidecar.inputs[0].quantization.zero_point, -3);
        assert_eq!(sidecar.outputs[0].name, "y");
        assert_eq!(sidecar.inputs[0].shape, Some(vec![1, 3]));
        assert_eq!(sidecar.outputs[0].shape, Some(vec![]));
        for bad in [
            "input\t1\tx\tint8\t0\t0\t1",
            "input\t0\tx\tint8\t0\t1",
            "sideways\t0\tx\tint8\t0\t0\t1",
            "input\t0\tx\tstring\t0\t0\t1",
            "input\t0\tx\tint8\tscale\t0\t1",
            "input\t0\tx\tint8\t0\t0\t1,-2",
        ] {
            assert!(Sidecar::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            path_for(Path::new("/a/m.vmfb")),
            PathBuf::from("/a/m.vmfb.tensors.tsv")
        );
    }
}
