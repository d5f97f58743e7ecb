//! Reading a call's packed arguments and writing its results, for the
//! export functions of the module (layouts per `vm::cconv`: no padding, a
//! variadic span is an i32 count and its tuples).

use crate::modules::hal::call_values::ValueArgs;
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::cconv::{self, Arg, REF_SIZE};
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, Result};

/// The arguments of one call, read front to back: packed bytes (calls
/// through the module's C table) or the caller's interpreter values (calls
/// from this library's bytecode, which skip packing).
pub struct Args<'a> {
    source: Source<'a>,
}

enum Source<'a> {
    Packed(PackedArgs<'a>),
    Values(ValueArgs<'a>),
}

impl<'a> Args<'a> {
    pub fn new(bytes: &'a [u8]) -> Args<'a> {
        Args {
            source: Source::Packed(PackedArgs { bytes, at: 0 }),
        }
    }

    /// Arguments as interpreter values laid out by `fragment` (the
    /// calling convention's argument part), with the call site's span
    /// counts for a variadic call.
    pub fn from_values(
        fragment: &'a [u8],
        values: &'a [RegisterValue<Ref>],
        segment_sizes: Option<&'a [i32]>,
    ) -> Args<'a> {
        Args {
            source: Source::Values(ValueArgs::new(fragment, values, segment_sizes)),
        }
    }

    pub fn i32(&mut self) -> Result<i32> {
        match &mut self.source {
            Source::Packed(packed) => packed.take::<4>().map(i32::from_le_bytes),
            Source::Values(values) => values.i32(),
        }
    }

    pub fn i64(&mut self) -> Result<i64> {
        match &mut self.source {
            Source::Packed(packed) => packed.take::<8>().map(i64::from_le_bytes),
            Source::Values(values) => values.i64(),
        }
    }

    /// A ref argument (a new reference; null refs read as null).
    pub fn r(&mut self) -> Result<Ref> {
        match &mut self.source {
            Source::Packed(packed) => packed.r(),
            Source::Values(values) => values.r(),
        }
    }

    /// The count of a variadic span whose tuples take `tuple_size` bytes
    /// each when packed, checked against what is left so a hostile count
    /// allocates nothing.
    pub fn span_count(&mut self, tuple_size: usize) -> Result<usize> {
        match &mut self.source {
            Source::Packed(packed) => packed.span_count(tuple_size),
            Source::Values(values) => values.span_count(),
        }
    }

    /// A span of `i64` (`CID`).
    pub fn span_i64(&mut self) -> Result<Vec<i64>> {
        let count = self.span_count(8)?;
        (0..count).map(|_| self.i64()).collect()
    }

    /// A span of `i32` (`CiD`).
    pub fn span_i32(&mut self) -> Result<Vec<i32>> {
        let count = self.span_count(4)?;
        (0..count).map(|_| self.i32()).collect()
    }

    /// A span of refs (`CrD`).
    pub fn span_ref(&mut self) -> Result<Vec<Ref>> {
        let count = self.span_count(REF_SIZE)?;
        (0..count).map(|_| self.r()).collect()
    }

    /// Checks every argument was read.
    pub fn finish(&self) -> Result<()> {
        match &self.source {
            Source::Packed(packed) => packed.finish(),
            Source::Values(values) => values.finish(),
        }
    }
}

struct PackedArgs<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl PackedArgs<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let end = self.at.saturating_add(N);
        let Some(word) = self.bytes.get(self.at..end) else {
            iree_bail!(
                InvalidArgument,
                "argument/result signature mismatch: the arguments end after {} bytes",
                self.bytes.len()
            );
        };
        self.at = end;
        let mut out = [0u8; N];
        out.copy_from_slice(word);
        Ok(out)
    }

    fn r(&mut self) -> Result<Ref> {
        iree_ensure!(
            self.at + REF_SIZE <= self.bytes.len(),
            InvalidArgument,
            "argument/result signature mismatch: the arguments end after {} bytes",
            self.bytes.len()
        );
        match cconv::read_at(b'r', self.bytes, &mut self.at)? {
            Some(Arg::Ref(r)) => Ok(r),
            _ => iree_bail!(Internal, "ref argument did not read as a ref"),
        }
    }

    fn span_count(&mut self, tuple_size: usize) -> Result<usize> {
        let count = i32::from_le_bytes(self.take::<4>()?);
        iree_ensure!(
            count >= 0,
            InvalidArgument,
            "variadic span count {count} is negative"
        );
        let count = count as usize;
        let left = self.bytes.len() - self.at;
        iree_ensure!(
            count.saturating_mul(tuple_size) <= left,
            InvalidArgument,
            "argument/result signature mismatch: a span of {count} tuples of {tuple_size} bytes does not fit the {left} argument bytes left"
        );
        Ok(count)
    }

    fn finish(&self) -> Result<()> {
        iree_ensure!(
            self.at == self.bytes.len(),
            InvalidArgument,
            "argument/result signature mismatch: {} argument bytes were given but {} read",
            self.bytes.len(),
            self.at
        );
        Ok(())
    }
}

