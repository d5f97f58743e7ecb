//! What a `.tflite` flatbuffer says about the inputs and outputs of its
//! first subgraph (name, element type, quantization, shape), read with
//! bounds-checked offsets (no generated schema code): enough to write the
//! tensor sidecar of a module compiled from it.

use crate::tflite::sidecar::{Sidecar, TensorSpec};
use crate::tflite::types::{QuantizationParams, TensorType};
use crate::{iree_bail, iree_err, Result};

/// Whether `bytes` are a TFLite flatbuffer (file identifier `TFL3`).
pub fn is_tflite(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && &bytes[4..8] == b"TFL3"
}

/// A bounds-checked view of a flatbuffer.
struct Buffer<'a>(&'a [u8]);

fn malformed() -> crate::Error {
    iree_err!(InvalidArgument, "malformed .tflite flatbuffer")
}

impl<'a> Buffer<'a> {
    fn bytes<const N: usize>(&self, at: usize) -> Result<[u8; N]> {
        let end = at.checked_add(N).ok_or_else(malformed)?;
        let slice = self.0.get(at..end).ok_or_else(malformed)?;
        Ok(slice.try_into().expect("N bytes"))
    }
    fn u32(&self, at: usize) -> Result<usize> {
        Ok(u32::from_le_bytes(self.bytes(at)?) as usize)
    }
    fn i32(&self, at: usize) -> Result<i32> {
        Ok(i32::from_le_bytes(self.bytes(at)?))
    }
    fn u16(&self, at: usize) -> Result<usize> {
        Ok(u16::from_le_bytes(self.bytes(at)?) as usize)
    }
    /// Where field `index` of the table at `table` lies, if present.
    fn field(&self, table: usize, index: usize) -> Result<Option<usize>> {
        let vtable = (table as i64 - self.i32(table)? as i64) as usize;
        let vtable_len = self.u16(vtable)?;
        let slot = 4 + 2 * index;
        if slot + 2 > vtable_len {
            return Ok(None);
        }
        match self.u16(vtable + slot)? {
            0 => Ok(None),
            offset => Ok(Some(table + offset)),
        }
    }
    /// The target of the offset stored at `at` (a table, vector or string).
    fn follow(&self, at: usize) -> Result<usize> {
        at.checked_add(self.u32(at)?).ok_or_else(malformed)
    }
    fn field_target(&self, table: usize, index: usize) -> Result<Option<usize>> {
        self.field(table, index)?
            .map(|at| self.follow(at))
            .transpose()
    }
    /// Length and first element of the vector at `vector`.
    fn vector(&self, vector: usize) -> Result<(usize, usize)> {
        let len = self.u32(vector)?;
        if len > self.0.len() {
            return Err(malformed());
        }
        Ok((len, vector + 4))
    }
    fn string(&self, at: usize) -> Result<String> {
        let (len, start) = self.vector(at)?;
        let bytes = self.0.get(start..start + len).ok_or_else(malformed)?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }
    fn i32_vector(&self, table: usize, index: usize) -> Result<Option<Vec<i32>>> {
        let Some(v) = self.field_target(table, index)? else {
            return Ok(None);
        };
        let (len, start) = self.vector(v)?;
        (0..len)
            .map(|i| self.i32(start + 4 * i))
            .collect::<Result<_>>()
            .map(Some)
    }
}

/// TFLite schema `TensorType` values to `TfLiteType`s.
fn tensor_type(schema: u8) -> Result<TensorType> {
    Ok(match schema {
        0 => TensorType::Float32,
        1 => TensorType::Float16,
        2 => TensorType::Int32,
        3 => TensorType::UInt8,
        4 => TensorType::Int64,
        6 => TensorType::Bool,
        7 => TensorType::Int16,
        8 => TensorType::Complex64,
        9 => TensorType::Int8,
        10 => TensorType::Float64,
        11 => TensorType::Complex128,
        12 => TensorType::UInt64,
        15 => TensorType::UInt32,
        16 => TensorType::UInt16,
        18 => TensorType::BFloat16,
        other => iree_bail!(
            Unimplemented,
            "tensor type {other} of the .tflite schema is not supported"
        ),
    })
}

