//! A checked, owned view of a bytecode module's metadata.
//!
//! `ModuleDef::parse` runs the FlatBuffers verifier (bounded depth, table
//! count and apparent size) and then checks every cross reference the
//! runtime relies on: ordinals, counts, bytecode spans, rodata ranges,
//! register counts, debug locations. Afterwards nothing needs re-checking:
//! the interpreter can index with the stored ranges directly. Large blobs
//! (bytecode, rodata) are not copied; they are ranges into the file bytes.

use std::ops::Range;

use flatbuffers::{Vector, VerifierOptions};

use super::archive::{self, ArchiveLayout};
use super::generated::iree::vm as fb;
use crate::vm::cconv::{self, Cconv};
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// Bytecode major version this runtime executes; must match exactly.
pub const BYTECODE_VERSION_MAJOR: u16 = 17;
/// Newest bytecode minor version this runtime executes.
pub const BYTECODE_VERSION_MINOR: u16 = 0;

/// Largest register counts a function may declare (ordinals are 15 and 14
/// bits wide in the encoding; the top bits of ref ordinals are flags).
pub const MAX_I32_REGISTERS: u16 = 0x7FFF;
pub const MAX_REF_REGISTERS: u16 = 0x3FFF;

/// Caps on per-context global storage so a hostile file cannot make state
/// allocation enormous.
pub const MAX_GLOBAL_BYTES: u32 = 1 << 30;
pub const MAX_GLOBAL_REFS: u32 = 1 << 24;

/// Feature bits (`requirements` fields).
pub mod features {
    pub const EXT_F32: u32 = 1 << 0;
    pub const EXT_F64: u32 = 1 << 1;
    pub const YIELD: u32 = 1 << 2;
    pub const UNWIND: u32 = 1 << 3;
    pub const ALL: u32 = EXT_F32 | EXT_F64 | YIELD | UNWIND;
}

/// A reflection attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub value: String,
}

/// Calling convention plus reflection attributes of a function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// e.g. `0ii_r`; `None` when the file omits it.
    pub cconv: Option<String>,
    /// The same, parsed once here for the module and the interpreter
    /// (`None` when omitted or not a version-0 convention).
    pub parsed_cconv: Option<Cconv>,
    pub attrs: Vec<Attr>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    pub minimum_version: u32,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// Fully qualified, `module.function`.
    pub name: String,
    pub signature: Signature,
    /// Optional imports may stay unresolved (`vm.import.resolved` tests it).
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    /// Index into `ModuleDef::functions`; checked in range.
    pub internal_ordinal: u16,
}

/// A source-map entry: the op at `bytecode_offset` (relative to the
/// function start) came from `location` (index into `ModuleDef::locations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BytecodeLocation {
    pub bytecode_offset: u32,
    pub location: u32,
}

/// An internal function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDef {
    /// Span within the module's bytecode data (not the file); non-empty.
    pub bytecode: Range<usize>,
    pub requirements: u32,
    /// At least 1.
    pub block_count: u16,
    pub i32_register_count: u16,
    pub ref_register_count: u16,
    pub signature: Signature,
    /// Original name from the debug database, when present.
    pub debug_name: Option<String>,
    /// Sorted as in the file (ascending offsets from the compiler).
    pub locations: Vec<BytecodeLocation>,
}

/// A debug location. Child references index `ModuleDef::locations`, are in
/// range and form no cycles, so recursive formatting terminates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Entry with no union value.
    Unknown,
    CallSite {
        callee: u32,
        caller: u32,
    },
    FileLineCol {
        filename: String,
        line: i32,
        column: i32,
    },
    Fused {
        metadata: Option<String>,
        locations: Vec<u32>,
    },
    Name {
        name: String,
        child: Option<u32>,
    },
}

/// Everything the runtime needs from a module file, fully validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleDef {
    pub name: String,
    pub version: u32,
    pub requirements: u32,
    pub attrs: Vec<Attr>,
    /// Type table names, e.g. `i32`, `!vm.buffer`, `!vm.list<?>`.
    pub types: Vec<String>,
    pub dependencies: Vec<Dependency>,
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    pub functions: Vec<FunctionDef>,
    /// Each rodata segment's bytes as a range of the file.
    pub rodata: Vec<Range<usize>>,
    /// Declared rwdata segment sizes in bytes.
    pub rwdata_sizes: Vec<u32>,
    /// Bytes of primitive global storage (zero-initialized per context).
    pub global_bytes: u32,
    /// Number of ref globals per context.
    pub global_refs: u32,
    pub bytecode_version: (u16, u16),
    /// The bytecode data blob as a range of the file.
    pub bytecode: Range<usize>,
    /// Debug location table (empty when stripped).
    pub locations: Vec<Location>,
    /// Where the FlatBuffer lives in the file (for diagnostics/tools).
    pub layout: ArchiveLayout,
}

