//! Calling conventions: `0<arguments>_<results>` strings such as `0iIr_f`
//! and the packed byte layout of call arguments/results they describe.
//!
//! Elements are packed without padding: `i`/`f` 4 bytes, `I`/`F` 8 bytes,
//! `r` a 16-byte `iree_vm_ref_t`, `v` nothing. A variadic span `C..D`
//! packs an `i32` count followed by that many tuples of the inner types.

use crate::abi::iree_byte_span_t;
use crate::vm::r#ref::{RawRef, Ref};
use crate::{iree_bail, iree_ensure, iree_err, Result};

pub const REF_SIZE: usize = std::mem::size_of::<RawRef>();

/// The element types a convention may name: `i` i32, `I` i64, `f` f32,
/// `F` f64, `r` ref, `v` void, and `C`...`D` around a variadic span.
pub const ELEMENT_TYPES: &[u8] = b"iIfFrvCD";

/// A calling convention split into its argument and result fragments,
/// borrowed from the text. [`Fragments::parse`] is the one parser of
/// convention strings: [`Cconv`] (parsed once at load, for modules and the
/// interpreter), [`fragments`] and the invoke path all start from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragments<'a> {
    pub args: &'a [u8],
    pub results: &'a [u8],
}

impl<'a> Fragments<'a> {
    /// Splits `0<args>_<results>` at the first `_` (a missing `_` means no
    /// results). Only version `0` exists; element types are not checked
    /// here (each user checks the ones it handles).
    #[inline]
    pub fn parse(cconv: &'a [u8]) -> Result<Fragments<'a>> {
        let Some(body) = cconv.strip_prefix(b"0") else {
            iree_bail!(
                Unimplemented,
                "unsupported cconv version in '{}'",
                String::from_utf8_lossy(cconv)
            );
        };
        Ok(match body.iter().position(|&c| c == b'_') {
            Some(i) => Fragments {
                args: &body[..i],
                results: &body[i + 1..],
            },
            None => Fragments {
                args: body,
                results: &[],
            },
        })
    }

    /// Packed sizes of both fragments when they hold only plain element
    /// types (`i I f F r v`).
    #[inline]
    pub fn packed_sizes(&self) -> Option<PackedSizes> {
        Some(PackedSizes {
            args: plain_size(self.args)?,
            results: plain_size(self.results)?,
        })
    }
}

/// Bytes the arguments and the results of a plain convention pack into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedSizes {
    pub args: usize,
    pub results: usize,
}

/// Splits a calling convention into argument and result fragments (see
/// [`Fragments::parse`]).
pub fn fragments(cconv: &str) -> Result<(&str, &str)> {
    let f = Fragments::parse(cconv.as_bytes())?;
    // Both fragments sit between ASCII bytes of `cconv`, so these are
    // character boundaries.
    let args = &cconv[1..1 + f.args.len()];
    let results = &cconv[cconv.len() - f.results.len()..];
    Ok((args, results))
}

pub fn is_variadic(cconv: &str) -> bool {
    cconv.contains('C')
}

/// Packed size of one (non-span) element type.
pub fn element_size(c: u8) -> Result<usize> {
    Ok(match c {
        b'v' => 0,
        b'i' | b'f' => 4,
        b'I' | b'F' => 8,
        b'r' => REF_SIZE,
        _ => iree_bail!(InvalidArgument, "unknown cconv type '{}'", c as char),
    })
}

/// Number of top-level elements of a fragment (a span counts once).
pub fn count(fragment: &str) -> Result<usize> {
    let mut n = 0;
    let mut depth = 0;
    for c in fragment.bytes() {
        match c {
            b'v' => {}
            b'C' => {
                if depth == 0 {
                    n += 1;
                }
                depth += 1;
            }
            b'D' => {
                iree_ensure!(
                    depth > 0,
                    InvalidArgument,
                    "unbalanced span in '{}'",
                    fragment
                );
                depth -= 1;
            }
            _ => {
                element_size(c)?;
                if depth == 0 {
                    n += 1;
                }
            }
        }
    }
    iree_ensure!(
        depth == 0,
        InvalidArgument,
        "unterminated span in '{}'",
        fragment
    );
    Ok(n)
}

