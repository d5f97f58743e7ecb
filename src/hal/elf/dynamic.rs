//! The dynamic section of a loaded (not yet relocated) image: the tables it
//! points at, checked to lie inside the image's file-provided bytes, and
//! the dynamic symbol table read through its SysV hash table.

use std::ops::Range;

use object::elf::{self, Dyn64, Rela64, Sym64};
use object::read::ReadRef;
use object::LittleEndian as LE;

use super::layout::Layout;
use crate::{iree_bail, iree_ensure, iree_err, Result};

const DYN_SIZE: u64 = std::mem::size_of::<Dyn64<LE>>() as u64;
pub const SYM_SIZE: u64 = std::mem::size_of::<Sym64<LE>>() as u64;
pub const RELA_SIZE: u64 = std::mem::size_of::<Rela64<LE>>() as u64;

/// A relocation table: image offsets of its entries.
#[derive(Clone, Debug, Default)]
pub struct RelaTable {
    pub range: Range<usize>,
}

impl RelaTable {
    pub fn len(&self) -> usize {
        self.range.len() / RELA_SIZE as usize
    }
}

/// What the dynamic section says, in image offsets where it is a table.
#[derive(Debug)]
pub struct Dynamic {
    pub strtab: Range<usize>,
    pub symtab: Range<usize>,
    pub symbol_count: u32,
    pub hash_buckets: Range<usize>,
    pub hash_chains: Range<usize>,
    /// `DT_RELA`, then `DT_JMPREL` (the PLT's).
    pub rela: RelaTable,
    pub plt_rela: RelaTable,
    /// `DT_INIT`, as an ELF address.
    pub init: Option<u64>,
    /// `DT_INIT_ARRAY`: image offsets of its entries (read after relocation).
    pub init_array: Range<usize>,
}

/// The dynamic tags the loader reads, each at most once.
#[derive(Default)]
struct Tags {
    strtab: Option<u64>,
    strsz: Option<u64>,
    symtab: Option<u64>,
    hash: Option<u64>,
    rela: Option<u64>,
    relasz: Option<u64>,
    jmprel: Option<u64>,
    pltrelsz: Option<u64>,
    init: Option<u64>,
    init_array: Option<u64>,
    init_arraysz: Option<u64>,
}

fn set_once(slot: &mut Option<u64>, value: u64, name: &str) -> Result<()> {
    iree_ensure!(
        slot.is_none(),
        InvalidArgument,
        "dynamic section has {name} twice"
    );
    *slot = Some(value);
    Ok(())
}

fn u32_at(image: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([image[at], image[at + 1], image[at + 2], image[at + 3]])
}

impl Dynamic {
    pub fn parse(layout: &Layout, image: &[u8]) -> Result<Dynamic> {
        let tags = read_tags(layout, image)?;
        let table = |vaddr: Option<u64>, size: u64, what: &str| -> Result<Range<usize>> {
            let vaddr =
                vaddr.ok_or_else(|| iree_err!(InvalidArgument, "dynamic section has no {what}"))?;
            layout.file_backed_range(vaddr, size).ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "{what} at {vaddr:#x}+{size:#x} is outside the image's file bytes"
                )
            })
        };

        let strsz = tags
            .strsz
            .ok_or_else(|| iree_err!(InvalidArgument, "dynamic section has no DT_STRSZ"))?;
        let strtab = table(tags.strtab, strsz, "DT_STRTAB")?;
        iree_ensure!(
            image[strtab.clone()].last() == Some(&0),
            InvalidArgument,
            "DT_STRTAB ({strsz} bytes) does not end with a NUL"
        );

        // The SysV hash table's chain count is the symbol count.
        let hash_vaddr = tags.hash.ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "dynamic section has no DT_HASH (the loader needs the SysV hash table)"
            )
        })?;
        let header = table(Some(hash_vaddr), 8, "DT_HASH")?;
        let bucket_count = u32_at(image, header.start);
        let chain_count = u32_at(image, header.start + 4);
        let hash_len = (2 + u64::from(bucket_count) + u64::from(chain_count)) * 4;
        let hash = table(Some(hash_vaddr), hash_len, "DT_HASH")?;
        let buckets_start = hash.start + 8;
        let chains_start = buckets_start + bucket_count as usize * 4;
        let hash_buckets = buckets_start..chains_start;
        let hash_chains = chains_start..hash.end;
        for at in hash.clone().skip(8).step_by(4) {
            let index = u32_at(image, at);
            iree_ensure!(
                index < chain_count,
                InvalidArgument,
                "DT_HASH entry {index} is past the {chain_count} symbols"
            );
        }
        let symtab = table(tags.symtab, u64::from(chain_count) * SYM_SIZE, "DT_SYMTAB")?;

        let rela = relocation_table(layout, tags.rela, tags.relasz, "DT_RELA", "DT_RELASZ")?;
        let plt_rela = relocation_table(
            layout,
            tags.jmprel,
            tags.pltrelsz,
            "DT_JMPREL",
            "DT_PLTRELSZ",
        )?;

        let init_array = match (tags.init_array, tags.init_arraysz) {
            (None, None) => 0..0,
            (Some(vaddr), Some(size)) => {
                iree_ensure!(
                    size % 8 == 0,
                    InvalidArgument,
                    "DT_INIT_ARRAYSZ {size} is not a multiple of 8"
                );
                layout.file_backed_range(vaddr, size).ok_or_else(|| {
                    iree_err!(
                        InvalidArgument,
                        "DT_INIT_ARRAY at {vaddr:#x}+{size:#x} is outside the image's file bytes"
                    )
                })?
            }
            _ => iree_bail!(
                InvalidArgument,
                "dynamic section has only one of DT_INIT_ARRAY and DT_INIT_ARRAYSZ"
            ),
        };
        Ok(Dynamic {
            strtab,
            symtab,
            symbol_count: chain_count,
            hash_buckets,
            hash_chains,
            rela,
            plt_rela,
            init: tags.init,
            init_array,
        })
    }
}