impl ModuleDef {
    /// The signature of export `ordinal` (that of its internal function).
    pub fn export_signature(&self, ordinal: usize) -> Option<&Signature> {
        let export = self.exports.get(ordinal)?;
        Some(
            &self
                .functions
                .get(export.internal_ordinal as usize)?
                .signature,
        )
    }

    /// The bytecode of internal function `ordinal`, sliced from `file` (the
    /// same bytes given to `parse`).
    pub fn function_bytecode<'a>(&self, file: &'a [u8], ordinal: usize) -> Option<&'a [u8]> {
        let data = file.get(self.bytecode.clone())?;
        data.get(self.functions.get(ordinal)?.bytecode.clone())
    }

    /// Rodata segment `ordinal`, sliced from `file`.
    pub fn rodata_bytes<'a>(&self, file: &'a [u8], ordinal: usize) -> Option<&'a [u8]> {
        file.get(self.rodata.get(ordinal)?.clone())
    }

    /// Parses and validates a module file (ZIP-wrapped, size-prefixed or
    /// bare FlatBuffer).
    pub fn parse(file: &[u8]) -> Result<ModuleDef> {
        let layout = archive::parse_archive(file)?;
        let fb_bytes = &file[layout.flatbuffer.clone()];
        let len = fb_bytes.len();
        let opts = VerifierOptions {
            // Real modules nest at most 5 tables deep.
            max_depth: 16,
            // Each table occupies at least 4 bytes.
            max_tables: len / 4 + 64,
            // Bounds the work (and the string copies below) when a crafted
            // file points many offsets at the same large object.
            max_apparent_size: len.saturating_mul(8).saturating_add(1 << 20),
            ignore_missing_null_terminator: false,
        };
        let verified = if layout.size_prefixed {
            let prefixed = &file[layout.flatbuffer.start - 4..layout.flatbuffer.end];
            fb::size_prefixed_root_as_bytecode_module_def_with_opts(&opts, prefixed)
        } else {
            fb::root_as_bytecode_module_def_with_opts(&opts, fb_bytes)
        };
        let root = verified
            .map_err(|e| iree_err!(InvalidArgument, "FlatBuffer verification failed: {}", e))?;
        let builder = Builder {
            file,
            fb_bytes,
            layout: &layout,
        };
        builder.build(root, layout.clone())
    }
}

struct Builder<'a> {
    file: &'a [u8],
    fb_bytes: &'a [u8],
    layout: &'a ArchiveLayout,
}

