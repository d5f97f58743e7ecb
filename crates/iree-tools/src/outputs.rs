//! What `iree-run-module` does with a function's results: print them
//! (`result[i]: ...`), route each per `--output=` (``: skip, `-`: stdout,
//! `@file`: write, `+file`: append; `.npy` files get a NumPy header), or
//! compare them with `--expected_output=` values.

use std::io::Write;

use crate::buffer_views::{self, TensorReader};
use crate::variants::{self, format_value, print_variant};
use iree_runtime::vm::buffer::Buffer;
use iree_runtime::vm::list::List;
use iree_runtime::vm::value::{Value, Variant};
use iree_runtime::{iree_bail, iree_err, Result};

fn io_err(e: std::io::Error) -> iree_runtime::Error {
    iree_err!(DataLoss, "writing output: {}", e)
}

/// The results of `outputs` as `result[i]: ...` lines (the default);
/// buffer views show at most `max_elements` elements.
pub fn print_results(outputs: &List, max_elements: usize, out: &mut dyn Write) -> Result<()> {
    let mut text = String::new();
    for i in 0..outputs.size() {
        text.push_str(&format!("result[{i}]: "));
        print_variant(&outputs.get_variant(i)?, max_elements, &mut text)?;
    }
    out.write_all(text.as_bytes()).map_err(io_err)
}

/// Routes each result by its `--output=` spec (one spec per result).
pub fn write_results(
    outputs: &List,
    specs: &[String],
    max_elements: usize,
    out: &mut dyn Write,
) -> Result<()> {
    if specs.len() != outputs.size() {
        iree_bail!(
            OutOfRange,
            "{} outputs specified but the provided variant list only has {} elements",
            specs.len(),
            outputs.size()
        );
    }
    for (i, spec) in specs.iter().enumerate() {
        let v = outputs.get_variant(i)?;
        match spec.as_str() {
            "" => {}
            "-" => {
                let mut text = String::new();
                print_variant(&v, max_elements, &mut text)?;
                out.write_all(text.as_bytes()).map_err(io_err)?;
            }
            s if s.starts_with('@') || s.starts_with('+') => {
                write_file(&v, &s[1..], s.starts_with('+'))?
            }
            s => iree_bail!(
                Unimplemented,
                "unsupported output mode specification '{}'",
                s
            ),
        }
    }
    Ok(())
}

fn write_file(v: &Variant, path: &str, append: bool) -> Result<()> {
    let npy = path.ends_with(".npy");
    // The file is opened first: a result that cannot be written still
    // leaves it created (or truncated), as with the reference.
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(path)
        .map_err(|e| iree_err!(Unknown, "unable to open file `{}`: {}", path, e))?;
    let bytes = match v {
        Variant::Empty => return Ok(()),
        Variant::Value(x) if npy => npy_scalar(*x),
        Variant::Value(x) => value_bytes(*x),
        Variant::Ref(r) if r.is_null() => return Ok(()),
        Variant::Ref(r) if buffer_views::is_buffer_view(r) => {
            let view = buffer_views::view_of(r)?;
            if npy {
                buffer_views::to_npy(view)?
            } else {
                view.buffer().read_all()?
            }
        }
        Variant::Ref(r) => match Buffer::from_ref(r) {
            Ok(_) if npy => iree_bail!(
                Unimplemented,
                "writing vm.buffer results as .npy is not supported"
            ),
            Ok(b) => b.read(0, b.len())?,
            Err(_) => iree_bail!(
                InvalidArgument,
                "unsupported output source type; expected: !hal.buffer, !hal.buffer_view, !vm.buffer"
            ),
        },
    };
    file.write_all(&bytes).map_err(io_err)
}

fn value_bytes(v: Value) -> Vec<u8> {
    match v {
        Value::I8(x) => x.to_le_bytes().to_vec(),
        Value::I16(x) => x.to_le_bytes().to_vec(),
        Value::I32(x) => x.to_le_bytes().to_vec(),
        Value::I64(x) => x.to_le_bytes().to_vec(),
        Value::F32(x) => x.to_le_bytes().to_vec(),
        Value::F64(x) => x.to_le_bytes().to_vec(),
    }
}

/// A 0-d NumPy array (format 1.0, header padded to 64 bytes).
fn npy_scalar(v: Value) -> Vec<u8> {
    let descr = match v {
        Value::I8(_) => "|i1",
        Value::I16(_) => "<i2",
        Value::I32(_) => "<i4",
        Value::I64(_) => "<i8",
        Value::F32(_) => "<f4",
        Value::F64(_) => "<f8",
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': (), }}");
    // magic (6) + version (2) + length (2) + header + '\n'
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&value_bytes(v));
    bytes
}