/// What an export returns, written into the packed results only once the
/// call has succeeded (so a failing call leaves no reference behind).
pub enum Rets {
    None,
    I32(i32),
    I64(i64),
    Ref(Ref),
    I32I32(i32, i32),
    I64I64(i64, i64),
    I32I64(i32, i64),
    RefI64(Ref, i64),
    RefRef(Ref, Ref),
}

impl Rets {
    /// Writes the results as `fragment` lays them out.
    pub fn write(self, fragment: &[u8], out: &mut [u8]) -> Result<()> {
        // A fixed pair, not a Vec: this runs on every hal call.
        let values: [Option<Arg>; 2] = match self {
            Rets::None => [None, None],
            Rets::I32(a) => [Some(Arg::I32(a)), None],
            Rets::I64(a) => [Some(Arg::I64(a)), None],
            Rets::Ref(a) => [Some(Arg::Ref(a)), None],
            Rets::I32I32(a, b) => [Some(Arg::I32(a)), Some(Arg::I32(b))],
            Rets::I64I64(a, b) => [Some(Arg::I64(a)), Some(Arg::I64(b))],
            Rets::I32I64(a, b) => [Some(Arg::I32(a)), Some(Arg::I64(b))],
            Rets::RefI64(a, b) => [Some(Arg::Ref(a)), Some(Arg::I64(b))],
            Rets::RefRef(a, b) => [Some(Arg::Ref(a)), Some(Arg::Ref(b))],
        };
        let types = || fragment.iter().copied().filter(|&c| c != b'v');
        let value_count = values.iter().flatten().count();
        iree_ensure!(
            types().count() == value_count,
            Internal,
            "export returned {} results for result types '{}'",
            value_count,
            String::from_utf8_lossy(fragment)
        );
        let size: usize = types().map(|c| cconv::element_size(c).unwrap_or(0)).sum();
        iree_ensure!(
            out.len() >= size,
            InvalidArgument,
            "argument/result signature mismatch: {} result bytes for results of {size}",
            out.len()
        );
        let mut at = 0;
        for (c, value) in types().zip(values.into_iter().flatten()) {
            cconv::write_at(out, &mut at, c, value)?;
        }
        Ok(())
    }
}

/// Reads an `i64` that must be a non-negative size or offset.
pub fn device_size(value: i64, what: &str) -> Result<u64> {
    // -1 is how programs spell "the rest" (IREE_WHOLE_BUFFER).
    if value == -1 {
        return Ok(u64::MAX);
    }
    iree_ensure!(value >= 0, OutOfRange, "{what} {value} is negative");
    Ok(value as u64)
}

/// A host size (`usize`) from an `i64` argument.
pub fn host_size(value: i64, what: &str) -> Result<usize> {
    usize::try_from(value)
        .map_err(|_| crate::iree_err!(OutOfRange, "{what} {value} is not a valid host size"))
}

/// The text of a `!vm.buffer` argument (strings: query keys, labels,
/// messages, formats); invalid UTF-8 is replaced, as it only names things.
pub fn vm_string(r: &Ref, what: &str) -> Result<String> {
    let buffer = vm_buffer(r, what)?;
    Ok(String::from_utf8_lossy(&buffer.read(0, buffer.len())?).into_owned())
}

/// The `!vm.buffer` behind an argument (INVALID_ARGUMENT naming `what`
/// when it is null or of another type).
pub fn vm_buffer<'a>(r: &'a Ref, what: &str) -> Result<&'a crate::vm::buffer::Buffer> {
    crate::vm::buffer::Buffer::from_ref(r).map_err(|_| {
        crate::iree_err!(
            InvalidArgument,
            "{what} has type {}; expected a !vm.buffer",
            crate::modules::hal::types::type_name(r)
        )
    })
}