fn attrs_of<'a>(
    attrs: Option<Vector<'a, flatbuffers::ForwardsUOffset<fb::AttrDef<'a>>>>,
) -> Vec<Attr> {
    attrs
        .map(|v| {
            v.iter()
                .map(|a| Attr {
                    key: a.key().unwrap_or("").to_owned(),
                    value: a.value().unwrap_or("").to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a signature, rejecting a calling convention with characters
/// outside the VM's (`0`, `v i I f F r`, spans `C`...`D`, `_`).
fn signature_of(sig: Option<fb::FunctionSignatureDef<'_>>, what: &str) -> Result<Signature> {
    let Some(s) = sig else {
        return Ok(Signature::default());
    };
    let cconv = s.calling_convention();
    let allowed = |ch: char| {
        u8::try_from(ch).is_ok_and(|b| b == b'0' || b == b'_' || cconv::ELEMENT_TYPES.contains(&b))
    };
    if let Some(bad) = cconv.and_then(|c| c.chars().find(|&ch| !allowed(ch))) {
        iree_bail!(
            InvalidArgument,
            "{} calling convention {:?} has unsupported character {:?}",
            what,
            cconv.unwrap_or(""),
            bad
        );
    }
    Ok(Signature {
        cconv: cconv.map(str::to_owned),
        parsed_cconv: cconv.and_then(Cconv::parse),
        attrs: attrs_of(s.attrs()),
    })
}

fn check_features(bits: u32, what: &str) -> Result<()> {
    iree_ensure!(
        bits & !features::ALL == 0,
        InvalidArgument,
        "{} requires unknown VM features 0x{:08X}",
        what,
        bits & !features::ALL
    );
    Ok(())
}

/// Offset of `inner` within `outer`; `inner` must be a subslice.
fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start.checked_add(inner.len())? <= outer.len()).then_some(start)
}

impl<'a> Builder<'a> {
    fn build(&self, root: fb::BytecodeModuleDef<'a>, layout: ArchiveLayout) -> Result<ModuleDef> {
        let name = root.name();
        iree_ensure!(!name.is_empty(), InvalidArgument, "module name is empty");
        let requirements = root.requirements().bits();
        check_features(requirements, "module")?;

        let mut types = Vec::new();
        for (i, t) in root.types().into_iter().flatten().enumerate() {
            let full_name = t.full_name().unwrap_or("");
            iree_ensure!(
                !full_name.is_empty(),
                InvalidArgument,
                "type {} has no name",
                i
            );
            types.push(full_name.to_owned());
        }

        let mut dependencies = Vec::new();
        for (i, d) in root.dependencies().into_iter().flatten().enumerate() {
            let dep_name = d.name().unwrap_or("");
            iree_ensure!(
                !dep_name.is_empty(),
                InvalidArgument,
                "dependency {} has no module name",
                i
            );
            dependencies.push(Dependency {
                name: dep_name.to_owned(),
                minimum_version: d.minimum_version(),
                optional: d.flags().contains(fb::ModuleDependencyFlagBits::OPTIONAL),
            });
        }

        let mut imports = Vec::new();
        for (i, imp) in root.imported_functions().into_iter().flatten().enumerate() {
            let full_name = imp.full_name().unwrap_or("");
            iree_ensure!(
                !full_name.is_empty(),
                InvalidArgument,
                "import {} has no name",
                i
            );
            imports.push(Import {
                name: full_name.to_owned(),
                signature: signature_of(imp.signature(), &format!("import {}", i))?,
                optional: imp.flags().contains(fb::ImportFlagBits::OPTIONAL),
            });
        }

        let (major, minor) = (
            (root.bytecode_version() >> 16) as u16,
            root.bytecode_version() as u16,
        );
        iree_ensure!(
            major == BYTECODE_VERSION_MAJOR
                && !matches!(
                    minor.cmp(&BYTECODE_VERSION_MINOR),
                    std::cmp::Ordering::Greater
                ),
            InvalidArgument,
            "bytecode version {}.{} is not supported (runtime supports {}.{})",
            major,
            minor,
            BYTECODE_VERSION_MAJOR,
            BYTECODE_VERSION_MINOR
        );

        let bytecode = match root.bytecode_data() {
            Some(data) => {
                let start = offset_in(self.fb_bytes, data.bytes())
                    .ok_or_else(|| iree_err!(Internal, "bytecode data outside the FlatBuffer"))?;
                let start = self.layout.flatbuffer.start + start;
                start..start + data.len()
            }
            None => self.layout.flatbuffer.start..self.layout.flatbuffer.start,
        };
        let functions = self.functions(root, bytecode.len())?;

        let mut exports = Vec::new();
        for (i, e) in root.exported_functions().into_iter().flatten().enumerate() {
            let local_name = e.local_name().unwrap_or("");
            iree_ensure!(
                !local_name.is_empty(),
                InvalidArgument,
                "export {} has no name",
                i
            );
            let ordinal = e.internal_ordinal();
            iree_ensure!(
                ordinal >= 0 && (ordinal as usize) < functions.len(),
                InvalidArgument,
                "export {} ('{}') internal ordinal {} is out of range (module has {} functions)",
                i,
                local_name,
                ordinal,
                functions.len()
            );
            exports.push(Export {
                name: local_name.to_owned(),
                internal_ordinal: ordinal as u16,
            });
        }

        let rodata = self.rodata(root)?;

        let mut rwdata_sizes = Vec::new();
        for (i, seg) in root.rwdata_segments().into_iter().flatten().enumerate() {
            let size = seg.byte_size();
            iree_ensure!(
                size >= 0,
                InvalidArgument,
                "rwdata segment {} has negative size {}",
                i,
                size
            );
            rwdata_sizes.push(size as u32);
        }

        let (mut global_bytes, mut global_refs) = (0u32, 0u32);
        if let Some(state) = root.module_state() {
            let bytes = state.global_bytes_capacity();
            let refs = state.global_ref_count();
            iree_ensure!(
                (0..=MAX_GLOBAL_BYTES as i64).contains(&(bytes as i64)),
                InvalidArgument,
                "module state global byte capacity {} is outside 0..={}",
                bytes,
                MAX_GLOBAL_BYTES
            );
            iree_ensure!(
                (0..=MAX_GLOBAL_REFS as i64).contains(&(refs as i64)),
                InvalidArgument,
                "module state global ref count {} is outside 0..={}",
                refs,
                MAX_GLOBAL_REFS
            );
            global_bytes = bytes as u32;
            global_refs = refs as u32;
        }

        let mut def = ModuleDef {
            name: name.to_owned(),
            version: root.version(),
            requirements,
            attrs: attrs_of(root.attrs()),
            types,
            dependencies,
            imports,
            exports,
            functions,
            rodata,
            rwdata_sizes,
            global_bytes,
            global_refs,
            bytecode_version: (major, minor),
            bytecode,
            locations: Vec::new(),
            layout,
        };
        if let Some(db) = root.debug_database() {
            self.debug_database(db, &mut def)?;
        }
        Ok(def)
    }

    fn functions(
        &self,
        root: fb::BytecodeModuleDef<'a>,
        bytecode_len: usize,
    ) -> Result<Vec<FunctionDef>> {
        let descriptors = root.function_descriptors();
        let signatures = root.function_signatures();
        let count = descriptors.map_or(0, |d| d.len());
        let sig_count = signatures.map_or(0, |s| s.len());
        iree_ensure!(
            count == sig_count,
            InvalidArgument,
            "module has {} function descriptors but {} function signatures",
            count,
            sig_count
        );
        let mut functions = Vec::with_capacity(count);
        let (Some(descriptors), Some(signatures)) = (descriptors, signatures) else {
            return Ok(functions);
        };
        for (i, (d, s)) in descriptors.iter().zip(signatures.iter()).enumerate() {
            let (offset, length) = (d.bytecode_offset() as i64, d.bytecode_length() as i64);
            iree_ensure!(
                length > 0,
                InvalidArgument,
                "function {} has empty bytecode (length {})",
                i,
                length
            );
            iree_ensure!(
                offset >= 0 && offset + length <= bytecode_len as i64,
                InvalidArgument,
                "function {} bytecode range {}..{} exceeds bytecode data size {}",
                i,
                offset,
                offset + length,
                bytecode_len
            );
            let blocks = d.block_count();
            iree_ensure!(
                blocks > 0,
                InvalidArgument,
                "function {} declares {} blocks; at least 1 is required",
                i,
                blocks
            );
            let (i32_regs, ref_regs) = (d.i32_register_count(), d.ref_register_count());
            iree_ensure!(
                (0..=MAX_I32_REGISTERS as i16).contains(&i32_regs),
                InvalidArgument,
                "function {} i32 register count {} is outside 0..={}",
                i,
                i32_regs,
                MAX_I32_REGISTERS
            );
            iree_ensure!(
                (0..=MAX_REF_REGISTERS as i16).contains(&ref_regs),
                InvalidArgument,
                "function {} ref register count {} is outside 0..={}",
                i,
                ref_regs,
                MAX_REF_REGISTERS
            );
            let requirements = d.requirements().bits();
            check_features(requirements, &format!("function {}", i))?;
            functions.push(FunctionDef {
                bytecode: offset as usize..(offset + length) as usize,
                requirements,
                block_count: blocks as u16,
                i32_register_count: i32_regs as u16,
                ref_register_count: ref_regs as u16,
                signature: signature_of(Some(s), &format!("function {}", i))?,
                debug_name: None,
                locations: Vec::new(),
            });
        }
        Ok(functions)
    }

    fn rodata(&self, root: fb::BytecodeModuleDef<'a>) -> Result<Vec<Range<usize>>> {
        let mut rodata = Vec::new();
        for (i, seg) in root.rodata_segments().into_iter().flatten().enumerate() {
            let compression = seg.compression_type_type();
            iree_ensure!(
                compression == fb::CompressionTypeDef::NONE
                    || compression == fb::CompressionTypeDef::UncompressedDataDef,
                InvalidArgument,
                "rodata segment {} uses unsupported compression type {}",
                i,
                compression.0
            );
            if let Some(data) = seg.embedded_data() {
                let start = offset_in(self.fb_bytes, data.bytes())
                    .ok_or_else(|| iree_err!(Internal, "rodata {} outside the FlatBuffer", i))?;
                let start = self.layout.flatbuffer.start + start;
                rodata.push(start..start + data.len());
                continue;
            }
            let (offset, length) = (seg.external_data_offset(), seg.external_data_length());
            if length == 0 {
                rodata.push(0..0);
                continue;
            }
            let Some(base) = self.layout.rodata_base else {
                iree_bail!(
                    InvalidArgument,
                    "rodata segment {} references external data but the module has no archive data area",
                    i
                );
            };
            let end = (base as u64)
                .checked_add(offset)
                .and_then(|v| v.checked_add(length));
            match end {
                Some(end) if end <= self.file.len() as u64 => {
                    let start = base + offset as usize;
                    rodata.push(start..end as usize);
                }
                _ => iree_bail!(
                    InvalidArgument,
                    "rodata segment {} external range {}+{}..+{} exceeds file size {}",
                    i,
                    base,
                    offset,
                    length,
                    self.file.len()
                ),
            }
        }
        Ok(rodata)
    }

    fn debug_database(&self, db: fb::DebugDatabaseDef<'a>, def: &mut ModuleDef) -> Result<()> {
        let tags = db.location_table_type();
        let entries = db.location_table();
        let count = entries.map_or(0, |e| e.len());
        iree_ensure!(
            tags.map_or(0, |t| t.len()) == count,
            InvalidArgument,
            "debug location table has {} entries but {} type tags",
            count,
            tags.map_or(0, |t| t.len())
        );
        let mut locations = Vec::with_capacity(count);
        if let (Some(tags), Some(entries)) = (tags, entries) {
            for (i, (tag, entry)) in tags.iter().zip(entries.iter()).enumerate() {
                let reader = RawTable {
                    buf: entry._tab.buf(),
                    loc: entry._tab.loc(),
                };
                let loc = reader.location(tag).ok_or_else(|| {
                    iree_err!(
                        InvalidArgument,
                        "debug location {} (type {}) is malformed",
                        i,
                        tag
                    )
                })?;
                locations.push(loc);
            }
        }
        check_location_graph(&locations)?;

        let source_maps = db.functions();
        let map_count = source_maps.map_or(0, |m| m.len());
        iree_ensure!(
            map_count <= def.functions.len(),
            InvalidArgument,
            "debug database has {} function source maps but the module has {} functions",
            map_count,
            def.functions.len()
        );
        let bytecode_len = def.bytecode.len();
        for (i, map) in source_maps.into_iter().flatten().enumerate() {
            let function = &mut def.functions[i];
            function.debug_name = map.local_name().map(str::to_owned);
            // The compiler may record offsets a few bytes past the function's
            // declared length (trailing ops of the last block), so bound them
            // by the bytecode data instead of the function span.
            let fn_len = bytecode_len - function.bytecode.start;
            for (j, l) in map.locations().into_iter().flatten().enumerate() {
                let (offset, index) = (l.bytecode_offset(), l.location());
                iree_ensure!(
                    offset >= 0 && (offset as usize) <= fn_len,
                    InvalidArgument,
                    "function {} source map entry {} bytecode offset {} is past the end of the bytecode data ({} bytes from the function start)",
                    i,
                    j,
                    offset,
                    fn_len
                );
                iree_ensure!(
                    index >= 0 && (index as usize) < locations.len(),
                    InvalidArgument,
                    "function {} source map entry {} location {} is out of range ({} locations)",
                    i,
                    j,
                    index,
                    locations.len()
                );
                function.locations.push(BytecodeLocation {
                    bytecode_offset: offset as u32,
                    location: index as u32,
                });
            }
        }
        def.locations = locations;
        Ok(())
    }
}

/// Children of a location (indices into the table).
fn location_children(loc: &Location) -> Vec<u32> {
    match loc {
        Location::Unknown | Location::FileLineCol { .. } => Vec::new(),
        Location::CallSite { callee, caller } => vec![*callee, *caller],
        Location::Fused { locations, .. } => locations.clone(),
        Location::Name { child, .. } => child.iter().copied().collect(),
    }
}

/// Rejects out-of-range child indices and reference cycles (iterative DFS,
/// so no recursion depth depends on the input).
fn check_location_graph(locations: &[Location]) -> Result<()> {
    const UNSEEN: u8 = 0;
    const ACTIVE: u8 = 1;
    const DONE: u8 = 2;
    let n = locations.len();
    for (i, loc) in locations.iter().enumerate() {
        for c in location_children(loc) {
            iree_ensure!(
                (c as usize) < n,
                InvalidArgument,
                "debug location {} references location {} but the table has {}",
                i,
                c,
                n
            );
        }
    }
    let mut state = vec![UNSEEN; n];
    for start in 0..n {
        if state[start] != UNSEEN {
            continue;
        }
        // Stack of (node, next child index).
        let mut stack = vec![(start, 0usize)];
        state[start] = ACTIVE;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let children = location_children(&locations[node]);
            if let Some(&child) = children.get(*next) {
                *next += 1;
                let child = child as usize;
                match state[child] {
                    ACTIVE => iree_bail!(
                        InvalidArgument,
                        "debug location {} is part of a reference cycle",
                        child
                    ),
                    UNSEEN => {
                        state[child] = ACTIVE;
                        stack.push((child, 0));
                    }
                    _ => {}
                }
            } else {
                state[node] = DONE;
                stack.pop();
            }
        }
    }
    Ok(())
}

/// Reads one union member table by hand. The generic verifier only checked
/// the (empty) placeholder type, so every access here is bounds checked.
struct RawTable<'a> {
    buf: &'a [u8],
    loc: usize,
}

impl<'a> RawTable<'a> {
    fn u16_at(&self, at: usize) -> Option<u16> {
        let b = self.buf.get(at..at.checked_add(2)?)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.buf.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Absolute position of field `slot`, or `Some(None)` when absent.
    fn field(&self, slot: usize) -> Option<Option<usize>> {
        let soffset = self.u32_at(self.loc)? as i32 as i64;
        let vtable = usize::try_from(self.loc as i64 - soffset).ok()?;
        let vtable_len = self.u16_at(vtable)? as usize;
        let table_len = self.u16_at(vtable + 2)? as usize;
        let entry = 4 + 2 * slot;
        if entry + 2 > vtable_len {
            return Some(None);
        }
        let voffset = self.u16_at(vtable + entry)? as usize;
        if voffset == 0 {
            return Some(None);
        }
        if voffset + 4 > table_len {
            return None;
        }
        Some(Some(self.loc + voffset))
    }

    fn i32_field(&self, slot: usize) -> Option<Option<i32>> {
        match self.field(slot)? {
            None => Some(None),
            Some(at) => Some(Some(self.u32_at(at)? as i32)),
        }
    }

    /// Follows the offset at `at` to a vector: (element start, count).
    fn vector_at(&self, at: usize, elem_size: usize) -> Option<(usize, usize)> {
        let target = at.checked_add(self.u32_at(at)? as usize)?;
        let count = self.u32_at(target)? as usize;
        let start = target + 4;
        let end = start.checked_add(count.checked_mul(elem_size)?)?;
        (end <= self.buf.len()).then_some((start, count))
    }

    fn string_field(&self, slot: usize) -> Option<Option<String>> {
        let Some(at) = self.field(slot)? else {
            return Some(None);
        };
        let (start, len) = self.vector_at(at, 1)?;
        let text = std::str::from_utf8(&self.buf[start..start + len]).ok()?;
        Some(Some(text.to_owned()))
    }

    fn index(value: i32) -> Option<u32> {
        u32::try_from(value).ok()
    }

    fn location(&self, tag: u8) -> Option<Location> {
        Some(match fb::LocationTypeDef(tag) {
            fb::LocationTypeDef::NONE => Location::Unknown,
            fb::LocationTypeDef::CallSiteLocDef => Location::CallSite {
                callee: Self::index(self.i32_field(0)?.unwrap_or(0))?,
                caller: Self::index(self.i32_field(1)?.unwrap_or(0))?,
            },
            fb::LocationTypeDef::FileLineColLocDef => Location::FileLineCol {
                filename: self.string_field(0)?.unwrap_or_default(),
                line: self.i32_field(1)?.unwrap_or(0),
                column: self.i32_field(2)?.unwrap_or(0),
            },
            fb::LocationTypeDef::FusedLocDef => {
                let mut locations = Vec::new();
                if let Some(at) = self.field(1)? {
                    let (start, count) = self.vector_at(at, 4)?;
                    for k in 0..count {
                        locations.push(Self::index(self.u32_at(start + 4 * k)? as i32)?);
                    }
                }
                Location::Fused {
                    metadata: self.string_field(0)?,
                    locations,
                }
            }
            fb::LocationTypeDef::NameLocDef => Location::Name {
                name: self.string_field(0)?.unwrap_or_default(),
                child: match self.i32_field(1)? {
                    None => None,
                    Some(v) => Some(Self::index(v)?),
                },
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
#[path = "module_def_tests.rs"]
mod tests;
