//! The file header and program headers of an embedded ELF, checked and
//! turned into the image's memory layout: which bytes of the file land
//! where, how large the one reservation is, and each segment's access.

use std::ops::Range;

use object::elf::{self, FileHeader64, ProgramHeader64};
use object::read::elf::{FileHeader, ProgramHeader};
use object::LittleEndian as LE;

use super::memory::Access;
use super::Machine;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// The largest image (lowest to highest segment address, page-rounded)
/// the loader maps. Executables are kilobytes to a few megabytes; the cap
/// keeps a hostile `p_memsz` from reserving the address space.
pub const MAX_IMAGE_BYTES: u64 = 1 << 30;

const EHDR_SIZE: usize = std::mem::size_of::<FileHeader64<LE>>();
const PHDR_SIZE: usize = std::mem::size_of::<ProgramHeader64<LE>>();

/// One `PT_LOAD` segment.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Index in the program header table (for messages).
    pub index: usize,
    pub vaddr: u64,
    pub mem_size: u64,
    /// The file bytes copied to `vaddr`; the rest of `mem_size` is zero.
    pub file_range: Range<usize>,
    /// `vaddr..vaddr + mem_size` widened to whole pages.
    pub pages: Range<u64>,
    pub access: Access,
}

impl Segment {
    /// The segment's addresses.
    pub fn vaddr_range(&self) -> Range<u64> {
        self.vaddr..self.vaddr + self.mem_size
    }

    /// The addresses that hold file bytes.
    pub fn file_vaddr_range(&self) -> Range<u64> {
        self.vaddr..self.vaddr + self.file_range.len() as u64
    }
}

/// Where everything goes, in ELF virtual addresses.
#[derive(Debug)]
pub struct Layout {
    pub machine: Machine,
    /// Lowest address of the image (page-aligned); image offset 0.
    pub vaddr_start: u64,
    /// Bytes to reserve (page-aligned, not zero).
    pub size: u64,
    pub page_size: u64,
    /// In ascending address order, page ranges disjoint.
    pub segments: Vec<Segment>,
    /// `PT_DYNAMIC`'s addresses.
    pub dynamic: Range<u64>,
    /// `PT_GNU_RELRO`'s addresses, if any.
    pub relro: Option<Range<u64>>,
}

fn align_down(value: u64, align: u64) -> u64 {
    value & !(align - 1)
}

fn align_up(value: u64, align: u64) -> Option<u64> {
    value.checked_add(align - 1).map(|v| align_down(v, align))
}

/// Reads the header of the machine code: class, byte order, version and
/// machine, without the rest of the file.
pub fn machine_of(bytes: &[u8]) -> Result<Machine> {
    iree_ensure!(
        bytes.len() >= EHDR_SIZE,
        InvalidArgument,
        "ELF file is {} bytes, shorter than the {EHDR_SIZE}-byte ELF header",
        bytes.len()
    );
    iree_ensure!(
        bytes[..4] == elf::ELFMAG,
        InvalidArgument,
        "not an ELF file: no \\x7fELF magic"
    );
    let class = bytes[4];
    iree_ensure!(
        class == elf::ELFCLASS64.0,
        InvalidArgument,
        "ELF class {class} is not supported: only 64-bit ELFs (class 2) are loaded"
    );
    let data = bytes[5];
    iree_ensure!(
        data == elf::ELFDATA2LSB.0,
        InvalidArgument,
        "ELF byte order {data} is not supported: only little-endian ELFs (1) are loaded"
    );
    let ident_version = bytes[6];
    iree_ensure!(
        ident_version == 1,
        InvalidArgument,
        "ELF identification version {ident_version} is not 1"
    );
    let header = FileHeader64::<LE>::parse(bytes)
        .map_err(|e| iree_err!(InvalidArgument, "ELF header: {e}"))?;
    let version = header.e_version.get(LE);
    iree_ensure!(
        version == 1,
        InvalidArgument,
        "ELF version {version} is not 1"
    );
    let raw_machine = header.e_machine.get(LE).0;
    Machine::from_elf(raw_machine).ok_or_else(|| {
        iree_err!(
            FailedPrecondition,
            "ELF machine {raw_machine:#x} is not supported (x86-64 {:#x} or AArch64 {:#x})",
            Machine::X86_64.elf_machine(),
            Machine::Aarch64.elf_machine()
        )
    })
}