/// Bytes a fragment packs into; spans take their counts from
/// `segment_sizes` (one entry per top-level element, in order).
pub fn fragment_size(fragment: &str, segment_sizes: Option<&[u16]>) -> Result<usize> {
    let bytes = fragment.as_bytes();
    let mut total = 0usize;
    let mut i = 0;
    let mut segment = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'C' => {
                let end = bytes[i..]
                    .iter()
                    .position(|&c| c == b'D')
                    .map(|p| p + i)
                    .ok_or_else(|| {
                        iree_err!(InvalidArgument, "unterminated span in '{}'", fragment)
                    })?;
                let mut tuple = 0;
                for &c in &bytes[i + 1..end] {
                    tuple += element_size(c)?;
                }
                let Some(sizes) = segment_sizes else {
                    iree_bail!(
                        InvalidArgument,
                        "variadic cconv '{}' needs segment sizes",
                        fragment
                    );
                };
                let n = *sizes.get(segment).ok_or_else(|| {
                    iree_err!(InvalidArgument, "missing segment size {}", segment)
                })?;
                total += 4 + tuple * n as usize;
                i = end + 1;
            }
            c => {
                total += element_size(c)?;
                i += 1;
            }
        }
        segment += 1;
    }
    Ok(total)
}

/// One unpacked argument or result.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    Ref(Ref),
    /// A variadic span: one tuple per entry.
    Span(Vec<Vec<Arg>>),
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at + n;
        iree_ensure!(
            end <= self.bytes.len(),
            OutOfRange,
            "call buffer too small ({} < {})",
            self.bytes.len(),
            end
        );
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn read(&mut self, c: u8) -> Result<Option<Arg>> {
        Ok(Some(match c {
            b'v' => return Ok(None),
            b'i' => Arg::I32(i32::from_le_bytes(
                self.take(4)?.try_into().unwrap_or_default(),
            )),
            b'f' => Arg::F32(f32::from_le_bytes(
                self.take(4)?.try_into().unwrap_or_default(),
            )),
            b'I' => Arg::I64(i64::from_le_bytes(
                self.take(8)?.try_into().unwrap_or_default(),
            )),
            b'F' => Arg::F64(f64::from_le_bytes(
                self.take(8)?.try_into().unwrap_or_default(),
            )),
            b'r' => {
                let b = self.take(REF_SIZE)?;
                let ptr = usize::from_le_bytes(b[..8].try_into().unwrap_or_default());
                let bits = u32::from_le_bytes(b[8..12].try_into().unwrap_or_default());
                let raw = RawRef {
                    ptr: ptr as *mut std::ffi::c_void,
                    bits,
                };
                // SAFETY: packed refs in a call buffer reference live objects
                // (the caller keeps them alive for the call).
                Arg::Ref(unsafe { Ref::retain_raw(&raw) })
            }
            _ => iree_bail!(InvalidArgument, "unknown cconv type '{}'", c as char),
        }))
    }
}

/// Reads the element of type `c` at `*at` (advancing it); `v` reads
/// nothing. Refs come back retained. No allocation.
pub fn read_at(c: u8, bytes: &[u8], at: &mut usize) -> Result<Option<Arg>> {
    let mut r = Reader { bytes, at: *at };
    let arg = r.read(c)?;
    *at = r.at;
    Ok(arg)
}

