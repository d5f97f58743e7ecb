//! The embedded-ELF loader on the executables the pinned compiler writes
//! (testdata/hal/elf, from tools/gen-elf-testdata.sh) and on malformed
//! variants of them: every variant must come back as a status naming the
//! problem, never a crash.

use iree_runtime::hal::elf::{validate, ElfImage, Machine, QUERY_SYMBOL};
use iree_runtime::StatusCode;

fn testdata(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/hal/elf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}
fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const DT_RELA: u64 = 7;
const DT_RELASZ: u64 = 8;
const DT_SYMTAB: u64 = 6;
const DT_STRTAB: u64 = 5;
const DT_HASH: u64 = 4;
const DT_FLAGS: u64 = 30;
const DT_FLAGS_1: u64 = 0x6fff_fffb;

/// File offsets of the structures a test patches, found by reading the
/// headers the way a loader does (the test data is well formed).
struct Fields {
    phoff: usize,
    phnum: usize,
    /// (program header file offset, type, flags, offset, vaddr, filesz)
    dynamic_entries: Vec<(usize, u64, u64)>,
    loads: Vec<(usize, u32, u64, u64, u64)>,
}

impl Fields {
    fn of(elf: &[u8]) -> Fields {
        let phoff = u64_at(elf, 32) as usize;
        let phnum = u16_at(elf, 56) as usize;
        let mut loads = Vec::new();
        let mut dynamic_entries = Vec::new();
        for i in 0..phnum {
            let ph = phoff + i * 56;
            let kind = u32_at(elf, ph);
            if kind == PT_LOAD {
                loads.push((
                    ph,
                    u32_at(elf, ph + 4),
                    u64_at(elf, ph + 8),
                    u64_at(elf, ph + 16),
                    u64_at(elf, ph + 32),
                ));
            }
            if kind == PT_DYNAMIC {
                let start = u64_at(elf, ph + 8) as usize;
                let size = u64_at(elf, ph + 32) as usize;
                for at in (start..start + size).step_by(16) {
                    dynamic_entries.push((at, u64_at(elf, at), u64_at(elf, at + 8)));
                    if u64_at(elf, at) == 0 {
                        break;
                    }
                }
            }
        }
        Fields {
            phoff,
            phnum,
            dynamic_entries,
            loads,
        }
    }

    fn phdr(&self, index: usize) -> usize {
        self.phoff + index * 56
    }

    /// File offset of dynamic entry with `tag`.
    fn dyn_entry(&self, tag: u64) -> usize {
        self.dynamic_entries
            .iter()
            .find(|e| e.1 == tag)
            .unwrap_or_else(|| panic!("no tag {tag:#x}"))
            .0
    }

    fn dyn_value(&self, tag: u64) -> u64 {
        self.dynamic_entries.iter().find(|e| e.1 == tag).unwrap().2
    }

    /// File offset holding the byte at `vaddr`.
    fn file_offset(&self, vaddr: u64) -> usize {
        let (_, _, offset, start, _) = *self
            .loads
            .iter()
            .find(|l| l.3 <= vaddr && vaddr < l.3 + l.4)
            .expect("vaddr in file");
        (offset + vaddr - start) as usize
    }

    fn rela(&self, index: usize) -> usize {
        self.file_offset(self.dyn_value(DT_RELA)) + index * 24
    }

    fn symbol(&self, index: usize) -> usize {
        self.file_offset(self.dyn_value(DT_SYMTAB)) + index * 24
    }

    fn load_phdr(&self, flags: u32) -> usize {
        self.loads.iter().find(|l| l.1 == flags).unwrap().0
    }
}

fn expect_error(name: &str, bytes: &[u8], code: StatusCode, needle: &str) {
    let err = validate(bytes, Machine::X86_64)
        .err()
        .unwrap_or_else(|| panic!("{name}: validated"));
    assert_eq!(err.code(), code, "{name}: {err}");
    assert!(
        err.to_string().contains(needle),
        "{name}: '{err}' lacks '{needle}'"
    );
    let err = ElfImage::load(bytes)
        .err()
        .unwrap_or_else(|| panic!("{name}: loaded"));
    assert_eq!(err.code(), code, "{name}: {err}");
}

/// Reads `len` bytes of a loaded image at image offset `offset`.
fn image_bytes(image: &ElfImage, offset: usize, len: usize) -> Vec<u8> {
    let range = image.address_range();
    assert!(offset + len <= range.len());
    // SAFETY: the bytes lie in the image's mapping (checked above), which
    // lives as long as `image`; the segments read here are readable.
    unsafe { std::slice::from_raw_parts((range.start + offset) as *const u8, len).to_vec() }
}

