//! Reading a call's arguments straight from the calling bytecode's values
//! and writing its results back as values: the path calls from this
//! library's own interpreter take, which skips packing into bytes only to
//! unpack them again. The calling convention still decides every type, and
//! a value of another type is an error, as a short packed buffer is.

use crate::modules::hal::call::Rets;
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, Result};

/// A cursor over interpreter values, walking the argument fragment (`rIC
/// rIID`) alongside so that each read checks its type and a span's count
/// comes from the call site's segment sizes.
pub(super) struct ValueArgs<'a> {
    fragment: &'a [u8],
    values: &'a [RegisterValue<Ref>],
    segment_sizes: Option<&'a [i32]>,
    /// Next value to read.
    at: usize,
    /// Next character of `fragment`.
    pos: usize,
    /// Top-level arguments read so far (the index into `segment_sizes`).
    segment: usize,
    span: Option<Span>,
}

/// The span being read: its tuple's characters are `fragment[start..end]`
/// (`end` is the `D`), and `remaining` tuples are left, this one included.
struct Span {
    start: usize,
    end: usize,
    remaining: usize,
}

impl<'a> ValueArgs<'a> {
    pub(super) fn new(
        fragment: &'a [u8],
        values: &'a [RegisterValue<Ref>],
        segment_sizes: Option<&'a [i32]>,
    ) -> ValueArgs<'a> {
        ValueArgs {
            fragment,
            values,
            segment_sizes,
            at: 0,
            pos: 0,
            segment: 0,
            span: None,
        }
    }

    /// The type of the next value and the value itself.
    fn next(&mut self) -> Result<(u8, &'a RegisterValue<Ref>)> {
        let kind = self.next_type()?;
        let Some(value) = self.values.get(self.at) else {
            iree_bail!(
                InvalidArgument,
                "argument/result signature mismatch: the arguments end after {} values",
                self.values.len()
            );
        };
        self.at += 1;
        Ok((kind, value))
    }

    fn next_type(&mut self) -> Result<u8> {
        loop {
            if let Some(span) = &mut self.span {
                let kind = self.fragment[self.pos];
                self.pos += 1;
                // A finished tuple starts the next one or closes the span.
                if self.pos == span.end {
                    span.remaining -= 1;
                    if span.remaining == 0 {
                        self.pos = span.end + 1;
                        self.span = None;
                    } else {
                        self.pos = span.start;
                    }
                }
                return Ok(kind);
            }
            match self.fragment.get(self.pos) {
                Some(b'v') => self.pos += 1,
                Some(b'C') => iree_bail!(
                    Internal,
                    "an argument was read where the calling convention has a span"
                ),
                Some(&kind) => {
                    self.pos += 1;
                    self.segment += 1;
                    return Ok(kind);
                }
                None => iree_bail!(
                    InvalidArgument,
                    "argument/result signature mismatch: more arguments read than '{}' has",
                    String::from_utf8_lossy(self.fragment)
                ),
            }
        }
    }

    pub(super) fn i32(&mut self) -> Result<i32> {
        match self.next()? {
            (b'i' | b'f', RegisterValue::I32(value)) => Ok(*value),
            (kind, _) => mismatch(kind, "an i32"),
        }
    }

    pub(super) fn i64(&mut self) -> Result<i64> {
        match self.next()? {
            (b'I' | b'F', RegisterValue::I64(value)) => Ok(*value),
            (kind, _) => mismatch(kind, "an i64"),
        }
    }

    pub(super) fn r(&mut self) -> Result<Ref> {
        match self.next()? {
            (b'r', RegisterValue::Ref(value)) => Ok(value.clone()),
            (kind, _) => mismatch(kind, "a ref"),
        }
    }

    /// Enters the span at the cursor; its count is the call site's.
    pub(super) fn span_count(&mut self) -> Result<usize> {
        iree_ensure!(
            self.span.is_none(),
            Internal,
            "spans do not nest in calling conventions"
        );
        while self.fragment.get(self.pos) == Some(&b'v') {
            self.pos += 1;
        }
        iree_ensure!(
            self.fragment.get(self.pos) == Some(&b'C'),
            Internal,
            "a span was read where the calling convention has none"
        );
        let start = self.pos + 1;
        let Some(length) = self.fragment[start..].iter().position(|&c| c == b'D') else {
            iree_bail!(
                InvalidArgument,
                "unterminated span in '{}'",
                String::from_utf8_lossy(self.fragment)
            );
        };
        let end = start + length;
        let count = self
            .segment_sizes
            .and_then(|sizes| sizes.get(self.segment))
            .copied()
            .unwrap_or(0);
        iree_ensure!(
            count >= 0,
            InvalidArgument,
            "variadic span count {count} is negative"
        );
        let count = count as usize;
        let left = self.values.len() - self.at;
        iree_ensure!(
            count.saturating_mul(length) <= left,
            InvalidArgument,
            "argument/result signature mismatch: a span of {count} tuples of {length} values does not fit the {left} values left"
        );
        self.segment += 1;
        if count == 0 || length == 0 {
            self.pos = end + 1;
        } else {
            self.pos = start;
            self.span = Some(Span {
                start,
                end,
                remaining: count,
            });
        }
        Ok(count)
    }

    pub(super) fn finish(&self) -> Result<()> {
        iree_ensure!(
            self.at == self.values.len(),
            InvalidArgument,
            "argument/result signature mismatch: {} argument values were given but {} read",
            self.values.len(),
            self.at
        );
        Ok(())
    }
}