/// Writes `arg` as an element of type `c` at `*at` (advancing it); a ref
/// is moved into the bytes. No allocation.
pub fn write_at(out: &mut [u8], at: &mut usize, c: u8, arg: Arg) -> Result<()> {
    let size = element_size(c)?;
    let end = *at + size;
    iree_ensure!(
        end <= out.len(),
        OutOfRange,
        "call buffer too small ({} < {})",
        out.len(),
        end
    );
    let dst = &mut out[*at..end];
    match (c, arg) {
        (b'i', Arg::I32(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (b'I', Arg::I64(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (b'f', Arg::F32(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (b'F', Arg::F64(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (b'r', Arg::Ref(r)) => {
            let raw = r.into_raw();
            dst[..8].copy_from_slice(&(raw.ptr as usize).to_le_bytes());
            dst[8..12].copy_from_slice(&raw.bits.to_le_bytes());
            dst[12..].fill(0);
        }
        (c, a) => iree_bail!(
            InvalidArgument,
            "cconv type '{}' does not match value {:?}",
            c as char,
            a
        ),
    }
    *at = end;
    Ok(())
}

/// A calling convention parsed once, at module load: what modules and the
/// interpreter keep for every function and import. `0iI_r` gives args
/// `iI` and results `r`. Element types: `i` i32, `I` i64, `f` f32, `F`
/// f64, `r` ref, and `C`...`D` around a variadic span; `v` (void) is
/// dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cconv {
    pub args: Vec<u8>,
    pub results: Vec<u8>,
    /// Packed sizes, for a convention without spans (calls with it can
    /// be marshalled without looking at segment sizes).
    pub packed: Option<PackedSizes>,
}

impl Cconv {
    /// `None` for another version or an unknown element type.
    pub fn parse(cconv: &str) -> Option<Cconv> {
        let f = Fragments::parse(cconv.as_bytes()).ok()?;
        let known = |p: &[u8]| p.iter().all(|c| ELEMENT_TYPES.contains(c));
        if !known(f.args) || !known(f.results) {
            return None;
        }
        let strip_void = |p: &[u8]| p.iter().copied().filter(|&c| c != b'v').collect();
        Some(Cconv {
            args: strip_void(f.args),
            results: strip_void(f.results),
            packed: f.packed_sizes(),
        })
    }

    /// The convention of a function without arguments or results.
    pub fn empty() -> Cconv {
        Cconv {
            args: Vec::new(),
            results: Vec::new(),
            packed: Some(PackedSizes {
                args: 0,
                results: 0,
            }),
        }
    }

    pub fn is_variadic(&self) -> bool {
        self.args.contains(&b'C')
    }
}

/// Packed size of a fragment of plain element types (`i I f F r v`);
/// `None` for spans or unknown types.
#[inline]
pub fn plain_size(fragment: impl AsRef<[u8]>) -> Option<usize> {
    let mut total = 0;
    for &c in fragment.as_ref() {
        total += match c {
            b'v' => 0,
            b'i' | b'f' => 4,
            b'I' | b'F' => 8,
            b'r' => REF_SIZE,
            _ => return None,
        };
    }
    Some(total)
}

/// Bytes of call buffers kept inline by [`CallBuffer`]; up to
/// [`SMALL_CALL_BYTES`] only that much is zeroed.
pub const INLINE_CALL_BYTES: usize = 128;
pub const SMALL_CALL_BYTES: usize = 32;

enum CallStorage {
    Small([u8; SMALL_CALL_BYTES]),
    Inline([u8; INLINE_CALL_BYTES]),
    Heap(Vec<u8>),
}

/// A zero-initialized buffer for packed call arguments or results: small
/// ones (the common case) live inline, so marshalling them allocates
/// nothing.
pub struct CallBuffer {
    storage: CallStorage,
    len: usize,
}

impl CallBuffer {
    #[inline]
    pub fn zeroed(len: usize) -> CallBuffer {
        CallBuffer {
            storage: if len <= SMALL_CALL_BYTES {
                CallStorage::Small([0; SMALL_CALL_BYTES])
            } else if len <= INLINE_CALL_BYTES {
                CallStorage::Inline([0; INLINE_CALL_BYTES])
            } else {
                CallStorage::Heap(vec![0; len])
            },
            len,
        }
    }
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        match &self.storage {
            CallStorage::Small(b) => &b[..self.len],
            CallStorage::Inline(b) => &b[..self.len],
            CallStorage::Heap(b) => b,
        }
    }
    #[inline]
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        match &mut self.storage {
            CallStorage::Small(b) => &mut b[..self.len],
            CallStorage::Inline(b) => &mut b[..self.len],
            CallStorage::Heap(b) => b,
        }
    }
    /// The buffer as a C byte span (valid while `self` is not moved).
    #[inline]
    pub fn span(&mut self) -> iree_byte_span_t {
        let bytes = self.bytes_mut();
        iree_byte_span_t {
            data: bytes.as_mut_ptr(),
            data_length: bytes.len(),
        }
    }
}

/// Unpacks `bytes` laid out by `fragment`; refs come back retained.
/// Spans of zero-sized tuples carry no bytes to bound their count by.
const MAX_EMPTY_SPAN_TUPLES: usize = 1 << 16;

pub fn unpack(fragment: &str, bytes: &[u8]) -> Result<Vec<Arg>> {
    let f = fragment.as_bytes();
    let mut r = Reader { bytes, at: 0 };
    // One value per type character unless there are spans.
    let mut out = Vec::with_capacity(f.len());
    let mut i = 0;
    while i < f.len() {
        if f[i] == b'C' {
            let end = f[i..]
                .iter()
                .position(|&c| c == b'D')
                .map(|p| p + i)
                .ok_or_else(|| iree_err!(InvalidArgument, "unterminated span in '{}'", fragment))?;
            let n = i32::from_le_bytes(r.take(4)?.try_into().unwrap_or_default());
            iree_ensure!(n >= 0, InvalidArgument, "negative span count {}", n);
            let n = n as usize;
            // The count is untrusted: check it against the bytes left before
            // reserving anything, so a hostile count is a status, not an abort.
            let tuple_size = f[i + 1..end]
                .iter()
                .map(|&c| element_size(c))
                .sum::<Result<usize>>()?;
            let remaining = bytes.len() - r.at;
            match remaining.checked_div(tuple_size) {
                None => iree_ensure!(
                    n <= MAX_EMPTY_SPAN_TUPLES,
                    InvalidArgument,
                    "span of {} empty tuples exceeds the limit of {}",
                    n,
                    MAX_EMPTY_SPAN_TUPLES
                ),
                Some(fitting) => iree_ensure!(
                    n <= fitting,
                    OutOfRange,
                    "span of {} {}-byte tuples does not fit the {} bytes left in the call buffer",
                    n,
                    tuple_size,
                    remaining
                ),
            }
            let mut tuples = Vec::with_capacity(n);
            for _ in 0..n {
                let mut tuple = Vec::new();
                for &c in &f[i + 1..end] {
                    if let Some(a) = r.read(c)? {
                        tuple.push(a);
                    }
                }
                tuples.push(tuple);
            }
            out.push(Arg::Span(tuples));
            i = end + 1;
        } else {
            if let Some(a) = r.read(f[i])? {
                out.push(a);
            }
            i += 1;
        }
    }
    Ok(out)
}

fn write_one(out: &mut Vec<u8>, c: u8, arg: Arg) -> Result<()> {
    match (c, arg) {
        (b'i', Arg::I32(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (b'I', Arg::I64(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (b'f', Arg::F32(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (b'F', Arg::F64(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (b'r', Arg::Ref(r)) => {
            let raw = r.into_raw();
            out.extend_from_slice(&(raw.ptr as usize).to_le_bytes());
            out.extend_from_slice(&raw.bits.to_le_bytes());
            out.extend_from_slice(&[0u8; 4]);
        }
        (c, a) => iree_bail!(
            InvalidArgument,
            "cconv type '{}' does not match value {:?}",
            c as char,
            a
        ),
    }
    Ok(())
}

/// Packs values by `fragment`. Refs are moved into the bytes: whoever
/// receives the buffer owns them.
pub fn pack(fragment: &str, values: Vec<Arg>) -> Result<Vec<u8>> {
    let f = fragment.as_bytes();
    let mut out = Vec::new();
    let mut values = values.into_iter();
    let mut i = 0;
    while i < f.len() {
        if f[i] == b'v' {
            i += 1;
            continue;
        }
        let value = values
            .next()
            .ok_or_else(|| iree_err!(InvalidArgument, "too few values for cconv '{}'", fragment))?;
        if f[i] == b'C' {
            let end = f[i..]
                .iter()
                .position(|&c| c == b'D')
                .map(|p| p + i)
                .ok_or_else(|| iree_err!(InvalidArgument, "unterminated span in '{}'", fragment))?;
            let Arg::Span(tuples) = value else {
                iree_bail!(InvalidArgument, "expected a span for cconv '{}'", fragment);
            };
            out.extend_from_slice(&(tuples.len() as i32).to_le_bytes());
            for tuple in tuples {
                let inner = &f[i + 1..end];
                iree_ensure!(
                    tuple.len() == inner.len(),
                    InvalidArgument,
                    "span tuple arity mismatch"
                );
                for (&c, a) in inner.iter().zip(tuple) {
                    write_one(&mut out, c, a)?;
                }
            }
            i = end + 1;
        } else {
            write_one(&mut out, f[i], value)?;
            i += 1;
        }
    }
    if values.next().is_some() {
        iree_bail!(InvalidArgument, "too many values for cconv '{}'", fragment);
    }
    Ok(out)
}

/// Releases the refs packed in a call buffer laid out by `fragment`
/// (non-variadic fragments), zeroing them.
#[inline]
pub fn release_refs(fragment: impl AsRef<[u8]>, bytes: &mut [u8]) {
    let mut at = 0;
    for &c in fragment.as_ref() {
        at += match c {
            b'v' => 0,
            b'i' | b'f' => 4,
            b'I' | b'F' => 8,
            b'r' => {
                if let Some(b) = bytes.get_mut(at..at + REF_SIZE) {
                    release_packed_ref(b);
                }
                REF_SIZE
            }
            _ => return,
        };
    }
}

/// Releases the ref packed in `b` (`REF_SIZE` bytes) and zeroes it.
fn release_packed_ref(b: &mut [u8]) {
    let mut raw = RawRef {
        ptr: usize::from_le_bytes(b[..8].try_into().unwrap_or_default()) as *mut std::ffi::c_void,
        bits: u32::from_le_bytes(b[8..12].try_into().unwrap_or_default()),
    };
    // SAFETY: the buffer owns the packed reference (caller contract).
    unsafe { crate::vm::r#ref::raw_release(&mut raw) };
    b.fill(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_span_counts_are_refused_before_allocating() {
        let mut bytes = i32::MAX.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[0u8; 8]);
        let err = unpack("CID", &bytes).unwrap_err();
        assert_eq!(err.code(), crate::StatusCode::OutOfRange, "{err}");
        assert!(err.to_string().contains("does not fit"), "{err}");
        let err = unpack("CvD", &i32::MAX.to_le_bytes()).unwrap_err();
        assert!(err.to_string().contains("empty tuples"), "{err}");
        let mut two = 2i32.to_le_bytes().to_vec();
        two.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(
            unpack("CiD", &two).unwrap(),
            vec![Arg::Span(vec![vec![Arg::I32(1)], vec![Arg::I32(2)]])]
        );
    }

    #[test]
    fn fragments_sizes_and_round_trip() {
        assert_eq!(fragments("0iI_f").unwrap(), ("iI", "f"));
        assert_eq!(fragments("0v_v").unwrap(), ("v", "v"));
        assert!(fragments("1i_i").is_err());
        assert_eq!(fragments("0_").unwrap(), ("", ""));
        let c = Cconv::parse("0ivI_rv").unwrap();
        assert_eq!((&*c.args, &*c.results), (&b"iI"[..], &b"r"[..]));
        assert_eq!(
            c.packed,
            Some(PackedSizes {
                args: 12,
                results: REF_SIZE
            })
        );
        let c = Cconv::parse("0iCiD_i").unwrap();
        assert!(c.is_variadic() && c.packed.is_none());
        assert_eq!(Cconv::parse("0x_i"), None);
        assert_eq!(Cconv::parse("1i_i"), None);
        assert_eq!(count("iCiDr").unwrap(), 3);
        assert_eq!(fragment_size("iIr", None).unwrap(), 28);
        assert_eq!(fragment_size("iCIiD", Some(&[1, 3])).unwrap(), 4 + 4 + 36);
        let args = vec![
            Arg::I32(-3),
            Arg::Span(vec![
                vec![Arg::I64(1), Arg::F32(2.0)],
                vec![Arg::I64(3), Arg::F32(4.5)],
            ]),
            Arg::F64(0.25),
        ];
        let bytes = pack("iCIfDF", args.clone()).unwrap();
        assert_eq!(bytes.len(), 4 + 4 + 2 * 12 + 8);
        assert_eq!(unpack("iCIfDF", &bytes).unwrap(), args);
        assert!(pack("ii", vec![Arg::I32(1)]).is_err());
    }
}
