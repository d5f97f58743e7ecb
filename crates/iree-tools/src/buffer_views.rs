//! Buffer views at the tool boundary, as the reference tools handle them:
//! `--input=` tensor text (`2x2xf32=[1 2][3 4]`, `4xf32=1.5`) and `.npy`
//! files (`@file.npy` reads the file's first array, `+file.npy` the next
//! array of the file read last), printed results (`hal.buffer_view` and
//! the contents, elided past `--output_max_element_count`), and
//! `--expected_output=` comparisons.

use std::sync::Arc;

use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::element_type::ElementType;
use iree_runtime::hal::memory::{BufferParams, BufferUsage, MemoryType};
use iree_runtime::hal::npy;
use iree_runtime::hal::text::parse_buffer_view;
use iree_runtime::hal::text_float;
use iree_runtime::hal::text_format::{format_buffer_view, format_element};
use iree_runtime::modules::hal::types::{deref, to_ref, BUFFER_VIEW_TYPE};
use iree_runtime::vm::r#ref::Ref;
use iree_runtime::{iree_bail, iree_err, Result};

/// The reference's default for `--output_max_element_count`.
pub const DEFAULT_MAX_ELEMENT_COUNT: usize = 1024;

/// Per-type tolerances of `--expected_output=` float comparisons (the
/// reference's `--expected_*_threshold` defaults).
const F16_THRESHOLD: f64 = 0.001;
const F32_THRESHOLD: f64 = 0.0001;
const F64_THRESHOLD: f64 = 0.0001;

/// Reads tensor inputs; holds the `.npy` file read last, for `+file`.
pub struct TensorReader {
    allocator: Arc<HeapAllocator>,
    /// Path, contents and how far they have been read.
    npy_file: Option<(String, Vec<u8>, usize)>,
}

impl TensorReader {
    pub fn new(allocator: Arc<HeapAllocator>) -> TensorReader {
        TensorReader {
            allocator,
            npy_file: None,
        }
    }

    /// A buffer view ref from tensor text or a `@`/`+` npy file reference.
    pub fn read(&mut self, text: &str) -> Result<Ref> {
        let view = if let Some(path) = text.strip_prefix('@') {
            self.read_npy(path, false)?
        } else if let Some(path) = text.strip_prefix('+') {
            self.read_npy(path, true)?
        } else {
            parse_buffer_view(text.as_bytes(), &self.allocator)?
        };
        Ok(to_ref(&Arc::new(view)))
    }

    fn read_npy(&mut self, path: &str, continue_file: bool) -> Result<BufferView> {
        if !path.ends_with(".npy") {
            iree_bail!(
                Unimplemented,
                "only .npy files can be read as inputs (`{}`)",
                path
            );
        }
        let reuse = continue_file && self.npy_file.as_ref().is_some_and(|(p, _, _)| p == path);
        if !reuse {
            let data = std::fs::read(path)
                .map_err(|_| iree_err!(Unknown, "unable to open file `{}` with mode 2", path))?;
            self.npy_file = Some((path.to_owned(), data, 0));
        }
        let Some((_, data, offset)) = self.npy_file.as_mut() else {
            iree_bail!(Internal, "no npy file open");
        };
        let (host_view, used) = npy::load_ndarray(&data[*offset..], &self.allocator)
            .map_err(|e| e.annotate(format!("reading npy array from `{path}`")))?;
        *offset += used;
        // The loader makes host memory; programs want device-local buffers
        // (as parsed text gets), so the contents move into one.
        let params = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL,
            usage: BufferUsage::DISPATCH | BufferUsage::TRANSFER,
            ..Default::default()
        };
        BufferView::allocate(
            &self.allocator,
            host_view.shape(),
            host_view.element_type(),
            host_view.encoding_type(),
            params,
            &host_view.buffer().read_all()?,
        )
    }
}

/// Whether `r` is a `!hal.buffer_view`.
pub fn is_buffer_view(r: &Ref) -> bool {
    !r.is_null() && r.type_id() == BUFFER_VIEW_TYPE.id()
}

/// The view behind a `!hal.buffer_view` ref.
pub fn view_of(r: &Ref) -> Result<&BufferView> {
    deref::<BufferView>(r, "result")
}

/// The printed contents of a view (`2x2xf32=[1 2][3 4]`), no newline.
pub fn format(view: &BufferView, max_element_count: usize) -> Result<String> {
    format_buffer_view(view, max_element_count)
}

/// The `.npy` serialization of a view.
pub fn to_npy(view: &BufferView) -> Result<Vec<u8>> {
    npy::save_ndarray(view)
}

fn metadata(view: &BufferView) -> String {
    let mut text: String = view
        .shape()
        .iter()
        .map(|d| format!("{d}x"))
        .collect::<String>();
    text.push_str(&view.element_type().to_string());
    text
}

/// Compares `actual` with `expected` as the reference's `--expected_output=`
/// does; `None` when they match, otherwise the failure text (the reason,
/// then both views, without the trailing newline).
pub fn compare(
    expected: &BufferView,
    actual: &BufferView,
    max_element_count: usize,
) -> Result<Option<String>> {
    let wanted = metadata(expected);
    let reason =
        if actual.shape() != expected.shape() || actual.element_type() != expected.element_type() {
            Some(format!(
                "metadata is {}; expected that the view matches {wanted}",
                metadata(actual)
            ))
        } else {
            first_difference(expected, actual)?
        };
    let Some(reason) = reason else {
        return Ok(None);
    };
    Ok(Some(format!(
        "{reason}; expected that the view is equal to contents of a view of {wanted}\n  expected:\n{}\n  actual:\n{}",
        format(expected, max_element_count)?,
        format(actual, max_element_count)?
    )))
}

/// The first element that differs (floats within the type's threshold
/// count as equal), described as the reference describes it.
fn first_difference(expected: &BufferView, actual: &BufferView) -> Result<Option<String>> {
    let element_type = expected.element_type();
    let size = element_type.dense_byte_count();
    if size == 0 {
        iree_bail!(
            Unimplemented,
            "comparing {} elements is not supported",
            element_type
        );
    }
    let want = expected.buffer().read_all()?;
    let got = actual.buffer().read_all()?;
    let count = usize::try_from(expected.element_count())
        .map_err(|_| iree_err!(OutOfRange, "view too large to compare"))?;
    if want.len() < count * size || got.len() < count * size {
        iree_bail!(OutOfRange, "view storage is smaller than its shape");
    }
    for i in 0..count {
        let (w, g) = (&want[i * size..][..size], &got[i * size..][..size]);
        if elements_match(w, g, element_type)? {
            continue;
        }
        return Ok(Some(format!(
            "element at index {i} ({}) does not match the expected ({})",
            format_element(g, element_type)?,
            format_element(w, element_type)?
        )));
    }
    Ok(None)
}

fn elements_match(want: &[u8], got: &[u8], element_type: ElementType) -> Result<bool> {
    let (threshold, decode): (f64, fn(&[u8]) -> f64) = match element_type {
        ElementType::FLOAT_16 => (F16_THRESHOLD, |b| {
            f64::from(text_float::F16.to_f32(u32::from(u16::from_le_bytes([b[0], b[1]]))))
        }),
        ElementType::FLOAT_32 => (F32_THRESHOLD, |b| {
            f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        }),
        ElementType::FLOAT_64 => (F64_THRESHOLD, |b| {
            f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        }),
        _ => return Ok(want == got),
    };
    let (w, g) = (decode(want), decode(got));
    Ok(w == g || (w - g).abs() < threshold)
}