fn mismatch<T>(kind: u8, wanted: &str) -> Result<T> {
    iree_bail!(
        InvalidArgument,
        "argument/result signature mismatch: {wanted} was read where the calling convention has '{}'",
        kind as char
    )
}

impl Rets {
    /// Appends the results to `out` as interpreter values, checked against
    /// `fragment` (the calling convention's result part).
    pub fn write_values(self, fragment: &[u8], out: &mut Vec<RegisterValue<Ref>>) -> Result<()> {
        let values: [Option<RegisterValue<Ref>>; 2] = match self {
            Rets::None => [None, None],
            Rets::I32(a) => [Some(RegisterValue::I32(a)), None],
            Rets::I64(a) => [Some(RegisterValue::I64(a)), None],
            Rets::Ref(a) => [Some(RegisterValue::Ref(a)), None],
            Rets::I32I32(a, b) => [Some(RegisterValue::I32(a)), Some(RegisterValue::I32(b))],
            Rets::I64I64(a, b) => [Some(RegisterValue::I64(a)), Some(RegisterValue::I64(b))],
            Rets::I32I64(a, b) => [Some(RegisterValue::I32(a)), Some(RegisterValue::I64(b))],
            Rets::RefI64(a, b) => [Some(RegisterValue::Ref(a)), Some(RegisterValue::I64(b))],
            Rets::RefRef(a, b) => [Some(RegisterValue::Ref(a)), Some(RegisterValue::Ref(b))],
        };
        let mut types = fragment.iter().copied().filter(|&c| c != b'v');
        for value in values.into_iter().flatten() {
            let fits = matches!(
                (types.next(), &value),
                (Some(b'i' | b'f'), RegisterValue::I32(_))
                    | (Some(b'I' | b'F'), RegisterValue::I64(_))
                    | (Some(b'r'), RegisterValue::Ref(_))
            );
            iree_ensure!(
                fits,
                Internal,
                "export results do not match result types '{}'",
                String::from_utf8_lossy(fragment)
            );
            out.push(value);
        }
        iree_ensure!(
            types.next().is_none(),
            Internal,
            "export returned too few results for result types '{}'",
            String::from_utf8_lossy(fragment)
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::hal::call::Args;

    #[test]
    fn spans_take_their_counts_from_the_call_site() {
        // `r I CiD CrID` with segments [-, -, 2, 1]
        let values = [
            RegisterValue::Ref(Ref::null()),
            RegisterValue::I64(7),
            RegisterValue::I32(1),
            RegisterValue::I32(2),
            RegisterValue::Ref(Ref::null()),
            RegisterValue::I64(9),
        ];
        let sizes = [-1, -1, 2, 1];
        let mut args = Args::from_values(b"rICiDCrID", &values, Some(&sizes));
        assert!(args.r().unwrap().is_null());
        assert_eq!(args.i64().unwrap(), 7);
        assert_eq!(args.span_i32().unwrap(), [1, 2]);
        assert_eq!(args.span_count(24).unwrap(), 1);
        assert!(args.r().unwrap().is_null());
        assert_eq!(args.i64().unwrap(), 9);
        args.finish().unwrap();
    }

    #[test]
    fn empty_spans_and_wrong_types_are_handled() {
        let values = [RegisterValue::I32(3)];
        let sizes = [0, -1];
        let mut args = Args::from_values(b"CIDi", &values, Some(&sizes));
        assert!(args.span_i64().unwrap().is_empty());
        assert_eq!(args.i32().unwrap(), 3);
        args.finish().unwrap();

        let mut args = Args::from_values(b"I", &values, None);
        assert_eq!(
            args.i64().unwrap_err().code(),
            crate::base::status::StatusCode::InvalidArgument
        );
        // A hostile count is refused before anything is read.
        let mut args = Args::from_values(b"CiD", &values, Some(&[1000]));
        assert!(args.span_count(4).is_err());
        let args = Args::from_values(b"ii", &values, None);
        assert!(args.finish().is_err());
    }

    #[test]
    fn results_are_checked_against_their_types() {
        let mut out = Vec::new();
        Rets::I32I64(1, 2).write_values(b"iI", &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert!(Rets::I32(1).write_values(b"I", &mut out).is_err());
        assert!(Rets::None.write_values(b"i", &mut out).is_err());
        assert!(Rets::I64(1).write_values(b"v", &mut out).is_err());
    }
}