fn relocation_table(
    layout: &Layout,
    vaddr: Option<u64>,
    size: Option<u64>,
    table_tag: &str,
    size_tag: &str,
) -> Result<RelaTable> {
    match (vaddr, size) {
        (None, None) => Ok(RelaTable::default()),
        (Some(vaddr), Some(size)) => {
            iree_ensure!(
                size % RELA_SIZE == 0,
                InvalidArgument,
                "{size_tag} {size} is not a multiple of the {RELA_SIZE}-byte entry"
            );
            let range = layout.file_backed_range(vaddr, size).ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "{table_tag} at {vaddr:#x}+{size:#x} is outside the image's file bytes"
                )
            })?;
            Ok(RelaTable { range })
        }
        _ => iree_bail!(
            InvalidArgument,
            "dynamic section has only one of {table_tag} and {size_tag}"
        ),
    }
}

fn read_tags(layout: &Layout, image: &[u8]) -> Result<Tags> {
    let dynamic = &layout.dynamic;
    let range = layout
        .file_backed_range(dynamic.start, dynamic.end - dynamic.start)
        .ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "PT_DYNAMIC {:#x}..{:#x} is outside the image's file bytes",
                dynamic.start,
                dynamic.end
            )
        })?;
    let bytes = &image[range];
    let mut tags = Tags::default();
    let mut terminated = false;
    for index in 0..bytes.len() as u64 / DYN_SIZE {
        let entry: &Dyn64<LE> = bytes
            .read_at(index * DYN_SIZE)
            .map_err(|()| iree_err!(Internal, "dynamic entry {index} unreadable"))?;
        let tag = entry.d_tag.get(LE);
        let value = entry.d_val.get(LE);
        match tag {
            elf::DT_NULL => {
                terminated = true;
                break;
            }
            elf::DT_STRTAB => set_once(&mut tags.strtab, value, "DT_STRTAB")?,
            elf::DT_STRSZ => set_once(&mut tags.strsz, value, "DT_STRSZ")?,
            elf::DT_SYMTAB => set_once(&mut tags.symtab, value, "DT_SYMTAB")?,
            elf::DT_HASH => set_once(&mut tags.hash, value, "DT_HASH")?,
            elf::DT_RELA => set_once(&mut tags.rela, value, "DT_RELA")?,
            elf::DT_RELASZ => set_once(&mut tags.relasz, value, "DT_RELASZ")?,
            elf::DT_JMPREL => set_once(&mut tags.jmprel, value, "DT_JMPREL")?,
            elf::DT_PLTRELSZ => set_once(&mut tags.pltrelsz, value, "DT_PLTRELSZ")?,
            elf::DT_INIT => set_once(&mut tags.init, value, "DT_INIT")?,
            elf::DT_INIT_ARRAY => set_once(&mut tags.init_array, value, "DT_INIT_ARRAY")?,
            elf::DT_INIT_ARRAYSZ => set_once(&mut tags.init_arraysz, value, "DT_INIT_ARRAYSZ")?,
            elf::DT_SYMENT => iree_ensure!(
                value == SYM_SIZE,
                InvalidArgument,
                "DT_SYMENT {value} is not the {SYM_SIZE}-byte ELF64 symbol"
            ),
            elf::DT_RELAENT => iree_ensure!(
                value == RELA_SIZE,
                InvalidArgument,
                "DT_RELAENT {value} is not the {RELA_SIZE}-byte ELF64 RELA entry"
            ),
            elf::DT_PLTREL => iree_ensure!(
                value == elf::DT_RELA.0 as u64,
                InvalidArgument,
                "DT_PLTREL {value} is not DT_RELA: only RELA relocations are supported"
            ),
            elf::DT_REL | elf::DT_RELSZ | elf::DT_RELENT => {
                iree_bail!(
                    Unimplemented,
                    "ELF has REL relocations (dynamic tag {}): only RELA is supported",
                    tag.0
                )
            }
            elf::DT_RELR | elf::DT_RELRSZ => {
                iree_bail!(
                    Unimplemented,
                    "ELF has RELR relocations (dynamic tag {}): only RELA is supported",
                    tag.0
                )
            }
            elf::DT_NEEDED => {
                iree_bail!(
                    Unavailable,
                    "ELF needs a shared library (DT_NEEDED): embedded executables import nothing"
                )
            }
            elf::DT_TEXTREL => iree_bail!(PermissionDenied, "ELF relocates its code (DT_TEXTREL)"),
            elf::DT_FLAGS if value & elf::DF_TEXTREL.0 != 0 => {
                iree_bail!(PermissionDenied, "ELF relocates its code (DF_TEXTREL)")
            }
            // Everything else (flags, counts, GNU hash, versions, names,
            // finalizers, which the loader never runs) changes nothing here.
            _ => {}
        }
    }
    iree_ensure!(
        terminated,
        InvalidArgument,
        "dynamic section has no DT_NULL terminator"
    );
    Ok(tags)
}

