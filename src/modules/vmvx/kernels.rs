//! The bodies of the `vmvx` module's microkernels: strided 2-D elementwise
//! operations on 32-bit elements, copies and fills.
//!
//! A 2-D operand is a buffer, an element offset, two element strides and
//! the operation's two sizes. It spans the bytes from its offset through
//! its last element, `((size0 - 1) * stride0 + (size1 - 1) * stride1 + 1)`
//! elements (the range IREE's own module maps); a range outside the
//! buffer, a negative number or an overflow is an error status, never an
//! out-of-bounds access. Operands are read out of their buffers and
//! computed; an output writes back only its own elements (never the gaps
//! between strided rows, which another workgroup may be writing).

use crate::modules::hal::call::Args;
use crate::vm::buffer::Buffer;
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// One strided 2-D operand (sizes are the operation's).
pub struct Operand {
    buffer: Ref,
    /// Byte offset of element (0, 0).
    start: usize,
    /// Bytes from the first through the last element (0 when empty).
    length: usize,
    stride0: usize,
    stride1: usize,
    element_size: usize,
    size: (usize, usize),
}

/// Checked conversion of one argument to a non-negative `usize`.
pub fn index(value: i64, what: &str) -> Result<usize> {
    usize::try_from(value).map_err(|_| {
        iree_err!(
            InvalidArgument,
            "{what} is {value}; it must not be negative"
        )
    })
}

impl Operand {
    /// An operand of `size0 x size1` elements of `element_size` bytes.
    pub fn new(
        buffer: Ref,
        (offset, stride0, stride1): (i64, i64, i64),
        (size0, size1): (usize, usize),
        element_size: usize,
        name: &str,
    ) -> Result<Operand> {
        let overflow = || iree_err!(InvalidArgument, "buffer overflow for {name}");
        let stride0 = index(stride0, &format!("the row stride of {name}"))?;
        let stride1 = index(stride1, &format!("the column stride of {name}"))?;
        let start = index(offset, &format!("the offset of {name}"))?
            .checked_mul(element_size)
            .ok_or_else(overflow)?;
        let length = if size0 == 0 || size1 == 0 {
            0
        } else {
            (size0 - 1)
                .checked_mul(stride0)
                .and_then(|a| {
                    (size1 - 1)
                        .checked_mul(stride1)
                        .and_then(|b| a.checked_add(b))
                })
                .and_then(|last| last.checked_add(1))
                .and_then(|count| count.checked_mul(element_size))
                .ok_or_else(overflow)?
        };
        start.checked_add(length).ok_or_else(overflow)?;
        Buffer::from_ref(&buffer).map_err(|e| e.annotate(format!("{name} is not a vm.buffer")))?;
        Ok(Operand {
            buffer,
            start,
            length,
            stride0,
            stride1,
            element_size,
            size: (size0, size1),
        })
    }

    fn bytes(&self) -> Result<&Buffer> {
        Buffer::from_ref(&self.buffer)
    }

    /// The operand's bytes (checked against the buffer).
    pub fn read(&self) -> Result<Vec<u8>> {
        self.bytes()?.read(self.start, self.length)
    }

    /// Stores the operand's elements of `bytes` (laid out as
    /// [`Operand::read`] returns them) back into the buffer.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        if self.length == 0 {
            return Ok(());
        }
        iree_ensure!(
            bytes.len() == self.length,
            Internal,
            "{} bytes written back to a {}-byte operand",
            bytes.len(),
            self.length
        );
        let target = self.bytes()?.map_rw(self.start, self.length)?;
        let (size0, size1) = self.size;
        if self.stride1 == 1 {
            let row = size1 * self.element_size;
            for i in 0..size0 {
                let at = self.at(i, 0);
                target[at..at + row].copy_from_slice(&bytes[at..at + row]);
            }
        } else {
            for i in 0..size0 {
                for j in 0..size1 {
                    let at = self.at(i, j);
                    let end = at + self.element_size;
                    target[at..end].copy_from_slice(&bytes[at..end]);
                }
            }
        }
        Ok(())
    }

    /// Byte offset of element (i, j) within [`Operand::read`]'s bytes.
    pub fn at(&self, i: usize, j: usize) -> usize {
        (i * self.stride0 + j * self.stride1) * self.element_size
    }
}

