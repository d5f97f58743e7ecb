//! The data-tiling microkernels of the `vmvx` module: `mmt4d` (a matmul on
//! tiled operands), `pack` / `unpack` (to and from the tiled layout) and
//! `query_tile_sizes.2d`, with IREE 3.13's flag bits and argument lists.
//!
//! The tiled layouts: an `mmt4d` LHS is `M x K x M0 x K0` (RHS `N x K x N0
//! x K0`, result `M x N x M0 x N0`), row-major with only the outermost
//! stride free. `pack` writes such a 4-D array from a strided 2-D one,
//! padding the edge tiles; its flags may swap the two outer dimensions
//! and/or the two tile dimensions; `unpack` reads one back.
//!
//! Results must match IREE's own microkernels bit for bit, and those pick
//! a tile function by CPU: on x86-64, an f32 `mmt4d` whose tile shape has
//! an AVX2 (or AVX-512) tile function accumulates with fused multiply-adds
//! and the rest with a separate multiply and add. `HostCpu` makes the same
//! choice here, and `query_tile_sizes.2d` answers with the tile sizes the
//! reference would on the same CPU.

use crate::modules::hal::call::{Args, Rets};
use crate::modules::vmvx::kernels::{index, operand_args, Operand};
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, iree_err, Result};

const MMT4D_TYPE_F32F32F32: u32 = 0x01;
const MMT4D_TYPE_S8S8S32: u32 = 0x02;
const MMT4D_ACCUMULATE: u32 = 0x100;
const MMT4D_ALLOW_GENERIC_FALLBACK: u32 = 0x200;
const MMT4D_SKIP_INTERMEDIATE_ROUNDINGS: u32 = 0x400;

const PACK_TYPE_F32F32: u32 = 0x01;
const PACK_TYPE_I8I8: u32 = 0x02;
const PACK_TYPE_I32I32: u32 = 0x03;
const TRANSPOSE_INNER: u32 = 0x100;
const TRANSPOSE_OUTER: u32 = 0x200;

const ROLE_LHS: u32 = 0x01;
const ROLE_RHS: u32 = 0x02;
const ROLE_RESULT: u32 = 0x03;
const OPERATION_MATMUL_F32F32F32: u32 = 0x0100;
const OPERATION_MATMUL_I8I8I32: u32 = 0x0200;
/// The other matmul operations `query_tile_sizes.2d` knows (f16 and bf16
/// variants), which get the generic tile sizes.
const OPERATIONS_MATMUL_OTHER: [u32; 4] = [0x0300, 0x0400, 0x0500, 0x0600];

/// The CPU features IREE's x86-64 microkernels select on.
#[derive(Clone, Copy)]
struct HostCpu {
    avx2_fma: bool,
    avx512_base: bool,
    avx512_vnni: bool,
}

impl HostCpu {
    #[cfg(target_arch = "x86_64")]
    fn detect() -> HostCpu {
        use std::arch::is_x86_feature_detected as has;
        let avx2_fma = has!("avx2") && has!("fma") && has!("f16c");
        let avx512_base = avx2_fma
            && has!("avx512f")
            && has!("avx512bw")
            && has!("avx512dq")
            && has!("avx512vl")
            && has!("avx512cd");
        HostCpu {
            avx2_fma,
            avx512_base,
            avx512_vnni: avx512_base && has!("avx512vnni"),
        }
    }

    /// Elsewhere only the generic tile functions are modelled.
    #[cfg(not(target_arch = "x86_64"))]
    fn detect() -> HostCpu {
        HostCpu {
            avx2_fma: false,
            avx512_base: false,
            avx512_vnni: false,
        }
    }

    fn get() -> HostCpu {
        static CPU: std::sync::OnceLock<HostCpu> = std::sync::OnceLock::new();
        *CPU.get_or_init(HostCpu::detect)
    }