fn tensor(fb: &Buffer<'_>, tensors: (usize, usize), index: i32) -> Result<TensorSpec> {
    let (count, start) = tensors;
    let index = usize::try_from(index)
        .ok()
        .filter(|&i| i < count)
        .ok_or_else(malformed)?;
    let table = fb.follow(start + 4 * index)?;
    let name = match fb.field_target(table, 3)? {
        Some(at) => fb.string(at)?,
        None => String::new(),
    };
    let schema_type = match fb.field(table, 1)? {
        Some(at) => fb.bytes::<1>(at)?[0],
        None => 0,
    };
    let shape = fb
        .i32_vector(table, 7)?
        .or(fb.i32_vector(table, 0)?)
        .unwrap_or_default();
    let mut quantization = QuantizationParams::default();
    if let Some(q) = fb.field_target(table, 4)? {
        let scale = fb.field_target(q, 2)?;
        let zero = fb.field_target(q, 3)?;
        if let (Some(scale), Some(zero)) = (scale, zero) {
            let ((ns, s0), (nz, z0)) = (fb.vector(scale)?, fb.vector(zero)?);
            // Per-tensor quantization only; per-channel has no C API form.
            if ns == 1 && nz == 1 {
                quantization = QuantizationParams {
                    scale: f32::from_le_bytes(fb.bytes(s0)?),
                    zero_point: i64::from_le_bytes(fb.bytes(z0)?) as i32,
                };
            }
        }
    }
    Ok(TensorSpec {
        name,
        tensor_type: tensor_type(schema_type)?,
        quantization,
        shape: Some(shape),
    })
}

/// The inputs and outputs of the first subgraph of a `.tflite` model.
pub fn read_signature(bytes: &[u8]) -> Result<Sidecar> {
    if !is_tflite(bytes) {
        iree_bail!(
            InvalidArgument,
            "not a .tflite flatbuffer (no TFL3 identifier)"
        );
    }
    let fb = Buffer(bytes);
    let model = fb.follow(0)?;
    let subgraphs = fb.field_target(model, 2)?.ok_or_else(malformed)?;
    let (count, start) = fb.vector(subgraphs)?;
    if count == 0 {
        iree_bail!(InvalidArgument, "the .tflite model has no subgraph");
    }
    let subgraph = fb.follow(start)?;
    let tensors = fb.vector(fb.field_target(subgraph, 0)?.ok_or_else(malformed)?)?;
    let list = |index| -> Result<Vec<TensorSpec>> {
        fb.i32_vector(subgraph, index)?
            .unwrap_or_default()
            .into_iter()
            .map(|i| tensor(&fb, tensors, i))
            .collect()
    };
    Ok(Sidecar {
        inputs: list(1)?,
        outputs: list(2)?,
    })
}

impl Sidecar {
    /// The sidecar file's text for these tensors.
    pub fn to_text(&self) -> String {
        let mut text = String::from("# direction\tindex\tname\ttype\tscale\tzero_point\tshape\n");
        for (direction, specs) in [("input", &self.inputs), ("output", &self.outputs)] {
            for (i, s) in specs.iter().enumerate() {
                let shape: Vec<String> = s.shape.iter().flatten().map(|d| d.to_string()).collect();
                text.push_str(&format!(
                    "{direction}\t{i}\t{}\t{}\t{:?}\t{}\t{}\n",
                    s.name.replace(['\t', '\n'], " "),
                    s.tensor_type.name(),
                    s.quantization.scale,
                    s.quantization.zero_point,
                    shape.join(",")
                ));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> Vec<u8> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tflite");
        std::fs::read(dir.join(format!("{name}.tflite"))).unwrap()
    }

    #[test]
    fn reads_what_litert_reports() {
        // The sidecars of testdata/tflite_capi were written from LiteRT's
        // view of the same files.
        for name in ["hand_recrop", "okay_nabu", "face_detection_short_range"] {
            let ours = read_signature(&model(name)).unwrap();
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tflite_capi");
            let litert = Sidecar::parse(
                &std::fs::read_to_string(dir.join(format!("{name}.vmfb.tensors.tsv"))).unwrap(),
            )
            .unwrap();
            assert_eq!(ours, litert, "{name}");
            assert_eq!(Sidecar::parse(&ours.to_text()).unwrap(), ours);
        }
        assert!(read_signature(&[0; 16]).is_err());
        let mut truncated = model("hand_recrop");
        truncated.truncate(64);
        assert!(read_signature(&truncated).is_err());
    }
}
