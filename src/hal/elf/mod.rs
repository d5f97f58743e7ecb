//! The embedded-ELF loader: the `embedded-elf-x86_64` / `embedded-elf-arm_64`
//! executables that IREE's llvm-cpu backend writes (static-PIE shared
//! objects that import nothing, optionally wrapped in a FatELF), loaded
//! into one reservation of this process without the system's dynamic
//! linker.
//!
//! Loading checks every header, table and relocation against the file and
//! the image before using it; what it cannot check is the machine code
//! itself: a loaded image is native code that runs with the process's
//! rights. [`validate`] runs the same checks and relocations in a mapping
//! that is never made executable, for any supported machine; [`ElfImage::load`]
//! also seals the pages, runs the initializers and hands out the entry
//! point (host machine only).
//!
//! `unsafe` is confined to `memory.rs` (mapping, protection) and the
//! initializer calls here.

mod dynamic;
mod fatelf;
mod layout;
mod memory;
mod relocate;

use std::fmt;

use dynamic::Dynamic;
use layout::Layout;
use memory::{SealedMapping, WritableMapping};
use object::elf;

use crate::{iree_bail, iree_ensure, Result};

pub use layout::MAX_IMAGE_BYTES;

/// The exported symbol every IREE CPU executable library defines.
pub const QUERY_SYMBOL: &str = "iree_hal_executable_library_query";

/// The machines whose executables the loader understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Machine {
    X86_64,
    Aarch64,
}

impl Machine {
    /// The machine this process runs on, if the loader supports it.
    pub fn host() -> Option<Machine> {
        if cfg!(target_arch = "x86_64") {
            Some(Machine::X86_64)
        } else if cfg!(target_arch = "aarch64") {
            Some(Machine::Aarch64)
        } else {
            None
        }
    }

    /// Its `e_machine` value.
    pub fn elf_machine(self) -> u16 {
        match self {
            Machine::X86_64 => elf::EM_X86_64.0,
            Machine::Aarch64 => elf::EM_AARCH64.0,
        }
    }

    fn from_elf(value: u16) -> Option<Machine> {
        [Machine::X86_64, Machine::Aarch64]
            .into_iter()
            .find(|m| m.elf_machine() == value)
    }

    /// IREE's executable format name for it.
    pub fn executable_format(self) -> &'static str {
        match self {
            Machine::X86_64 => "embedded-elf-x86_64",
            Machine::Aarch64 => "embedded-elf-arm_64",
        }
    }
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Machine::X86_64 => "x86-64",
            Machine::Aarch64 => "AArch64",
        })
    }
}

/// What [`validate`] found out about an executable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub machine: Machine,
    /// Bytes of address space the image takes.
    pub image_size: u64,
    /// The query function's offset from the image's base.
    pub query_offset: u64,
    /// Entries of the dynamic symbol table (index 0 included).
    pub symbol_count: u32,
    /// RELA entries applied (main and PLT tables).
    pub relocation_count: usize,
    /// Functions the loader would run before use (`DT_INIT`, `DT_INIT_ARRAY`).
    pub initializer_count: usize,
}

/// A relocated image still writable, before sealing.
struct Linked {
    layout: Layout,
    mapping: WritableMapping,
    /// Image offsets.
    query_offset: u64,
    initializer_offsets: Vec<u64>,
    symbol_count: u32,
    relocation_count: usize,
}

/// Maps `elf_bytes` (one ELF) read-write and does everything short of
/// sealing: copy, dynamic section, symbols, relocations, entry points.
fn link(elf_bytes: &[u8], expected: Machine) -> Result<Linked> {
    let layout = layout::plan(elf_bytes, memory::host_page_size())?;
    iree_ensure!(
        layout.machine == expected,
        FailedPrecondition,
        "ELF is for {}, not {expected}",
        layout.machine
    );
    let mut mapping = WritableMapping::new(layout.size)?;
    let load_bias = (mapping.base() as u64).wrapping_sub(layout.vaddr_start);
    let image = mapping.bytes_mut();
    for segment in &layout.segments {
        let Some(range) = layout.image_range(segment.vaddr, segment.file_range.len() as u64) else {
            iree_bail!(Internal, "segment {} outside its own layout", segment.index);
        };
        // The rest of the segment (its .bss) stays as the kernel's zeros.
        image[range].copy_from_slice(&elf_bytes[segment.file_range.clone()]);
    }

    let dynamic = Dynamic::parse(&layout, image)?;
    check_symbols(&layout, &dynamic, image)?;
    let relocation_count = relocate::apply_all(&layout, &dynamic, image, load_bias)?;

    let query_offset = find_query(&layout, &dynamic, image)?;
    let initializer_offsets = initializers(&layout, &dynamic, image, load_bias)?;
    Ok(Linked {
        layout,
        mapping,
        query_offset,
        initializer_offsets,
        symbol_count: dynamic.symbol_count,
        relocation_count,
    })
}

/// Every symbol past the null one must be defined (an embedded executable
/// imports nothing) and, when it names code or data, lie inside the image.
fn check_symbols(layout: &Layout, dynamic: &Dynamic, image: &[u8]) -> Result<()> {
    for index in 1..dynamic.symbol_count {
        let symbol = dynamic.symbol(image, index)?;
        iree_ensure!(
            !symbol.is_undefined(),
            Unavailable,
            "ELF imports symbol '{}' (dynamic symbol {index}); embedded executables cannot import",
            symbol.display_name()
        );
        let placed = symbol.kind == elf::STT_FUNC.0 || symbol.kind == elf::STT_OBJECT.0;
        if placed && !symbol.is_absolute() {
            iree_ensure!(
                layout.image_range(symbol.value, symbol.size).is_some(),
                InvalidArgument,
                "symbol '{}' at {:#x}+{:#x} is outside the image",
                symbol.display_name(),
                symbol.value,
                symbol.size
            );
        }
    }
    Ok(())
}