    /// Whether IREE has a CPU-specific tile function for this mmt4d.
    fn has_mmt4d_tile(self, element: u32, (m0, n0, k0): (usize, usize, usize)) -> bool {
        let m0_up_to = |max: usize| m0.is_power_of_two() && m0 <= max;
        let k0_wanted = if element == MMT4D_TYPE_F32F32F32 {
            1
        } else {
            2
        };
        k0 == k0_wanted
            && ((self.avx2_fma && n0 == 8 && m0_up_to(8))
                || (self.avx512_base && n0 == 16 && m0_up_to(16)))
    }

    /// `(M0, K0, N0)` for a matmul of `operation`.
    fn matmul_tile_sizes(self, operation: u32) -> (i64, i64, i64) {
        match operation {
            OPERATION_MATMUL_F32F32F32 if self.avx512_base => (16, 1, 16),
            OPERATION_MATMUL_F32F32F32 if self.avx2_fma => (8, 1, 8),
            OPERATION_MATMUL_F32F32F32 => (8, 1, 4),
            OPERATION_MATMUL_I8I8I32 if self.avx512_vnni => (16, 2, 16),
            OPERATION_MATMUL_I8I8I32 if self.avx2_fma => (8, 2, 8),
            OPERATION_MATMUL_I8I8I32 => (8, 2, 4),
            _ => (8, 4, 8),
        }
    }
}

fn tile_size(value: i32, what: &str) -> Result<usize> {
    let size = usize::try_from(value).map_err(|_| {
        iree_err!(
            InvalidArgument,
            "{what} is {value}; it must not be negative"
        )
    })?;
    iree_ensure!(
        size <= i16::MAX as usize,
        InvalidArgument,
        "{what} is {value}; tile sizes are at most {}",
        i16::MAX
    );
    Ok(size)
}

fn product(values: &[usize], what: &str) -> Result<usize> {
    values
        .iter()
        .try_fold(1usize, |acc, &v| acc.checked_mul(v))
        .ok_or_else(|| iree_err!(InvalidArgument, "{what} overflows"))
}