fn element(bytes: &[u8], at: usize, size: usize) -> Result<&[u8]> {
    bytes
        .get(at..at + size)
        .ok_or_else(|| iree_err!(OutOfRange, "element at byte {at} lies outside its operand"))
}

fn element_mut(bytes: &mut [u8], at: usize, size: usize) -> Result<&mut [u8]> {
    let len = bytes.len();
    bytes.get_mut(at..at + size).ok_or_else(|| {
        iree_err!(
            OutOfRange,
            "element at byte {at} lies outside its {len}-byte operand"
        )
    })
}

fn word(bytes: &[u8], at: usize) -> Result<u32> {
    let b = element(bytes, at, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads `(buffer, offset, stride0, stride1)` of one operand.
pub fn operand_args(args: &mut Args<'_>) -> Result<(Ref, (i64, i64, i64))> {
    Ok((args.r()?, (args.i64()?, args.i64()?, args.i64()?)))
}

fn sizes(args: &mut Args<'_>) -> Result<(usize, usize)> {
    Ok((index(args.i64()?, "size0")?, index(args.i64()?, "size1")?))
}

/// `rIIIrIIIII`: in, out, sizes; `f` maps each element's bytes.
pub fn unary(
    args: &mut Args<'_>,
    element_size: usize,
    f: impl Fn(&[u8], &mut [u8]) -> Result<()>,
) -> Result<()> {
    let (input, input_layout) = operand_args(args)?;
    let (output, output_layout) = operand_args(args)?;
    let size = sizes(args)?;
    args.finish()?;
    let input = Operand::new(input, input_layout, size, element_size, "in")?;
    let output = Operand::new(output, output_layout, size, element_size, "out")?;
    let from = input.read()?;
    let mut to = output.read()?;
    for i in 0..size.0 {
        for j in 0..size.1 {
            let src = element(&from, input.at(i, j), element_size)?;
            f(src, element_mut(&mut to, output.at(i, j), element_size)?)?;
        }
    }
    output.write(&to)
}

/// A unary operation on 32-bit elements.
pub fn unary_x32(args: &mut Args<'_>, f: fn(u32) -> u32) -> Result<()> {
    unary(args, 4, |src, dst| {
        let v = u32::from_le_bytes([src[0], src[1], src[2], src[3]]);
        dst.copy_from_slice(&f(v).to_le_bytes());
        Ok(())
    })
}

/// `rIIIrIIIrIIIII`: lhs, rhs, out, sizes, on 32-bit elements.
pub fn binary_x32(args: &mut Args<'_>, f: fn(u32, u32) -> Result<u32>) -> Result<()> {
    let (lhs, lhs_layout) = operand_args(args)?;
    let (rhs, rhs_layout) = operand_args(args)?;
    let (out, out_layout) = operand_args(args)?;
    let size = sizes(args)?;
    args.finish()?;
    let lhs = Operand::new(lhs, lhs_layout, size, 4, "lhs")?;
    let rhs = Operand::new(rhs, rhs_layout, size, 4, "rhs")?;
    let out = Operand::new(out, out_layout, size, 4, "out")?;
    let (a, b) = (lhs.read()?, rhs.read()?);
    let mut to = out.read()?;
    for i in 0..size.0 {
        for j in 0..size.1 {
            let value = f(word(&a, lhs.at(i, j))?, word(&b, rhs.at(i, j))?)?;
            element_mut(&mut to, out.at(i, j), 4)?.copy_from_slice(&value.to_le_bytes());
        }
    }
    out.write(&to)
}

/// `irIIII`: value, out, offset, row stride, sizes (unit column stride).
pub fn fill_x32(args: &mut Args<'_>) -> Result<()> {
    let value = args.i32()?;
    let out = args.r()?;
    let (offset, row_stride) = (args.i64()?, args.i64()?);
    let size = sizes(args)?;
    args.finish()?;
    let out = Operand::new(out, (offset, row_stride, 1), size, 4, "out")?;
    let mut to = out.read()?;
    for i in 0..size.0 {
        for j in 0..size.1 {
            element_mut(&mut to, out.at(i, j), 4)?.copy_from_slice(&value.to_le_bytes());
        }
    }
    out.write(&to)
}

/// A copy of `element_size`-byte elements.
pub fn copy(args: &mut Args<'_>, element_size: usize) -> Result<()> {
    unary(args, element_size, |src, dst| {
        dst.copy_from_slice(src);
        Ok(())
    })
}

fn f(bits: u32) -> f32 {
    f32::from_bits(bits)
}

pub fn addf(a: u32, b: u32) -> Result<u32> {
    Ok((f(a) + f(b)).to_bits())
}
pub fn subf(a: u32, b: u32) -> Result<u32> {
    Ok((f(a) - f(b)).to_bits())
}
pub fn mulf(a: u32, b: u32) -> Result<u32> {
    Ok((f(a) * f(b)).to_bits())
}
pub fn divf(a: u32, b: u32) -> Result<u32> {
    Ok((f(a) / f(b)).to_bits())
}
pub fn addi(a: u32, b: u32) -> Result<u32> {
    Ok(a.wrapping_add(b))
}
pub fn subi(a: u32, b: u32) -> Result<u32> {
    Ok(a.wrapping_sub(b))
}
pub fn muli(a: u32, b: u32) -> Result<u32> {
    Ok(a.wrapping_mul(b))
}
pub fn andi(a: u32, b: u32) -> Result<u32> {
    Ok(a & b)
}
pub fn ori(a: u32, b: u32) -> Result<u32> {
    Ok(a | b)
}
pub fn xori(a: u32, b: u32) -> Result<u32> {
    Ok(a ^ b)
}
/// Shift counts are taken modulo 32, as the x86 instructions do.
pub fn shli(a: u32, b: u32) -> Result<u32> {
    Ok(a.wrapping_shl(b))
}
pub fn shrsi(a: u32, b: u32) -> Result<u32> {
    Ok((a as i32).wrapping_shr(b) as u32)
}
pub fn shrui(a: u32, b: u32) -> Result<u32> {
    Ok(a.wrapping_shr(b))
}
/// Division by zero (and `i32::MIN / -1`) traps on the reference's CPU; here
/// it is an error status.
pub fn divsi(a: u32, b: u32) -> Result<u32> {
    match (a as i32).checked_div(b as i32) {
        Some(q) => Ok(q as u32),
        None => iree_bail!(
            InvalidArgument,
            "signed division {} / {} traps",
            a as i32,
            b as i32
        ),
    }
}
pub fn divui(a: u32, b: u32) -> Result<u32> {
    match a.checked_div(b) {
        Some(q) => Ok(q),
        None => iree_bail!(InvalidArgument, "unsigned division {a} / 0 traps"),
    }
}

pub fn absf(a: u32) -> u32 {
    f(a).abs().to_bits()
}
pub fn ceilf(a: u32) -> u32 {
    f(a).ceil().to_bits()
}
pub fn floorf(a: u32) -> u32 {
    f(a).floor().to_bits()
}
pub fn negf(a: u32) -> u32 {
    (-f(a)).to_bits()
}
pub fn expf(a: u32) -> u32 {
    f(a).exp().to_bits()
}
pub fn logf(a: u32) -> u32 {
    f(a).ln().to_bits()
}
pub fn rsqrtf(a: u32) -> u32 {
    (1.0 / f(a).sqrt()).to_bits()
}
pub fn ctlz(a: u32) -> u32 {
    a.leading_zeros()
}