/// Checks the headers of `bytes` (one ELF, not a FatELF) and lays it out.
pub fn plan(bytes: &[u8], page_size: u64) -> Result<Layout> {
    let machine = machine_of(bytes)?;
    let header = FileHeader64::<LE>::parse(bytes)
        .map_err(|e| iree_err!(InvalidArgument, "ELF header: {e}"))?;
    let file_type = header.e_type.get(LE);
    iree_ensure!(
        file_type == elf::ET_DYN,
        InvalidArgument,
        "ELF type {} is not a shared object (ET_DYN, 3)",
        file_type.0
    );
    let ehsize = usize::from(header.e_ehsize.get(LE));
    iree_ensure!(
        ehsize == EHDR_SIZE,
        InvalidArgument,
        "ELF header size {ehsize} is not {EHDR_SIZE}"
    );
    let phentsize = usize::from(header.e_phentsize.get(LE));
    iree_ensure!(
        phentsize == PHDR_SIZE,
        InvalidArgument,
        "ELF program header entry size {phentsize} is not {PHDR_SIZE}"
    );
    let phnum = usize::from(header.e_phnum.get(LE));
    let phoff = header.e_phoff.get(LE);
    iree_ensure!(
        phnum > 0 && phoff != 0,
        InvalidArgument,
        "ELF has no program headers"
    );
    iree_ensure!(
        phnum != 0xFFFF,
        InvalidArgument,
        "ELF program header count is extended (PN_XNUM): not supported"
    );
    let table_end = phoff.checked_add((phnum * PHDR_SIZE) as u64);
    iree_ensure!(
        table_end.is_some_and(|end| end <= bytes.len() as u64),
        InvalidArgument,
        "ELF program header table ({phnum} entries at {phoff:#x}) runs past the {}-byte file",
        bytes.len()
    );
    // Loading never reads section headers, but a table the header places
    // past the end means the file was cut short.
    let shnum = u64::from(header.e_shnum.get(LE));
    let shoff = header.e_shoff.get(LE);
    if shnum != 0 || shoff != 0 {
        let shentsize = u64::from(header.e_shentsize.get(LE));
        iree_ensure!(
            shentsize == 64,
            InvalidArgument,
            "ELF section header entry size {shentsize} is not 64"
        );
        let end = shoff.checked_add(shnum * shentsize);
        iree_ensure!(
            end.is_some_and(|end| end <= bytes.len() as u64),
            InvalidArgument,
            "ELF section header table ({shnum} entries at {shoff:#x}) runs past the {}-byte file",
            bytes.len()
        );
    }
    let phdrs = header
        .program_headers(LE, bytes)
        .map_err(|e| iree_err!(InvalidArgument, "ELF program headers: {e}"))?;

    let mut segments = Vec::new();
    let mut dynamic = None;
    let mut relro = None;
    for (index, phdr) in phdrs.iter().enumerate() {
        let kind = phdr.p_type(LE);
        match kind {
            elf::PT_LOAD => {
                if let Some(segment) = load_segment(index, phdr, bytes.len(), page_size)? {
                    segments.push(segment);
                }
            }
            elf::PT_DYNAMIC => {
                iree_ensure!(
                    dynamic.is_none(),
                    InvalidArgument,
                    "ELF has more than one PT_DYNAMIC"
                );
                dynamic = Some(memory_range(index, "PT_DYNAMIC", phdr)?);
            }
            elf::PT_GNU_RELRO => {
                iree_ensure!(
                    relro.is_none(),
                    InvalidArgument,
                    "ELF has more than one PT_GNU_RELRO"
                );
                relro = Some(memory_range(index, "PT_GNU_RELRO", phdr)?);
            }
            elf::PT_INTERP => {
                iree_bail!(
                    InvalidArgument,
                    "ELF asks for a program interpreter (PT_INTERP): not a library"
                )
            }
            elf::PT_TLS => {
                iree_bail!(
                    Unimplemented,
                    "ELF has thread-local storage (PT_TLS), which embedded executables cannot use"
                )
            }
            // PHDR, NOTE, GNU_STACK, GNU_EH_FRAME, GNU_PROPERTY and the like
            // describe the file; nothing to load.
            _ => {}
        }
    }
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        iree_bail!(InvalidArgument, "ELF has no PT_LOAD segment with bytes");
    };
    for pair in segments.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        iree_ensure!(
            first.pages.end <= second.pages.start,
            InvalidArgument,
            "PT_LOAD segments {} ({:#x}..{:#x}) and {} (at {:#x}) are out of order or share a page",
            first.index,
            first.vaddr,
            first.vaddr + first.mem_size,
            second.index,
            second.vaddr
        );
    }
    let vaddr_start = first.pages.start;
    let size = last.pages.end - vaddr_start;
    iree_ensure!(
        size <= MAX_IMAGE_BYTES,
        ResourceExhausted,
        "ELF image spans {size:#x} bytes, more than the {MAX_IMAGE_BYTES:#x} the loader maps"
    );

    let dynamic =
        dynamic.ok_or_else(|| iree_err!(InvalidArgument, "ELF has no PT_DYNAMIC segment"))?;
    let inside_one = |range: &Range<u64>| {
        segments
            .iter()
            .any(|s| s.vaddr <= range.start && range.end <= s.vaddr + s.mem_size)
    };
    iree_ensure!(
        inside_one(&dynamic),
        InvalidArgument,
        "PT_DYNAMIC {:#x}..{:#x} is not inside one PT_LOAD segment",
        dynamic.start,
        dynamic.end
    );
    if let Some(relro) = &relro {
        let in_writable = segments
            .iter()
            .any(|s| s.access.write && s.vaddr <= relro.start && relro.end <= s.vaddr + s.mem_size);
        iree_ensure!(
            in_writable,
            InvalidArgument,
            "PT_GNU_RELRO {:#x}..{:#x} is not inside one writable PT_LOAD segment",
            relro.start,
            relro.end
        );
    }
    Ok(Layout {
        machine,
        vaddr_start,
        size,
        page_size,
        segments,
        dynamic,
        relro,
    })
}