fn f32_at(bytes: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn i32_at(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// A tiled mmt4d operand's buffer and `(offset, row stride, 1)`.
fn panel_args(args: &mut Args<'_>) -> Result<(Ref, (i64, i64, i64))> {
    Ok((args.r()?, (args.i64()?, args.i64()?, 1)))
}

/// `vmvx.mmt4d` (`rIIrIIrIIIIIiiii`): lhs, rhs and out (buffer, offset,
/// row stride), M, N, K, M0, N0, K0, flags.
pub fn mmt4d(args: &mut Args<'_>) -> Result<()> {
    let (lhs, lhs_layout) = panel_args(args)?;
    let (rhs, rhs_layout) = panel_args(args)?;
    let (out, out_layout) = panel_args(args)?;
    let m = index(args.i64()?, "M")?;
    let n = index(args.i64()?, "N")?;
    let k = index(args.i64()?, "K")?;
    let m0 = tile_size(args.i32()?, "M0")?;
    let n0 = tile_size(args.i32()?, "N0")?;
    let k0 = tile_size(args.i32()?, "K0")?;
    let flags = args.i32()? as u32;
    args.finish()?;
    let element = flags & 0xFF;
    let in_size = match element {
        MMT4D_TYPE_F32F32F32 => 4,
        MMT4D_TYPE_S8S8S32 => 1,
        _ => iree_bail!(
            InvalidArgument,
            "unhandled mmt4d flags 0x{flags:x}: the vmvx module multiplies f32 and i8 operands only"
        ),
    };
    let known =
        0xFF | MMT4D_ACCUMULATE | MMT4D_ALLOW_GENERIC_FALLBACK | MMT4D_SKIP_INTERMEDIATE_ROUNDINGS;
    iree_ensure!(
        flags & !known == 0,
        InvalidArgument,
        "unknown mmt4d flag bits 0x{:x}",
        flags & !known
    );
    let accumulate = flags & MMT4D_ACCUMULATE != 0;
    if m == 0 || n == 0 || (k == 0 && accumulate) {
        return Ok(());
    }
    let cpu = HostCpu::get();
    let fused = cpu.has_mmt4d_tile(element, (m0, n0, k0));
    iree_ensure!(
        fused || flags & MMT4D_ALLOW_GENERIC_FALLBACK != 0,
        InvalidArgument,
        "no tile function for a {m0}x{n0}x{k0} mmt4d on this CPU, and the flags do not allow the generic one"
    );
    let lhs_panel = product(&[k, m0, k0], "the lhs panel size")?;
    let rhs_panel = product(&[k, n0, k0], "the rhs panel size")?;
    let out_tile = product(&[m0, n0], "the out tile size")?;
    let out_row = product(&[n, out_tile], "the out row size")?;
    let lhs = Operand::new(lhs, lhs_layout, (m, lhs_panel), in_size, "lhs")?;
    let rhs = Operand::new(rhs, rhs_layout, (n, rhs_panel), in_size, "rhs")?;
    let out = Operand::new(out, out_layout, (m, out_row), 4, "out")?;
    let (a, b) = (lhs.read()?, rhs.read()?);
    let mut c = out.read()?;
    for i in 0..m {
        for j in 0..n {
            let tile = out.at(i, j * out_tile);
            for i0 in 0..m0 {
                for j0 in 0..n0 {
                    let at = tile + (i0 * n0 + j0) * 4;
                    let lhs_at = |kk: usize, kk0: usize| lhs.at(i, kk * m0 * k0 + i0 * k0 + kk0);
                    let rhs_at = |kk: usize, kk0: usize| rhs.at(j, kk * n0 * k0 + j0 * k0 + kk0);
                    let value = if element == MMT4D_TYPE_F32F32F32 {
                        let mut acc = if accumulate { f32_at(&c, at) } else { 0.0 };
                        for kk in 0..k {
                            for kk0 in 0..k0 {
                                let (x, y) =
                                    (f32_at(&a, lhs_at(kk, kk0)), f32_at(&b, rhs_at(kk, kk0)));
                                acc = if fused {
                                    x.mul_add(y, acc)
                                } else {
                                    acc + x * y
                                };
                            }
                        }
                        acc.to_bits()
                    } else {
                        let mut acc = if accumulate { i32_at(&c, at) } else { 0 };
                        for kk in 0..k {
                            for kk0 in 0..k0 {
                                let x = a[lhs_at(kk, kk0)] as i8 as i32;
                                let y = b[rhs_at(kk, kk0)] as i8 as i32;
                                acc = acc.wrapping_add(x * y);
                            }
                        }
                        acc as u32
                    };
                    c[at..at + 4].copy_from_slice(&value.to_le_bytes());
                }
            }
        }
    }
    out.write(&c)
}

/// The shape of a tiled 4-D array as a pack or unpack sees it: outer
/// dimensions and tile dimensions in the 2-D array's order, and where
/// element (outer0, outer1, tile0, tile1) of that order lies in the 4-D
/// array's row of tiles (flags may transpose either pair).
struct TiledShape {
    outer: (usize, usize),
    tile: (usize, usize),
    transpose_outer: bool,
    transpose_inner: bool,
    /// Elements in one tile (the 4-D array's inner two sizes).
    tile_elements: usize,
}

impl TiledShape {
    fn new(sizes: [usize; 4], flags: u32) -> Result<TiledShape> {
        let transpose_outer = flags & TRANSPOSE_OUTER != 0;
        let transpose_inner = flags & TRANSPOSE_INNER != 0;
        let swap = |on: bool, a: usize, b: usize| if on { (b, a) } else { (a, b) };
        Ok(TiledShape {
            outer: swap(transpose_outer, sizes[0], sizes[1]),
            tile: swap(transpose_inner, sizes[2], sizes[3]),
            transpose_outer,
            transpose_inner,
            tile_elements: product(&sizes[2..], "the tile size")?,
        })
    }

    /// Checks that the tiles cover a `size0 x size1` array.
    fn check_covers(&self, (size0, size1): (usize, usize), what: &str) -> Result<()> {
        let covers = |outer: usize, tile: usize, size: usize| {
            outer.checked_mul(tile).is_some_and(|total| total >= size)
        };
        iree_ensure!(
            covers(self.outer.0, self.tile.0, size0) && covers(self.outer.1, self.tile.1, size1),
            InvalidArgument,
            "{} x {} tiles of {} x {} do not cover the {size0} x {size1} {what}",
            self.outer.0,
            self.outer.1,
            self.tile.0,
            self.tile.1
        );
        Ok(())
    }

    /// `(row, element within the row of tiles)` in the 4-D operand of 2-D
    /// element (i, j) (which must be covered).
    fn locate(&self, i: usize, j: usize) -> (usize, usize) {
        let (a, p) = (i / self.tile.0, i % self.tile.0);
        let (b, q) = (j / self.tile.1, j % self.tile.1);
        let (o0, o1) = if self.transpose_outer { (b, a) } else { (a, b) };
        let (t0, t1) = if self.transpose_inner { (q, p) } else { (p, q) };
        let inner_size1 = if self.transpose_inner {
            self.tile.0
        } else {
            self.tile.1
        };
        (o0, o1 * self.tile_elements + t0 * inner_size1 + t1)
    }
}

fn sizes4(args: &mut Args<'_>, what: &str) -> Result<[usize; 4]> {
    let mut sizes = [0; 4];
    for (axis, size) in sizes.iter_mut().enumerate() {
        *size = index(args.i64()?, &format!("{what} size {axis}"))?;
    }
    Ok(sizes)
}

fn sizes2(args: &mut Args<'_>, what: &str) -> Result<(usize, usize)> {
    Ok((
        index(args.i64()?, &format!("{what} size 0"))?,
        index(args.i64()?, &format!("{what} size 1"))?,
    ))
}

/// The 4-D operand's tile stride must be the tile size (only the
/// outermost stride is free).
fn check_tile_stride(stride: i64, shape: &TiledShape, what: &str) -> Result<()> {
    iree_ensure!(
        usize::try_from(stride).is_ok_and(|s| s == shape.tile_elements),
        InvalidArgument,
        "the {what} stride 1 is {stride}; a tiled operand's must be its tile size {}",
        shape.tile_elements
    );
    Ok(())
}

/// `vmvx.pack` (`rIIIrIIIIIIIIIIi`): in (buffer, offset, 2 strides), out
/// (buffer, offset, 2 strides), the in sizes, the 4 out sizes, the padding
/// value and flags.
pub fn pack(args: &mut Args<'_>) -> Result<()> {
    let (input, input_layout) = operand_args(args)?;
    let (output, (out_offset, out_stride0, out_stride1)) = operand_args(args)?;
    let in_size = sizes2(args, "in")?;
    let out_sizes = sizes4(args, "out")?;
    let padding = args.i64()? as u64;
    let flags = args.i32()? as u32;
    args.finish()?;
    let element_size = match flags & 0xFF {
        PACK_TYPE_F32F32 | PACK_TYPE_I32I32 => 4,
        PACK_TYPE_I8I8 => 1,
        _ => iree_bail!(
            InvalidArgument,
            "unhandled pack flags 0x{flags:x}: the vmvx module packs 32-bit and 8-bit elements only"
        ),
    };
    check_flags(flags, "pack")?;
    if out_sizes.contains(&0) {
        return Ok(());
    }
    let shape = TiledShape::new(out_sizes, flags)?;
    check_tile_stride(out_stride1, &shape, "out")?;
    shape.check_covers(in_size, "input")?;
    let row = product(&[out_sizes[1], shape.tile_elements], "the out row size")?;
    let input = Operand::new(input, input_layout, in_size, element_size, "in")?;
    let output = Operand::new(
        output,
        (out_offset, out_stride0, 1),
        (out_sizes[0], row),
        element_size,
        "out",
    )?;
    let from = input.read()?;
    let mut to = output.read()?;
    let pad = &padding.to_le_bytes()[..element_size];
    // Every element of the tiles: from the input where it covers them,
    // else the padding value.
    for i in 0..shape.outer.0 * shape.tile.0 {
        for j in 0..shape.outer.1 * shape.tile.1 {
            let (o0, within) = shape.locate(i, j);
            let at = output.at(o0, within);
            let value = if i < in_size.0 && j < in_size.1 {
                let src = input.at(i, j);
                &from[src..src + element_size]
            } else {
                pad
            };
            to[at..at + element_size].copy_from_slice(value);
        }
    }
    output.write(&to)
}

fn check_flags(flags: u32, what: &str) -> Result<()> {
    let known = 0xFF | TRANSPOSE_INNER | TRANSPOSE_OUTER;
    iree_ensure!(
        flags & !known == 0,
        InvalidArgument,
        "unknown {what} flag bits 0x{:x}",
        flags & !known
    );
    Ok(())
}

/// `vmvx.unpack` (`rIIIrIIIIIIIIIi`): in (buffer, offset, 2 strides), out
/// (buffer, offset, 2 strides), the 4 in sizes, the out sizes and flags.
pub fn unpack(args: &mut Args<'_>) -> Result<()> {
    let (input, (in_offset, in_stride0, in_stride1)) = operand_args(args)?;
    let (output, output_layout) = operand_args(args)?;
    let in_sizes = sizes4(args, "in")?;
    let out_size = sizes2(args, "out")?;
    let flags = args.i32()? as u32;
    args.finish()?;
    let element_size = match flags & 0xFF {
        PACK_TYPE_F32F32 | PACK_TYPE_I32I32 => 4,
        _ => iree_bail!(
            InvalidArgument,
            "unhandled unpack flags 0x{flags:x}: the vmvx module unpacks 32-bit elements only"
        ),
    };
    check_flags(flags, "unpack")?;
    if out_size.0 == 0 || out_size.1 == 0 {
        return Ok(());
    }
    let shape = TiledShape::new(in_sizes, flags)?;
    check_tile_stride(in_stride1, &shape, "in")?;
    shape.check_covers(out_size, "output")?;
    let row = product(&[in_sizes[1], shape.tile_elements], "the in row size")?;
    let input = Operand::new(
        input,
        (in_offset, in_stride0, 1),
        (in_sizes[0], row),
        element_size,
        "in",
    )?;
    let output = Operand::new(output, output_layout, out_size, element_size, "out")?;
    let from = input.read()?;
    let mut to = output.read()?;
    for i in 0..out_size.0 {
        for j in 0..out_size.1 {
            let (o0, within) = shape.locate(i, j);
            let src = input.at(o0, within);
            let at = output.at(i, j);
            to[at..at + element_size].copy_from_slice(&from[src..src + element_size]);
        }
    }
    output.write(&to)
}

/// `vmvx.query_tile_sizes.2d` (`IIi` -> `II`): the tile sizes of one
/// operand of a data-tiled matmul (sizes, then the operand role and
/// operation in the flags).
pub fn query_tile_sizes_2d(args: &mut Args<'_>) -> Result<Rets> {
    let (_size0, _size1) = (args.i64()?, args.i64()?);
    let flags = args.i32()? as u32;
    args.finish()?;
    let operation = flags & 0xFF00;
    iree_ensure!(
        operation == OPERATION_MATMUL_F32F32F32
            || operation == OPERATION_MATMUL_I8I8I32
            || OPERATIONS_MATMUL_OTHER.contains(&operation),
        InvalidArgument,
        "query_tile_sizes.2d: flags 0x{flags:x} name no matmul operation"
    );
    let (m, k, n) = HostCpu::get().matmul_tile_sizes(operation);
    let (size0, size1) = match flags & 0xFF {
        ROLE_LHS => (m, k),
        ROLE_RHS => (n, k),
        ROLE_RESULT => (m, n),
        role => iree_bail!(
            InvalidArgument,
            "query_tile_sizes.2d: operand role {role} is not lhs, rhs or result"
        ),
    };
    Ok(Rets::I64I64(size0, size1))
}