/// Compares results with `--expected_output=` values (parsed by the
/// result types; tensors by `tensors`); prints one verdict per mismatch,
/// or a success line. Returns whether everything matched.
pub fn check_expected(
    outputs: &List,
    result_types: &[u8],
    expected: &[String],
    mut tensors: Option<&mut TensorReader>,
    max_elements: usize,
    out: &mut dyn Write,
) -> Result<bool> {
    let mut wanted = Vec::with_capacity(expected.len());
    for (i, text) in expected.iter().enumerate() {
        let Some(&c) = result_types.get(i) else {
            return Err(
                iree_err!(InvalidArgument, "function expected fewer input values")
                    .annotate(format!("parsing input `{}`", text.trim())),
            );
        };
        wanted.push(if variants::is_null_input(text) {
            Variant::Empty
        } else {
            variants::parse_input(c, text, tensors.as_deref_mut())?
        });
    }
    let mut lines = String::new();
    for (i, want) in wanted.iter().enumerate() {
        let got = outputs.get_variant(i)?;
        let verdict = match (want, &got) {
            // `(null)`/`(ignored)` accepts anything.
            (Variant::Empty, _) => None,
            (Variant::Value(a), Variant::Value(b)) if a == b => None,
            (Variant::Value(a), Variant::Value(b)) if a.value_type() == b.value_type() => {
                Some(format!(
                    "value mismatch; expected {} but got {}",
                    format_value(*a),
                    format_value(*b)
                ))
            }
            (Variant::Value(a), b) => Some(format!(
                "variant types mismatch; expected {} but got {}",
                type_text(&Variant::Value(*a)),
                type_text(b)
            )),
            (Variant::Ref(a), Variant::Ref(b))
                if buffer_views::is_buffer_view(a) && buffer_views::is_buffer_view(b) =>
            {
                buffer_views::compare(
                    buffer_views::view_of(a)?,
                    buffer_views::view_of(b)?,
                    max_elements,
                )?
            }
            (Variant::Ref(a), b) if buffer_views::is_buffer_view(a) => Some(format!(
                "variant types mismatch; expected hal.buffer_view but got {}",
                type_text(b)
            )),
            (Variant::Ref(_), _) => Some("ref results cannot be compared yet".to_owned()),
        };
        if let Some(why) = verdict {
            lines.push_str(&format!("[FAILED] result[{i}]: {why}\n"));
        }
    }
    let ok = lines.is_empty();
    if ok {
        lines.push_str("[SUCCESS] all function outputs matched their expected values.\n");
    }
    out.write_all(lines.as_bytes()).map_err(io_err)?;
    Ok(ok)
}

fn type_text(v: &Variant) -> String {
    match v {
        Variant::Empty => "(null)".to_owned(),
        Variant::Value(x) => format_value(*x).split('=').next().unwrap_or("").to_owned(),
        Variant::Ref(r) => iree_runtime::vm::r#ref::lookup_type(r.type_id()).map_or_else(
            || "(null)".to_owned(),
            |d| String::from_utf8_lossy(d.name()).into_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iree_runtime::abi::iree_allocator_t as Allocator;

    #[test]
    fn npy_header_matches_numpy_layout() {
        let b = npy_scalar(Value::I32(2));
        assert_eq!(b.len(), 128 + 4);
        assert_eq!(&b[..8], b"\x93NUMPY\x01\x00");
        assert_eq!(u16::from_le_bytes([b[8], b[9]]), 118);
        assert_eq!(b[127], b'\n');
        assert_eq!(&b[128..], &2i32.to_le_bytes());
    }

    #[test]
    fn output_specs() {
        let outputs = List::create(None, 2, Allocator::system()).unwrap();
        let l = List::from_ref(&outputs).unwrap();
        l.push_value(Value::I32(7)).unwrap();
        l.push_value(Value::F64(2.5)).unwrap();
        let mut out = Vec::new();
        write_results(l, &["-".into(), "".into()], 1024, &mut out).unwrap();
        assert_eq!(out, b"i32=7\n");
        let e = write_results(l, &["-".into()], 1024, &mut out).unwrap_err();
        assert_eq!(
            e.message(),
            "1 outputs specified but the provided variant list only has 2 elements"
        );
        let e = write_results(l, &["x".into(), "".into()], 1024, &mut out).unwrap_err();
        assert_eq!(e.code(), iree_runtime::StatusCode::Unimplemented);
        let path = std::env::temp_dir().join(format!("h13_out_{}.bin", std::process::id()));
        let p = path.display().to_string();
        write_results(l, &[format!("@{p}"), format!("+{p}")], 1024, &mut out).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(bytes[..4], 7i32.to_le_bytes());
        assert_eq!(bytes[4..], 2.5f64.to_le_bytes());
    }

    #[test]
    fn expected_outputs() {
        let outputs = List::create(None, 2, Allocator::system()).unwrap();
        let l = List::from_ref(&outputs).unwrap();
        l.push_value(Value::I32(7)).unwrap();
        l.push_value(Value::F64(2.5)).unwrap();
        let mut out = Vec::new();
        assert!(
            check_expected(l, b"iF", &["7".into(), "2.5".into()], None, 1024, &mut out).unwrap()
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            "[SUCCESS] all function outputs matched their expected values.\n"
        );
        out.clear();
        assert!(!check_expected(l, b"iF", &["8".into()], None, 1024, &mut out).unwrap());
        assert_eq!(
            String::from_utf8_lossy(&out),
            "[FAILED] result[0]: value mismatch; expected i32=8 but got i32=7\n"
        );
        assert!(check_expected(
            l,
            b"iF",
            &["1".into(), "2".into(), "3".into()],
            None,
            1024,
            &mut out
        )
        .is_err());
    }
}