fn memory_range(index: usize, what: &str, phdr: &ProgramHeader64<LE>) -> Result<Range<u64>> {
    let start = phdr.p_vaddr(LE);
    let end = start.checked_add(phdr.p_memsz(LE)).ok_or_else(|| {
        iree_err!(
            InvalidArgument,
            "{what} (program header {index}) ends past the address space"
        )
    })?;
    Ok(start..end)
}

fn load_segment(
    index: usize,
    phdr: &ProgramHeader64<LE>,
    file_len: usize,
    page_size: u64,
) -> Result<Option<Segment>> {
    let offset = phdr.p_offset(LE);
    let file_size = phdr.p_filesz(LE);
    let vaddr = phdr.p_vaddr(LE);
    let mem_size = phdr.p_memsz(LE);
    let align = phdr.p_align(LE);
    let flags = phdr.p_flags(LE).0;
    let file_end = offset.checked_add(file_size);
    iree_ensure!(
        file_end.is_some_and(|end| end <= file_len as u64),
        InvalidArgument,
        "PT_LOAD segment {index} file bytes {offset:#x}+{file_size:#x} are outside the {file_len}-byte file"
    );
    iree_ensure!(
        file_size <= mem_size,
        InvalidArgument,
        "PT_LOAD segment {index} has {file_size:#x} file bytes, more than its memory size {mem_size:#x}"
    );
    iree_ensure!(
        align <= 1 || align.is_power_of_two(),
        InvalidArgument,
        "PT_LOAD segment {index} alignment {align:#x} is not a power of two"
    );
    let pages_end = vaddr
        .checked_add(mem_size)
        .and_then(|end| align_up(end, page_size));
    let Some(pages_end) = pages_end else {
        iree_bail!(
            InvalidArgument,
            "PT_LOAD segment {index} at {vaddr:#x}+{mem_size:#x} ends past the address space"
        );
    };
    let write = flags & elf::PF_W.0 != 0;
    let execute = flags & elf::PF_X.0 != 0;
    iree_ensure!(
        !(write && execute),
        PermissionDenied,
        "PT_LOAD segment {index} at {vaddr:#x} is both writable and executable"
    );
    if mem_size == 0 {
        return Ok(None);
    }
    // Writable or executable pages are readable on every host; saying so
    // keeps the protections the same everywhere.
    let read = flags & elf::PF_R.0 != 0 || write || execute;
    let start = offset as usize;
    Ok(Some(Segment {
        index,
        vaddr,
        mem_size,
        file_range: start..start + file_size as usize,
        pages: align_down(vaddr, page_size)..pages_end,
        access: Access {
            read,
            write,
            execute,
        },
    }))
}