#[test]
fn loads_the_compilers_executables_and_finds_the_query() {
    for name in ["add_x86_64.so", "multi_x86_64.so"] {
        let bytes = testdata(name);
        let info = validate(&bytes, Machine::X86_64).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(info.machine, Machine::X86_64);
        assert_eq!(info.symbol_count, 2, "{name}: null symbol + the query");
        assert!(info.relocation_count >= 12, "{name}: {info:?}");
        assert_eq!(info.initializer_count, 0);

        let image = ElfImage::load(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let query = image.query_function() as usize;
        assert!(
            image.contains(query) && image.contains_code(query),
            "{name}"
        );
        assert_eq!(
            query - image.address_range().start,
            info.query_offset as usize
        );
        assert!(
            !image.contains_code(image.address_range().start),
            "the first page holds headers, not code"
        );
        assert!(!image.contains(image.address_range().end));

        // Smoke test only (the library ABI is the executable loader's
        // business): 3.13's query reads no environment and returns its
        // library for version 6 only (docs: the contract notes).
        type Query = unsafe extern "C" fn(u32, *const u8) -> *const *const u32;
        let environment = [0u8; 96];
        // SAFETY: the address is the image's exported query function, whose
        // 3.13 code compares the version and returns a static pointer.
        let query_fn: Query = unsafe { std::mem::transmute::<usize, Query>(query) };
        // SAFETY: as above; the environment is a valid zeroed 96-byte block.
        let (library, refused) = unsafe {
            (
                query_fn(6, environment.as_ptr()),
                query_fn(5, environment.as_ptr()),
            )
        };
        assert!(refused.is_null(), "{name}: version 5 must be refused");
        assert!(
            image.contains(library as usize),
            "{name}: library outside the image"
        );
        // SAFETY: the library struct (in the image, readable) starts with
        // the pointer to its header, whose first field is the version; the
        // relocation of that pointer is what is being checked.
        let header = unsafe { *library };
        assert!(
            image.contains(header as usize),
            "{name}: header pointer not relocated"
        );
        // SAFETY: `header` points into the image (checked just above).
        assert_eq!(unsafe { *header }, 6, "{name}: library header version");
    }
}

#[test]
fn images_are_independent_and_unmapped_on_drop() {
    let bytes = testdata("add_x86_64.so");
    let first = ElfImage::load(&bytes).unwrap();
    let second = ElfImage::load(&bytes).unwrap();
    assert_ne!(first.address_range().start, second.address_range().start);
    let range = first.address_range();
    drop(first);
    // The same address space may be reused by the next load; the point is
    // that it is released (a leak would grow the process without bound).
    for _ in 0..200 {
        let image = ElfImage::load(&bytes).unwrap();
        assert_eq!(image.address_range().len(), range.len());
    }
    drop(second);
}

#[test]
fn aarch64_executables_validate_and_are_refused_on_this_host() {
    let bytes = testdata("add_arm_64.so");
    let info = validate(&bytes, Machine::Aarch64).unwrap();
    assert_eq!(info.machine, Machine::Aarch64);
    assert!(info.relocation_count >= 12);
    assert_eq!(
        validate(&bytes, Machine::X86_64).unwrap_err().code(),
        StatusCode::FailedPrecondition
    );
    if Machine::host() == Some(Machine::X86_64) {
        let err = ElfImage::load(&bytes).unwrap_err();
        assert_eq!(err.code(), StatusCode::FailedPrecondition, "{err}");
        assert!(err.to_string().contains("AArch64"), "{err}");
    }
    // An unknown AArch64 relocation type is named.
    let mut bad = bytes.clone();
    let fields = Fields::of(&bad);
    put_u64(&mut bad, fields.rela(0) + 8, 1031); // R_AARCH64_TLSDESC
    let err = validate(&bad, Machine::Aarch64).unwrap_err();
    assert_eq!(err.code(), StatusCode::Unimplemented, "{err}");
    assert!(err.to_string().contains("1031"), "{err}");
}

fn fatelf(records: &[(u16, &[u8])]) -> Vec<u8> {
    let table_end = 8 + records.len() * 24;
    let mut payload_at = table_end.next_multiple_of(64);
    let mut out = Vec::new();
    out.extend_from_slice(&0x1F0E_70FAu32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.push(records.len() as u8);
    out.push(0);
    let mut payloads = Vec::new();
    for (machine, data) in records {
        out.extend_from_slice(&machine.to_le_bytes());
        out.extend_from_slice(&[0, 0, 2, 1, 0, 0]);
        out.extend_from_slice(&(payload_at as u64).to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        payloads.push((payload_at, *data));
        payload_at = (payload_at + data.len()).next_multiple_of(64);
    }
    for (at, data) in payloads {
        out.resize(at, 0);
        out.extend_from_slice(data);
    }
    out
}

#[test]
fn fatelf_selects_the_host_record() {
    let x86 = testdata("add_x86_64.so");
    let arm = testdata("add_arm_64.so");
    let fat = fatelf(&[(0xB7, &arm), (0x3E, &x86)]);
    let info = validate(&fat, Machine::X86_64).unwrap();
    assert_eq!(info, validate(&x86, Machine::X86_64).unwrap());
    assert_eq!(
        validate(&fat, Machine::Aarch64).unwrap().machine,
        Machine::Aarch64
    );
    if Machine::host() == Some(Machine::X86_64) {
        let image = ElfImage::load(&fat).unwrap();
        assert!(image.contains_code(image.query_function() as usize));
        let only_arm = fatelf(&[(0xB7, &arm)]);
        assert_eq!(
            ElfImage::load(&only_arm).unwrap_err().code(),
            StatusCode::NotFound
        );
    }
    let mut past_end = fat.clone();
    put_u64(&mut past_end, 8 + 24 + 16, 1 << 40);
    assert_eq!(
        validate(&past_end, Machine::X86_64).unwrap_err().code(),
        StatusCode::OutOfRange
    );
}

#[test]
fn every_truncation_is_refused() {
    let bytes = testdata("add_x86_64.so");
    for len in 0..bytes.len() {
        let err = validate(&bytes[..len], Machine::X86_64).err();
        assert!(err.is_some(), "truncated to {len} bytes: validated");
    }
    let err = ElfImage::load(&bytes[..bytes.len() - 1]).unwrap_err();
    assert!(err.to_string().contains("section header table"), "{err}");
}

#[test]
fn every_single_bit_flip_comes_back() {
    // Most flips land in code or padding and still load; the rest must be
    // refused with a status. Nothing here may crash or hang.
    let bytes = testdata("add_x86_64.so");
    let mut refused = 0;
    let mut loaded = 0;
    let mut mutant = bytes.clone();
    for at in 0..bytes.len() {
        for bit in 0..8 {
            mutant[at] ^= 1 << bit;
            match validate(&mutant, Machine::X86_64) {
                Ok(info) if info.initializer_count == 0 => {
                    // Loading runs no code of the file when it has no
                    // initializers.
                    let image = ElfImage::load(&mutant).expect("validated, so loads");
                    assert!(image.contains_code(image.query_function() as usize));
                    loaded += 1;
                }
                Ok(_) => {}
                Err(err) => {
                    assert!(
                        !err.message().is_empty(),
                        "empty message at byte {at} bit {bit}"
                    );
                    refused += 1;
                }
            }
            mutant[at] ^= 1 << bit;
        }
    }
    assert!(
        refused > 200 && loaded > 200,
        "refused {refused}, loaded {loaded}"
    );
}

type Patch = fn(&mut Vec<u8>, &Fields);

#[test]
fn malformed_variants_get_named_errors() {
    let cases: &[(&str, Patch, StatusCode, &str)] = &[
        (
            "bad magic",
            |b, _| b[1] = b'X',
            StatusCode::InvalidArgument,
            "magic",
        ),
        (
            "32-bit class",
            |b, _| b[4] = 1,
            StatusCode::InvalidArgument,
            "64-bit",
        ),
        (
            "big endian",
            |b, _| b[5] = 2,
            StatusCode::InvalidArgument,
            "little-endian",
        ),
        (
            "ident version",
            |b, _| b[6] = 2,
            StatusCode::InvalidArgument,
            "version",
        ),
        (
            "e_version",
            |b, _| put_u32(b, 20, 7),
            StatusCode::InvalidArgument,
            "ELF version 7",
        ),
        (
            "executable type",
            |b, _| put_u16(b, 16, 2),
            StatusCode::InvalidArgument,
            "ET_DYN",
        ),
        (
            "machine",
            |b, _| put_u16(b, 18, 0x28),
            StatusCode::FailedPrecondition,
            "machine 0x28",
        ),
        (
            "ehsize",
            |b, _| put_u16(b, 52, 60),
            StatusCode::InvalidArgument,
            "header size",
        ),
        (
            "phentsize",
            |b, _| put_u16(b, 54, 32),
            StatusCode::InvalidArgument,
            "entry size",
        ),
        (
            "no phdrs",
            |b, _| put_u16(b, 56, 0),
            StatusCode::InvalidArgument,
            "no program headers",
        ),
        (
            "phnum past end",
            |b, _| put_u16(b, 56, 500),
            StatusCode::InvalidArgument,
            "program header table",
        ),
        (
            "phoff overflow",
            |b, _| put_u64(b, 32, u64::MAX - 8),
            StatusCode::InvalidArgument,
            "program header table",
        ),
        (
            "shoff past end",
            |b, _| put_u64(b, 40, 1 << 20),
            StatusCode::InvalidArgument,
            "section header",
        ),
        (
            "segment file range past end",
            |b, f| put_u64(b, f.load_phdr(5) + 8, 1 << 32),
            StatusCode::InvalidArgument,
            "outside the",
        ),
        (
            "segment offset overflow",
            |b, f| put_u64(b, f.load_phdr(5) + 8, u64::MAX - 4),
            StatusCode::InvalidArgument,
            "outside the",
        ),
        (
            "filesz over memsz",
            |b, f| {
                let ph = f.load_phdr(6);
                let filesz = u64_at(b, ph + 32);
                put_u64(b, ph + 40, filesz - 8)
            },
            StatusCode::InvalidArgument,
            "more than its memory size",
        ),
        (
            "huge memsz",
            |b, f| put_u64(b, f.load_phdr(6) + 40, 1 << 40),
            StatusCode::ResourceExhausted,
            "spans",
        ),
        (
            "vaddr overflow",
            |b, f| put_u64(b, f.load_phdr(6) + 16, u64::MAX - 0x100),
            StatusCode::InvalidArgument,
            "address space",
        ),
        (
            "overlapping segments",
            |b, f| {
                let text_vaddr = u64_at(b, f.load_phdr(5) + 16);
                put_u64(b, f.load_phdr(6) + 16, text_vaddr)
            },
            StatusCode::InvalidArgument,
            "share a page",
        ),
        (
            "writable code",
            |b, f| put_u32(b, f.load_phdr(5) + 4, 7),
            StatusCode::PermissionDenied,
            "writable and executable",
        ),
        (
            "no dynamic",
            |b, f| {
                let index = (0..f.phnum)
                    .find(|&i| u32_at(b, f.phdr(i)) == PT_DYNAMIC)
                    .unwrap();
                put_u32(b, f.phdr(index), 4)
            },
            StatusCode::InvalidArgument,
            "no PT_DYNAMIC",
        ),
        (
            "TLS segment",
            |b, f| put_u32(b, f.phdr(f.phnum - 1), 7),
            StatusCode::Unimplemented,
            "PT_TLS",
        ),
        (
            "missing hash",
            |b, f| put_u64(b, f.dyn_entry(DT_HASH), 0x6fff_fef5),
            StatusCode::InvalidArgument,
            "DT_HASH",
        ),
        (
            "strtab outside",
            |b, f| put_u64(b, f.dyn_entry(DT_STRTAB) + 8, 1 << 33),
            StatusCode::InvalidArgument,
            "DT_STRTAB",
        ),
        (
            "duplicate tag",
            |b, f| put_u64(b, f.dyn_entry(DT_FLAGS), DT_SYMTAB),
            StatusCode::InvalidArgument,
            "twice",
        ),
        (
            "needed library",
            |b, f| put_u64(b, f.dyn_entry(DT_FLAGS), 1),
            StatusCode::Unavailable,
            "DT_NEEDED",
        ),
        (
            "text relocations",
            |b, f| put_u64(b, f.dyn_entry(DT_FLAGS), 22),
            StatusCode::PermissionDenied,
            "DT_TEXTREL",
        ),
        (
            "REL relocations",
            |b, f| put_u64(b, f.dyn_entry(DT_FLAGS), 17),
            StatusCode::Unimplemented,
            "REL",
        ),
        (
            "rela size not a multiple",
            |b, f| {
                let at = f.dyn_entry(DT_RELASZ) + 8;
                let size = u64_at(b, at);
                put_u64(b, at, size - 1)
            },
            StatusCode::InvalidArgument,
            "multiple",
        ),
        (
            "hash bucket past symbols",
            |b, f| {
                let hash = f.file_offset(f.dyn_value(DT_HASH));
                put_u32(b, hash + 8, 99)
            },
            StatusCode::InvalidArgument,
            "DT_HASH entry 99",
        ),
        (
            "hash chain count past table",
            |b, f| {
                let hash = f.file_offset(f.dyn_value(DT_HASH));
                put_u32(b, hash + 4, 0x1000_0000)
            },
            StatusCode::InvalidArgument,
            "DT_HASH",
        ),
        (
            "undefined symbol",
            |b, f| put_u16(b, f.symbol(1) + 6, 0),
            StatusCode::Unavailable,
            "imports symbol 'iree_hal_executable_library_query'",
        ),
        (
            "symbol name past strtab",
            |b, f| put_u32(b, f.symbol(1), 1 << 20),
            StatusCode::InvalidArgument,
            "name offset",
        ),
        (
            "symbol outside image",
            |b, f| put_u64(b, f.symbol(1) + 8, 1 << 36),
            StatusCode::InvalidArgument,
            "outside the image",
        ),
        (
            "query renamed",
            |b, f| {
                let name = f.file_offset(f.dyn_value(DT_STRTAB)) + u32_at(b, f.symbol(1)) as usize;
                b[name] = b'J'
            },
            StatusCode::NotFound,
            QUERY_SYMBOL,
        ),
        (
            "query is data",
            |b, f| b[f.symbol(1) + 4] = 0x11, // GLOBAL OBJECT
            StatusCode::InvalidArgument,
            "not a function",
        ),
        (
            "relocation into code",
            |b, f| {
                let text_vaddr = u64_at(b, f.load_phdr(5) + 16);
                put_u64(b, f.rela(3), text_vaddr)
            },
            StatusCode::InvalidArgument,
            "outside every writable segment",
        ),
        (
            "relocation far outside",
            |b, f| put_u64(b, f.rela(0), u64::MAX - 3),
            StatusCode::InvalidArgument,
            "DT_RELA relocation 0",
        ),
        (
            "relocation straddles the writable end",
            |b, f| {
                let ph = f.load_phdr(6);
                let end = u64_at(b, ph + 16) + u64_at(b, ph + 40);
                put_u64(b, f.rela(1), end - 4)
            },
            StatusCode::InvalidArgument,
            "8 bytes",
        ),
        (
            "unknown relocation type",
            |b, f| put_u64(b, f.rela(2) + 8, 37),
            StatusCode::Unimplemented,
            "type 37",
        ),
        (
            "relocation symbol past table",
            |b, f| put_u64(b, f.rela(2) + 8, (9 << 32) | 1),
            StatusCode::InvalidArgument,
            "symbol index 9",
        ),
        (
            "absolute 32-bit relocation of a high address",
            |b, f| put_u64(b, f.rela(2) + 8, (1 << 32) | 10),
            StatusCode::OutOfRange,
            "R_X86_64_32",
        ),
        (
            "init outside code",
            |b, f| {
                let at = f.dyn_entry(DT_FLAGS_1);
                put_u64(b, at, 12);
                put_u64(b, at + 8, 0x10)
            },
            StatusCode::InvalidArgument,
            "DT_INIT function 0x10",
        ),
        (
            "init array outside image",
            |b, f| {
                put_u64(b, f.dyn_entry(DT_FLAGS_1), 25);
                put_u64(b, f.dyn_entry(DT_FLAGS), 27);
                put_u64(b, f.dyn_entry(DT_FLAGS) + 8, 8);
                put_u64(b, f.dyn_entry(DT_FLAGS_1) + 8, 1 << 40)
            },
            StatusCode::InvalidArgument,
            "DT_INIT_ARRAY",
        ),
    ];
    let original = testdata("add_x86_64.so");
    let fields = Fields::of(&original);
    for (name, patch, code, needle) in cases {
        let mut bytes = original.clone();
        patch(&mut bytes, &fields);
        assert_ne!(bytes, original, "{name}: patch changed nothing");
        expect_error(name, &bytes, *code, needle);
    }
}

/// Rewrites RELATIVE entry `index` (at P, addend A) as another relocation
/// type against symbol 1 (the query, at S) and returns (P, A, S).
fn retarget(
    bytes: &mut [u8],
    fields: &Fields,
    index: usize,
    kind: u64,
    addend: impl Fn(u64, u64) -> i64,
) -> (u64, u64, u64) {
    let entry = fields.rela(index);
    let place = u64_at(bytes, entry);
    let original = u64_at(bytes, entry + 16);
    let symbol = u64_at(bytes, fields.symbol(1) + 8);
    put_u64(bytes, entry + 8, (1 << 32) | kind);
    put_u64(bytes, entry + 16, addend(original, symbol) as u64);
    (place, original, symbol)
}

#[test]
fn symbol_relocations_resolve_against_the_image() {
    let original = testdata("add_x86_64.so");
    let fields = Fields::of(&original);
    let vaddr_start = 0; // the first PT_LOAD of these files starts at 0
    let baseline = ElfImage::load(&original).unwrap();

    // R_X86_64_64 against the query with A' = A - S stores what RELATIVE did.
    let mut bytes = original.clone();
    let (place, addend, _) = retarget(&mut bytes, &fields, 0, 1, |a, s| a as i64 - s as i64);
    let image = ElfImage::load(&bytes).unwrap();
    let stored = u64::from_le_bytes(
        image_bytes(&image, (place - vaddr_start) as usize, 8)
            .try_into()
            .unwrap(),
    );
    assert_eq!(stored, image.address_range().start as u64 + addend);

    // GLOB_DAT and JUMP_SLOT store S itself.
    for kind in [6, 7] {
        let mut bytes = original.clone();
        let (place, _, symbol) = retarget(&mut bytes, &fields, 1, kind, |_, _| 0);
        let image = ElfImage::load(&bytes).unwrap();
        let stored = u64::from_le_bytes(image_bytes(&image, place as usize, 8).try_into().unwrap());
        assert_eq!(
            stored,
            image.address_range().start as u64 + symbol,
            "type {kind}"
        );
        assert_eq!(stored as usize, image.query_function() as usize);
    }

    // PC32 stores S + A - P in 4 bytes.
    let mut bytes = original.clone();
    let (place, _, symbol) = retarget(&mut bytes, &fields, 2, 2, |_, _| -4);
    let image = ElfImage::load(&bytes).unwrap();
    let stored = i32::from_le_bytes(image_bytes(&image, place as usize, 4).try_into().unwrap());
    assert_eq!(i64::from(stored), symbol as i64 - 4 - place as i64);

    // COPY copies the symbol's bytes (the query's code) to P.
    let mut bytes = original.clone();
    let (place, _, symbol) = retarget(&mut bytes, &fields, 6, 5, |_, _| 0);
    let image = ElfImage::load(&bytes).unwrap();
    let size = u64_at(&original, fields.symbol(1) + 16) as usize;
    assert_eq!(
        image_bytes(&image, place as usize, size),
        image_bytes(&baseline, symbol as usize, size)
    );

    // The same table through DT_JMPREL/DT_PLTRELSZ relocates the same.
    let mut bytes = original.clone();
    put_u64(&mut bytes, fields.dyn_entry(DT_RELA), 23);
    put_u64(&mut bytes, fields.dyn_entry(DT_RELASZ), 2);
    let plt = validate(&bytes, Machine::X86_64).unwrap();
    assert_eq!(
        plt.relocation_count,
        validate(&original, Machine::X86_64)
            .unwrap()
            .relocation_count
    );
    let image = ElfImage::load(&bytes).unwrap();
    for index in 0..plt.relocation_count {
        let entry = fields.rela(index);
        let (place, addend) = (u64_at(&original, entry), u64_at(&original, entry + 16));
        let stored = u64::from_le_bytes(image_bytes(&image, place as usize, 8).try_into().unwrap());
        assert_eq!(
            stored,
            image.address_range().start as u64 + addend,
            "PLT relocation {index}"
        );
    }
}

#[test]
fn initializers_run_once_per_load() {
    // DT_INIT pointed at the query function: a leaf that only compares its
    // first argument, so calling it as `void f(void)` is harmless.
    let original = testdata("add_x86_64.so");
    let fields = Fields::of(&original);
    let mut bytes = original.clone();
    let query = u64_at(&original, fields.symbol(1) + 8);
    let at = fields.dyn_entry(DT_FLAGS_1);
    put_u64(&mut bytes, at, 12);
    put_u64(&mut bytes, at + 8, query);
    assert_eq!(
        validate(&bytes, Machine::X86_64).unwrap().initializer_count,
        1
    );
    let image = ElfImage::load(&bytes).unwrap();
    assert!(image.contains_code(image.query_function() as usize));
}