/// The classic SysV ELF hash of a symbol name.
pub fn sysv_hash(name: &[u8]) -> u32 {
    let mut hash: u32 = 0;
    for &byte in name {
        hash = (hash << 4).wrapping_add(u32::from(byte));
        let high = hash & 0xF000_0000;
        if high != 0 {
            hash ^= high >> 24;
        }
        hash &= !high;
    }
    hash
}

/// One entry of the dynamic symbol table, read out.
#[derive(Clone, Copy, Debug)]
pub struct Symbol<'a> {
    pub name: &'a [u8],
    pub value: u64,
    pub size: u64,
    pub kind: u8,
    pub bind: u8,
    pub section: u16,
}

impl Symbol<'_> {
    pub fn is_undefined(&self) -> bool {
        self.section == elf::SHN_UNDEF.0
    }

    pub fn is_absolute(&self) -> bool {
        self.section == elf::SHN_ABS.0
    }

    pub fn display_name(&self) -> String {
        String::from_utf8_lossy(self.name).into_owned()
    }
}

impl Dynamic {
    /// Symbol `index` (below [`Dynamic::symbol_count`]), with its name.
    pub fn symbol<'a>(&self, image: &'a [u8], index: u32) -> Result<Symbol<'a>> {
        iree_ensure!(
            index < self.symbol_count,
            InvalidArgument,
            "symbol index {index} is past the {} symbols",
            self.symbol_count
        );
        let symtab = &image[self.symtab.clone()];
        let sym: &Sym64<LE> = symtab
            .read_at(u64::from(index) * SYM_SIZE)
            .map_err(|()| iree_err!(Internal, "symbol {index} unreadable"))?;
        let strtab = &image[self.strtab.clone()];
        let name_offset = sym.st_name.get(LE) as usize;
        let tail = strtab.get(name_offset..).ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "symbol {index} name offset {name_offset} is past the {}-byte DT_STRTAB",
                strtab.len()
            )
        })?;
        // The table ends with a NUL (checked in parse), so one is found.
        let name_len = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        Ok(Symbol {
            name: &tail[..name_len],
            value: sym.st_value.get(LE),
            size: sym.st_size.get(LE),
            kind: sym.st_type().0,
            bind: sym.st_bind().0,
            section: sym.st_shndx.get(LE).0,
        })
    }

    /// Finds a global or weak symbol by name through the hash table; at most
    /// `symbol_count` steps, so a looping chain ends.
    pub fn lookup<'a>(&self, image: &'a [u8], name: &str) -> Result<Option<(u32, Symbol<'a>)>> {
        let bucket_count = self.hash_buckets.len() / 4;
        if bucket_count == 0 {
            return Ok(None);
        }
        let bucket = sysv_hash(name.as_bytes()) as usize % bucket_count;
        let mut index = u32_at(image, self.hash_buckets.start + bucket * 4);
        for _ in 0..self.symbol_count {
            if index == 0 {
                break;
            }
            let symbol = self.symbol(image, index)?;
            let global = symbol.bind == elf::STB_GLOBAL.0 || symbol.bind == elf::STB_WEAK.0;
            if global && symbol.name == name.as_bytes() {
                return Ok(Some((index, symbol)));
            }
            index = u32_at(image, self.hash_chains.start + index as usize * 4);
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::sysv_hash;

    #[test]
    fn sysv_hash_matches_known_values() {
        assert_eq!(sysv_hash(b""), 0);
        assert_eq!(sysv_hash(b"printf"), 0x077905a6);
        assert_eq!(sysv_hash(b"exit"), 0x0006cf04);
    }
}