impl Layout {
    /// The image offsets of `len` bytes at `vaddr`, if they lie inside the
    /// image.
    pub fn image_range(&self, vaddr: u64, len: u64) -> Option<Range<usize>> {
        let start = vaddr.checked_sub(self.vaddr_start)?;
        let end = start.checked_add(len)?;
        (end <= self.size).then_some(start as usize..end as usize)
    }

    /// Like [`Layout::image_range`], but only for bytes the file provides
    /// (where the linker puts its tables), so their sizes are bounded by
    /// the file's.
    pub fn file_backed_range(&self, vaddr: u64, len: u64) -> Option<Range<usize>> {
        let end = vaddr.checked_add(len)?;
        let provided = self.segments.iter().any(|s| {
            let range = s.file_vaddr_range();
            range.start <= vaddr && end <= range.end
        });
        provided.then(|| self.image_range(vaddr, len)).flatten()
    }

    /// Whether `len` bytes at `vaddr` are inside one writable segment.
    pub fn is_writable(&self, vaddr: u64, len: u64) -> bool {
        let Some(end) = vaddr.checked_add(len) else {
            return false;
        };
        self.segments
            .iter()
            .any(|s| s.access.write && s.vaddr <= vaddr && end <= s.vaddr + s.mem_size)
    }

    /// Whether `vaddr` is inside an executable segment.
    pub fn is_code(&self, vaddr: u64) -> bool {
        self.segments
            .iter()
            .any(|s| s.access.execute && s.vaddr_range().contains(&vaddr))
    }

    /// The executable segments, as image offsets.
    pub fn code_offsets(&self) -> Vec<Range<usize>> {
        self.segments
            .iter()
            .filter(|s| s.access.execute)
            .map(|s| {
                (s.vaddr - self.vaddr_start) as usize
                    ..(s.vaddr + s.mem_size - self.vaddr_start) as usize
            })
            .collect()
    }

    /// The final protection of every page of the image, as image offsets.
    pub fn protections(&self) -> Vec<(Range<usize>, Access)> {
        let to_offsets = |range: Range<u64>| {
            (range.start - self.vaddr_start) as usize..(range.end - self.vaddr_start) as usize
        };
        let mut ranges: Vec<_> = self
            .segments
            .iter()
            .map(|s| (to_offsets(s.pages.clone()), s.access))
            .collect();
        // Only whole pages of RELRO become read-only: its last partial page
        // holds data the program may write.
        if let Some(relro) = &self.relro {
            let start = align_down(relro.start, self.page_size);
            let end = align_down(relro.end, self.page_size);
            if start < end {
                ranges.push((to_offsets(start..end), Access::READ));
            }
        }
        ranges
    }
}
