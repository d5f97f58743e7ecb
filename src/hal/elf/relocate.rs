//! RELA relocations, applied to the image bytes before they are sealed.
//! Every write goes to a writable segment; every symbol is one the image
//! defines (undefined symbols are refused before this runs).

use object::elf::{self, Rela64};
use object::read::ReadRef;
use object::LittleEndian as LE;

use super::dynamic::{Dynamic, RelaTable, RELA_SIZE};
use super::layout::Layout;
use super::Machine;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// What one relocation does to the image.
enum Action {
    Nothing,
    /// Store the low `width` bytes of the value, little-endian.
    Store {
        value: u64,
        width: u64,
    },
    /// Copy `size` bytes from the symbol's ELF address (R_*_COPY).
    Copy {
        from_vaddr: u64,
        size: u64,
    },
}

/// One entry, decoded.
struct Entry {
    offset: u64,
    kind: u32,
    symbol: u32,
    addend: i64,
}

/// Applies the `DT_RELA` table, then the `DT_JMPREL` one. `load_bias` is
/// what the image's ELF addresses are shifted by (its base address minus
/// `layout.vaddr_start`). Returns how many entries were applied.
pub fn apply_all(
    layout: &Layout,
    dynamic: &Dynamic,
    image: &mut [u8],
    load_bias: u64,
) -> Result<usize> {
    let mut applied = 0;
    for (table, name) in [(&dynamic.rela, "DT_RELA"), (&dynamic.plt_rela, "DT_JMPREL")] {
        applied += apply_table(layout, dynamic, image, load_bias, table, name)?;
    }
    Ok(applied)
}

fn apply_table(
    layout: &Layout,
    dynamic: &Dynamic,
    image: &mut [u8],
    load_bias: u64,
    table: &RelaTable,
    name: &str,
) -> Result<usize> {
    for index in 0..table.len() {
        let at = (table.range.start + index * RELA_SIZE as usize) as u64;
        let entry = {
            let rela: &Rela64<LE> = (&*image)
                .read_at(at)
                .map_err(|()| iree_err!(Internal, "{name} entry {index} unreadable"))?;
            let info = rela.r_info.get(LE);
            Entry {
                offset: rela.r_offset.get(LE),
                kind: (info & 0xFFFF_FFFF) as u32,
                symbol: (info >> 32) as u32,
                addend: rela.r_addend.get(LE),
            }
        };
        let action = decide(layout, dynamic, image, load_bias, &entry)
            .map_err(|e| e.annotate(format!("in {name} relocation {index}")))?;
        perform(layout, image, &entry, action)
            .map_err(|e| e.annotate(format!("in {name} relocation {index}")))?;
    }
    Ok(table.len())
}

/// The address of symbol `index` (0: no symbol, address 0).
fn symbol_address(dynamic: &Dynamic, image: &[u8], load_bias: u64, index: u32) -> Result<u64> {
    if index == 0 {
        return Ok(0);
    }
    let symbol = dynamic.symbol(image, index)?;
    iree_ensure!(
        !symbol.is_undefined(),
        Unavailable,
        "relocation against undefined symbol '{}'",
        symbol.display_name()
    );
    Ok(if symbol.is_absolute() {
        symbol.value
    } else {
        load_bias.wrapping_add(symbol.value)
    })
}

fn decide(
    layout: &Layout,
    dynamic: &Dynamic,
    image: &[u8],
    load_bias: u64,
    entry: &Entry,
) -> Result<Action> {
    let addend = entry.addend as u64;
    let place = load_bias.wrapping_add(entry.offset);
    let sym = symbol_address(dynamic, image, load_bias, entry.symbol)?;
    let store64 = |value: u64| Ok(Action::Store { value, width: 8 });
    match layout.machine {
        Machine::X86_64 => match elf::RelocationType(entry.kind) {
            elf::R_X86_64_NONE => Ok(Action::Nothing),
            elf::R_X86_64_64 => store64(sym.wrapping_add(addend)),
            elf::R_X86_64_GLOB_DAT | elf::R_X86_64_JUMP_SLOT => store64(sym),
            elf::R_X86_64_RELATIVE => store64(load_bias.wrapping_add(addend)),
            elf::R_X86_64_COPY => {
                iree_ensure!(
                    entry.symbol != 0,
                    InvalidArgument,
                    "R_X86_64_COPY names no symbol"
                );
                let symbol = dynamic.symbol(image, entry.symbol)?;
                iree_ensure!(
                    !symbol.is_absolute(),
                    InvalidArgument,
                    "R_X86_64_COPY of absolute symbol '{}'",
                    symbol.display_name()
                );
                Ok(Action::Copy {
                    from_vaddr: symbol.value,
                    size: symbol.size,
                })
            }
            elf::R_X86_64_PC32 => {
                let value = (sym.wrapping_add(addend).wrapping_sub(place)) as i64;
                iree_ensure!(
                    i32::try_from(value).is_ok(),
                    OutOfRange,
                    "R_X86_64_PC32 displacement {value:#x} does not fit 32 bits"
                );
                Ok(Action::Store {
                    value: value as u64,
                    width: 4,
                })
            }
            elf::R_X86_64_32 => {
                let value = sym.wrapping_add(addend);
                iree_ensure!(
                    u32::try_from(value).is_ok(),
                    OutOfRange,
                    "R_X86_64_32 value {value:#x} does not fit 32 bits"
                );
                Ok(Action::Store { value, width: 4 })
            }
            elf::R_X86_64_32S => {
                let value = sym.wrapping_add(addend) as i64;
                iree_ensure!(
                    i32::try_from(value).is_ok(),
                    OutOfRange,
                    "R_X86_64_32S value {value:#x} does not fit a sign-extended 32 bits"
                );
                Ok(Action::Store {
                    value: value as u64,
                    width: 4,
                })
            }
            other => iree_bail!(
                Unimplemented,
                "x86-64 relocation type {} is not supported",
                other.0
            ),
        },
        Machine::Aarch64 => match elf::RelocationType(entry.kind) {
            elf::R_AARCH64_NONE => Ok(Action::Nothing),
            elf::R_AARCH64_ABS64 | elf::R_AARCH64_GLOB_DAT | elf::R_AARCH64_JUMP_SLOT => {
                store64(sym.wrapping_add(addend))
            }
            elf::R_AARCH64_RELATIVE => store64(load_bias.wrapping_add(addend)),
            other => iree_bail!(
                Unimplemented,
                "AArch64 relocation type {} is not supported",
                other.0
            ),
        },
    }
}

fn perform(layout: &Layout, image: &mut [u8], entry: &Entry, action: Action) -> Result<()> {
    let target = |len: u64| {
        let range = layout
            .is_writable(entry.offset, len)
            .then(|| layout.image_range(entry.offset, len))
            .flatten();
        range.ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "relocation writes {len} bytes at {:#x}, outside every writable segment",
                entry.offset
            )
        })
    };
    match action {
        Action::Nothing => {}
        Action::Store { value, width } => {
            let range = target(width)?;
            image[range].copy_from_slice(&value.to_le_bytes()[..width as usize]);
        }
        Action::Copy { from_vaddr, size } => {
            let destination = target(size)?;
            let source = layout.image_range(from_vaddr, size).ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "R_*_COPY source {from_vaddr:#x}+{size:#x} is outside the image"
                )
            })?;
            image.copy_within(source, destination.start);
        }
    }
    Ok(())
}
