//! Function inputs and results as text, the way the reference tools read
//! and print them for VM-only modules: `--input=` values typed by the
//! function's calling convention, and results printed one per line as
//! `i32=5`, `(null)`, a ref's type name followed by its contents (a list's
//! elements as `child_list[i]: ...` lines and a blank line; a buffer
//! view's contents on the line after its type name; `(no printer)` for
//! other refs).

use crate::buffer_views::{self, TensorReader};
use crate::scalar::{self, Scalar};
use iree_runtime::vm::list::List;
use iree_runtime::vm::r#ref::{self, Ref};
use iree_runtime::vm::value::{Value, Variant};
use iree_runtime::{iree_bail, iree_err, Error, Result};

/// Spellings of "no value" the reference accepts for any input.
const NULL_INPUTS: &[&str] = &["(null)", "(ignored)"];

/// Whether `text` is one of the "no value" spellings.
pub fn is_null_input(text: &str) -> bool {
    NULL_INPUTS.contains(&text.trim())
}

/// Parses one `--input=` value for an argument of cconv type `c`; ref
/// arguments are read as buffer views by `tensors` (none: the program
/// does not use the HAL).
pub fn parse_input(c: u8, raw: &str, tensors: Option<&mut TensorReader>) -> Result<Variant> {
    let text = raw.trim();
    let annotate = |e: Error| e.annotate(format!("parsing input `{text}`"));
    parse(c, text, tensors).map_err(annotate)
}

fn parse(c: u8, text: &str, tensors: Option<&mut TensorReader>) -> Result<Variant> {
    if text.is_empty() {
        iree_bail!(InvalidArgument, "no value specified for input");
    }
    let is_file = text.starts_with('@') || text.starts_with('+');
    if is_file && (c != b'r' || tensors.is_none()) {
        iree_bail!(
            Unimplemented,
            "reading inputs from files is supported for tensor arguments of programs using the HAL only"
        );
    }
    let is_null = is_null_input(text);
    match c {
        b'i' | b'I' | b'f' | b'F' if is_null => {
            // An empty input reaches a scalar argument as zero.
            Ok(Variant::Value(scalar_value(scalar::parse_as(c, "0")?)))
        }
        b'i' | b'I' | b'f' | b'F' => Ok(Variant::Value(scalar_value(scalar::parse_as(c, text)?))),
        b'r' if is_null => Ok(Variant::Empty),
        b'r' if !is_file && !text.contains(['x', '=']) => Err(iree_err!(
            InvalidArgument,
            "invalid tensor specification, requires at least a shape/type (`4x2xf32=...`)"
        )),
        b'r' => match tensors {
            Some(reader) => Ok(Variant::Ref(reader.read(text)?)),
            None => Err(iree_err!(
                Unimplemented,
                "buffer view inputs need a HAL device, and no loaded module uses the HAL"
            )),
        },
        _ => Err(iree_err!(
            Unimplemented,
            "inputs of type `{}` are not supported",
            c as char
        )),
    }
}

fn scalar_value(s: Scalar) -> Value {
    match s {
        Scalar::I32(v) => Value::I32(v),
        Scalar::I64(v) => Value::I64(v),
        Scalar::F32(v) => Value::F32(v),
        Scalar::F64(v) => Value::F64(v),
    }
}

/// `type=value` text of a primitive.
pub fn format_value(v: Value) -> String {
    match v {
        Value::I8(x) => format!("i8={x}"),
        Value::I16(x) => format!("i16={x}"),
        Value::I32(x) => Scalar::I32(x).display(),
        Value::I64(x) => Scalar::I64(x).display(),
        Value::F32(x) => Scalar::F32(x).display(),
        Value::F64(x) => Scalar::F64(x).display(),
    }
}

/// Lists nest through refs and may even contain themselves; past this depth
/// printing stops rather than recursing forever.
const MAX_DEPTH: usize = 64;

/// Appends the printed form of `v` (one or more `\n`-terminated lines);
/// buffer views show at most `max_elements` elements.
pub fn print_variant(v: &Variant, max_elements: usize, out: &mut String) -> Result<()> {
    print_at(v, max_elements, out, 0)
}

fn print_at(v: &Variant, max_elements: usize, out: &mut String, depth: usize) -> Result<()> {
    match v {
        Variant::Empty => out.push_str("(null)\n"),
        Variant::Value(x) => {
            out.push_str(&format_value(*x));
            out.push('\n');
        }
        Variant::Ref(r) => print_ref(r, max_elements, out, depth)?,
    }
    Ok(())
}