fn find_query(layout: &Layout, dynamic: &Dynamic, image: &[u8]) -> Result<u64> {
    let Some((_, symbol)) = dynamic.lookup(image, QUERY_SYMBOL)? else {
        iree_bail!(NotFound, "ELF exports no '{QUERY_SYMBOL}'");
    };
    iree_ensure!(
        symbol.kind == elf::STT_FUNC.0 && !symbol.is_absolute(),
        InvalidArgument,
        "'{QUERY_SYMBOL}' is not a function of the image (type {}, section {:#x})",
        symbol.kind,
        symbol.section
    );
    iree_ensure!(
        layout.is_code(symbol.value),
        InvalidArgument,
        "'{QUERY_SYMBOL}' at {:#x} is outside every executable segment",
        symbol.value
    );
    Ok(symbol.value - layout.vaddr_start)
}

/// `DT_INIT`, then `DT_INIT_ARRAY` in order (its entries already
/// relocated, so they are addresses; 0 and -1 are skipped), as image
/// offsets of code.
fn initializers(
    layout: &Layout,
    dynamic: &Dynamic,
    image: &[u8],
    load_bias: u64,
) -> Result<Vec<u64>> {
    let mut offsets = Vec::new();
    let mut add = |vaddr: u64, what: &str| -> Result<()> {
        iree_ensure!(
            layout.is_code(vaddr),
            InvalidArgument,
            "{what} {vaddr:#x} is outside every executable segment"
        );
        offsets.push(vaddr - layout.vaddr_start);
        Ok(())
    };
    if let Some(init) = dynamic.init {
        add(init, "DT_INIT function")?;
    }
    for (index, entry) in image[dynamic.init_array.clone()]
        .chunks_exact(8)
        .enumerate()
    {
        let mut word = [0u8; 8];
        word.copy_from_slice(entry);
        let address = u64::from_le_bytes(word);
        if address == 0 || address == u64::MAX {
            continue;
        }
        add(
            address.wrapping_sub(load_bias),
            &format!("DT_INIT_ARRAY entry {index}"),
        )?;
    }
    Ok(offsets)
}

/// Runs every check and relocation of loading an executable for `machine`
/// (from a FatELF, its record for that machine) in a mapping that is never
/// executable, then unmaps it. Runs none of its code.
pub fn validate(bytes: &[u8], machine: Machine) -> Result<ImageInfo> {
    let elf_bytes = fatelf::select(bytes, machine)?;
    let linked = link(elf_bytes, machine)?;
    Ok(ImageInfo {
        machine,
        image_size: linked.layout.size,
        query_offset: linked.query_offset,
        symbol_count: linked.symbol_count,
        relocation_count: linked.relocation_count,
        initializer_count: linked.initializer_offsets.len(),
    })
}

/// A loaded executable: sealed in memory, initializers run, until dropped
/// (which unmaps it; nothing may call into it afterwards).
#[derive(Debug)]
pub struct ElfImage {
    mapping: SealedMapping,
    machine: Machine,
    query_offset: u64,
    /// Image offsets of the executable segments.
    code: Vec<std::ops::Range<usize>>,
}

impl ElfImage {
    /// Loads an executable for the host machine from `bytes` (an ELF or a
    /// FatELF holding one for the host). Copies what it needs: `bytes` may
    /// go away afterwards.
    pub fn load(bytes: &[u8]) -> Result<ElfImage> {
        let Some(host) = Machine::host() else {
            iree_bail!(
                Unimplemented,
                "embedded ELF executables are not supported on this host architecture"
            );
        };
        let elf_bytes = fatelf::select(bytes, host)?;
        let linked = link(elf_bytes, host)?;
        let code = linked.layout.code_offsets();
        let mapping = linked.mapping.seal(&linked.layout.protections())?;
        let image = ElfImage {
            mapping,
            machine: host,
            query_offset: linked.query_offset,
            code,
        };
        for offset in linked.initializer_offsets {
            let address = image.mapping.base() + offset as usize;
            // SAFETY: `address` is inside an executable segment of this
            // image (checked in `initializers`), now sealed read+execute;
            // DT_INIT and DT_INIT_ARRAY functions take nothing and return
            // nothing by the ELF ABI. What the code does is the
            // executable's own (see the module docs: load trusted code only).
            unsafe {
                let init: extern "C" fn() = std::mem::transmute::<usize, extern "C" fn()>(address);
                init();
            }
        }
        Ok(image)
    }

    /// The machine it was built for (the host's).
    pub fn machine(&self) -> Machine {
        self.machine
    }

    /// The address of `iree_hal_executable_library_query`. Calling it is the
    /// executable library ABI's business; the pointer is valid while `self`
    /// lives.
    pub fn query_function(&self) -> *const std::ffi::c_void {
        (self.mapping.base() + self.query_offset as usize) as *const std::ffi::c_void
    }

    /// The image's first address and its size in bytes.
    pub fn address_range(&self) -> std::ops::Range<usize> {
        self.mapping.base()..self.mapping.base() + self.mapping.len()
    }

    /// Whether `address` lies inside the image.
    pub fn contains(&self, address: usize) -> bool {
        self.address_range().contains(&address)
    }

    /// Whether `address` lies inside one of the image's executable segments
    /// (where function pointers it hands out must point).
    pub fn contains_code(&self, address: usize) -> bool {
        let Some(offset) = address.checked_sub(self.mapping.base()) else {
            return false;
        };
        self.code.iter().any(|range| range.contains(&offset))
    }
}