fn print_ref(r: &Ref, max_elements: usize, out: &mut String, depth: usize) -> Result<()> {
    if r.is_null() {
        out.push_str("(null)\n");
        return Ok(());
    }
    let name = r#ref::lookup_type(r.type_id()).map_or(&b"?"[..], |d| d.name());
    out.push_str(&String::from_utf8_lossy(name));
    out.push('\n');
    if buffer_views::is_buffer_view(r) {
        let view = buffer_views::view_of(r)?;
        out.push_str(&buffer_views::format(view, max_elements)?);
        out.push('\n');
        return Ok(());
    }
    let Ok(list) = List::from_ref(r) else {
        out.push_str("(no printer)\n");
        return Ok(());
    };
    if depth >= MAX_DEPTH {
        iree_bail!(ResourceExhausted, "lists nest too deeply to print");
    }
    for i in 0..list.size() {
        out.push_str(&format!("child_list[{i}]: "));
        print_at(&list.get_variant(i)?, max_elements, out, depth + 1)?;
    }
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iree_runtime::abi::iree_allocator_t as Allocator;
    use iree_runtime::vm::buffer::{self, Buffer};

    fn printed(v: &Variant) -> String {
        let mut s = String::new();
        print_variant(v, 1024, &mut s).unwrap();
        s
    }

    #[test]
    fn inputs_by_type() {
        assert_eq!(
            parse_input(b'i', " 0x10 ", None).unwrap(),
            Variant::Value(Value::I32(16))
        );
        assert_eq!(
            parse_input(b'F', "2.25", None).unwrap(),
            Variant::Value(Value::F64(2.25))
        );
        assert_eq!(
            parse_input(b'f', "(null)", None).unwrap(),
            Variant::Value(Value::F32(0.0))
        );
        assert_eq!(
            parse_input(b'r', "(ignored)", None).unwrap(),
            Variant::Empty
        );
        let e = parse_input(b'r', "1", None).unwrap_err();
        assert_eq!(e.code(), iree_runtime::StatusCode::InvalidArgument);
        assert!(e.to_string().ends_with("; parsing input `1`"), "{e}");
        let e = parse_input(b'r', "2xi32=1,2", None).unwrap_err();
        assert_eq!(e.code(), iree_runtime::StatusCode::Unimplemented);
        let e = parse_input(b'i', "  ", None).unwrap_err();
        assert_eq!(e.message(), "no value specified for input");
        let e = parse_input(b'i', "i32=5", None).unwrap_err();
        assert_eq!(e.message(), "parsing value `i32=5` as i32");
    }

    // Expected text observed with the reference iree-run-module 3.13.
    #[test]
    fn nested_lists_and_buffers() {
        let outer = List::create(None, 4, Allocator::system()).unwrap();
        let inner = List::create(None, 2, Allocator::system()).unwrap();
        let l = List::from_ref(&outer).unwrap();
        l.push_value(Value::I32(-5)).unwrap();
        l.push_value(Value::F32(0.25)).unwrap();
        let il = List::from_ref(&inner).unwrap();
        il.push_value(Value::I8(6)).unwrap();
        il.push_ref(Ref::null()).unwrap();
        l.push_ref(inner.clone()).unwrap();
        buffer::register_type().unwrap();
        let b = Buffer::create(buffer::ACCESS_MUTABLE, 4, Allocator::system()).unwrap();
        l.push_ref(b).unwrap();
        assert_eq!(
            printed(&Variant::Ref(outer.clone())),
            "vm.list\nchild_list[0]: i32=-5\nchild_list[1]: f32=0.25\nchild_list[2]: vm.list\n\
             child_list[0]: i8=6\nchild_list[1]: (null)\n\nchild_list[3]: vm.buffer\n(no printer)\n\n"
        );
        assert_eq!(printed(&Variant::Ref(Ref::null())), "(null)\n");
        assert_eq!(printed(&Variant::Empty), "(null)\n");
        // A list holding itself prints to a bounded depth, then fails.
        l.push_ref(outer.clone()).unwrap();
        let mut s = String::new();
        assert!(print_variant(&Variant::Ref(outer.clone()), 1024, &mut s).is_err());
        l.resize(0).unwrap();
    }
}
