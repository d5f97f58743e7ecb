//! Reading an executable library out of loaded code and checking it before
//! anything in it is called.
//!
//! The library's tables live in the loaded image, so reading them is the one
//! `unsafe` part: [`read_library`] copies everything the runtime needs into
//! an owned [`LibraryDescription`] (NULL pointers become `None`, strings are
//! copied, and with [`ImageBounds`] every pointer must lie in the image).
//! [`check_library`] then turns a description into a [`CheckedLibrary`] or
//! a status naming the library, the export and what is wrong; it is plain
//! Rust, so malformed libraries can be tested without any code.

use std::ffi::c_char;
use std::ops::Range;

use crate::hal::local::executable_library::{
    DispatchAttrs, DispatchFn, ExportTable, Library, LibraryHeader, SourceLocation,
    LIBRARY_VERSION, MAX_BINDING_COUNT, MAX_CONSTANT_COUNT, SANITIZER_ADDRESS, SANITIZER_MEMORY,
    SANITIZER_NONE, SANITIZER_THREAD, SANITIZER_UNDEFINED,
};
use crate::{iree_bail, iree_err, Result};

/// More exports or imports than this is taken as a corrupt table rather
/// than allocated for.
const MAX_TABLE_ENTRIES: u32 = 1 << 16;
/// Longest string read from a library (names, paths).
const MAX_STRING_LENGTH: usize = 1 << 16;

/// The address range a library's tables and strings must lie in, when the
/// loader knows it (the embedded-ELF loader maps the image itself; a system
/// library is mapped by the dynamic linker, so its loader passes none).
#[derive(Clone, Debug)]
pub struct ImageBounds(pub Range<usize>);

/// What a library header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderDescription {
    pub version: u32,
    pub name: Option<String>,
    pub features: u32,
    pub sanitizer: i32,
}

/// One export as the library declares it.
#[derive(Clone, Debug)]
pub struct ExportDescription {
    pub name: Option<String>,
    pub function: Option<DispatchFn>,
    pub attrs: Option<DispatchAttrs>,
    pub tag: Option<String>,
    pub source_location: Option<(String, u32)>,
}

/// A library as read, before any check.
#[derive(Clone, Debug)]
pub struct LibraryDescription {
    pub header: HeaderDescription,
    pub imports: Vec<Option<String>>,
    pub exports: Vec<ExportDescription>,
    pub constant_count: u32,
}

/// A checked export: everything the dispatch path needs.
#[derive(Clone, Debug)]
pub struct CheckedExport {
    pub name: String,
    pub function: DispatchFn,
    pub attrs: DispatchAttrs,
    pub tag: Option<String>,
    pub source_location: Option<(String, u32)>,
}

/// A library that passed [`check_library`].
#[derive(Clone, Debug)]
pub struct CheckedLibrary {
    pub name: String,
    pub features: u32,
    /// Import symbols; a leading `?` marks a weak import.
    pub imports: Vec<String>,
    pub exports: Vec<CheckedExport>,
    pub constant_count: u32,
}

fn sanitizer_name(kind: i32) -> String {
    match kind {
        SANITIZER_ADDRESS => "AddressSanitizer".into(),
        SANITIZER_MEMORY => "MemorySanitizer".into(),
        SANITIZER_THREAD => "ThreadSanitizer".into(),
        SANITIZER_UNDEFINED => "UndefinedBehaviorSanitizer".into(),
        other => format!("unknown sanitizer kind {other}"),
    }
}

/// Version and sanitizer: checked before the rest of the library is read,
/// since another version may lay its tables out differently.
pub fn check_header(header: &HeaderDescription) -> Result<()> {
    let name = header.name.as_deref().unwrap_or("<unnamed>");
    if header.version != LIBRARY_VERSION {
        iree_bail!(
            FailedPrecondition,
            "executable library '{name}' has ABI version {}; this runtime supports version {LIBRARY_VERSION} (recompile it with a matching IREE compiler)",
            header.version
        );
    }
    if header.sanitizer != SANITIZER_NONE {
        iree_bail!(
            Unavailable,
            "executable library '{name}' is compiled for {} but the runtime is not; recompile it without the sanitizer",
            sanitizer_name(header.sanitizer)
        );
    }
    Ok(())
}

/// Checks a library against the limits and what the caller provides
/// (`provided_constants`: the executable constants given at preparation).
pub fn check_library(
    library: LibraryDescription,
    provided_constants: usize,
) -> Result<CheckedLibrary> {
    check_header(&library.header)?;
    let name = library
        .header
        .name
        .clone()
        .unwrap_or_else(|| "<unnamed>".to_owned());
    if library.constant_count as usize != provided_constants {
        iree_bail!(
            FailedPrecondition,
            "executable library '{name}' requires {} executable constants but {provided_constants} were provided; they must match",
            library.constant_count
        );
    }
    let imports = library
        .imports
        .into_iter()
        .enumerate()
        .map(|(index, symbol)| match symbol {
            Some(symbol) if !symbol.is_empty() => Ok(symbol),
            _ => Err(iree_err!(
                FailedPrecondition,
                "executable library '{name}' import {index} has no symbol name"
            )),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut exports = Vec::with_capacity(library.exports.len());
    for (ordinal, export) in library.exports.into_iter().enumerate() {
        let export_name = match export.name {
            Some(export_name) if !export_name.is_empty() => export_name,
            _ => iree_bail!(
                FailedPrecondition,
                "executable library '{name}' export {ordinal} has no function name"
            ),
        };
        let Some(attrs) = export.attrs else {
            iree_bail!(
                FailedPrecondition,
                "executable library '{name}' provides no dispatch attributes (export {ordinal} '{export_name}')"
            );
        };
        if attrs.constant_count as usize > MAX_CONSTANT_COUNT {
            iree_bail!(
                OutOfRange,
                "export '{export_name}' of executable library '{name}' requires {} constants; the limit is {MAX_CONSTANT_COUNT}",
                attrs.constant_count
            );
        }
        if attrs.binding_count as usize > MAX_BINDING_COUNT {
            iree_bail!(
                OutOfRange,
                "export '{export_name}' of executable library '{name}' requires {} bindings; the limit is {MAX_BINDING_COUNT}",
                attrs.binding_count
            );
        }
        let Some(function) = export.function else {
            iree_bail!(
                FailedPrecondition,
                "export '{export_name}' of executable library '{name}' has no function pointer"
            );
        };
        exports.push(CheckedExport {
            name: export_name,
            function,
            attrs,
            tag: export.tag,
            source_location: export.source_location,
        });
    }
    Ok(CheckedLibrary {
        name,
        features: library.header.features,
        imports,
        exports,
        constant_count: library.constant_count,
    })
}

/// Copies values out of a loaded image, refusing NULL and (with bounds)
/// anything outside the image.
struct ImageReader<'a> {
    bounds: Option<&'a ImageBounds>,
}

impl ImageReader<'_> {
    fn check_span(&self, address: usize, len: usize, what: &str) -> Result<()> {
        let Some(ImageBounds(range)) = self.bounds else {
            return Ok(());
        };
        let inside =
            address >= range.start && address.checked_add(len).is_some_and(|end| end <= range.end);
        if !inside {
            iree_bail!(
                OutOfRange,
                "executable library {what} at {address:#x} (+{len} bytes) lies outside the loaded image"
            );
        }
        Ok(())
    }

    /// # Safety
    /// Without bounds, `ptr` (when non-NULL) must be readable for a `T`.
    unsafe fn read<T: Copy>(&self, ptr: *const T, what: &str) -> Result<T> {
        if ptr.is_null() {
            iree_bail!(FailedPrecondition, "executable library {what} is NULL");
        }
        self.check_span(ptr as usize, std::mem::size_of::<T>(), what)?;
        // SAFETY: non-NULL and inside the image (or readable per the
        // caller's contract); unaligned reads tolerate odd addresses.
        Ok(unsafe { ptr.read_unaligned() })
    }

    /// `count` entries of an array, or `None` for a NULL array.
    ///
    /// # Safety
    /// Without bounds, a non-NULL `ptr` must be readable for `count` `T`s.
    unsafe fn read_array<T: Copy>(
        &self,
        ptr: *const T,
        count: u32,
        what: &str,
    ) -> Result<Option<Vec<T>>> {
        if ptr.is_null() {
            return Ok(None);
        }
        let len = (count as usize)
            .checked_mul(std::mem::size_of::<T>())
            .ok_or_else(|| iree_err!(OutOfRange, "executable library {what} is too large"))?;
        self.check_span(ptr as usize, len, what)?;
        let mut values = Vec::with_capacity(count as usize);
        for index in 0..count as usize {
            // SAFETY: the whole array was checked (or is readable per the
            // caller's contract); `index < count`.
            values.push(unsafe { ptr.wrapping_add(index).read_unaligned() });
        }
        Ok(Some(values))
    }

    /// A NUL-terminated string, or `None` for NULL.
    ///
    /// # Safety
    /// Without bounds, a non-NULL `ptr` must point at a NUL-terminated string.
    unsafe fn read_c_string(&self, ptr: *const c_char, what: &str) -> Result<Option<String>> {
        if ptr.is_null() {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        loop {
            let at = ptr.wrapping_add(bytes.len()).cast::<u8>();
            self.check_span(at as usize, 1, what)?;
            // SAFETY: inside the image, or before the terminator the
            // caller's contract promises.
            let byte = unsafe { at.read() };
            if byte == 0 {
                break;
            }
            if bytes.len() == MAX_STRING_LENGTH {
                iree_bail!(
                    OutOfRange,
                    "executable library {what} is longer than {MAX_STRING_LENGTH} bytes"
                );
            }
            bytes.push(byte);
        }
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// `length` bytes of a string that need not be NUL-terminated.
    ///
    /// # Safety
    /// Without bounds, a non-NULL `ptr` must be readable for `length` bytes.
    unsafe fn read_sized_string(
        &self,
        ptr: *const c_char,
        length: u32,
        what: &str,
    ) -> Result<Option<String>> {
        let length = length.min(MAX_STRING_LENGTH as u32);
        // SAFETY: forwarded contract.
        let bytes = unsafe { self.read_array(ptr.cast::<u8>(), length, what) }?;
        Ok(bytes.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// Reads the header a query result points at (`*result` is the header pointer).
///
/// # Safety
/// `result` is what a library's query function returned (non-NULL). Without
/// `bounds`, every pointer in the header must be valid as the ABI describes.
pub unsafe fn read_header(
    result: *const *const LibraryHeader,
    bounds: Option<&ImageBounds>,
) -> Result<HeaderDescription> {
    let reader = ImageReader { bounds };
    // SAFETY: the caller's contract.
    unsafe {
        let header_ptr = reader.read(result, "library pointer")?;
        let header = reader.read(header_ptr, "header")?;
        Ok(HeaderDescription {
            version: header.version,
            name: reader.read_c_string(header.name, "name")?,
            features: header.features,
            sanitizer: header.sanitizer,
        })
    }
}

/// Reads the whole library a query result points at. Call only once the
/// header has passed [`check_header`] (the layout is version 6's).
///
/// # Safety
/// As for [`read_header`], for every table the version-6 layout describes.
pub unsafe fn read_library(
    result: *const *const LibraryHeader,
    bounds: Option<&ImageBounds>,
) -> Result<LibraryDescription> {
    let reader = ImageReader { bounds };
    // SAFETY: the caller's contract: `result` points at a version-6 library.
    unsafe {
        let header = read_header(result, bounds)?;
        let library: Library = reader.read(result.cast::<Library>(), "library")?;
        let imports = read_imports(&reader, &library)?;
        let exports = read_exports(&reader, &library.exports)?;
        Ok(LibraryDescription {
            header,
            imports,
            exports,
            constant_count: library.constants.count,
        })
    }
}

/// # Safety
/// As for [`read_library`].
unsafe fn read_imports(reader: &ImageReader<'_>, library: &Library) -> Result<Vec<Option<String>>> {
    let count = library.imports.count;
    if count > MAX_TABLE_ENTRIES {
        iree_bail!(
            OutOfRange,
            "executable library declares {count} imports; at most {MAX_TABLE_ENTRIES} are supported"
        );
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: the caller's contract.
    let Some(symbols) = (unsafe { reader.read_array(library.imports.symbols, count, "imports") })?
    else {
        iree_bail!(
            FailedPrecondition,
            "executable library declares {count} imports but no symbol table"
        );
    };
    symbols
        .into_iter()
        // SAFETY: the caller's contract.
        .map(|symbol| unsafe { reader.read_c_string(symbol, "import symbol") })
        .collect()
}

/// # Safety
/// As for [`read_library`].
unsafe fn read_exports(
    reader: &ImageReader<'_>,
    table: &ExportTable,
) -> Result<Vec<ExportDescription>> {
    let count = table.count;
    if count > MAX_TABLE_ENTRIES {
        iree_bail!(
            OutOfRange,
            "executable library declares {count} exports; at most {MAX_TABLE_ENTRIES} are supported"
        );
    }
    // SAFETY: the caller's contract covers every table of `count` entries.
    unsafe {
        let functions = reader.read_array(table.ptrs, count, "export functions")?;
        let attrs = reader.read_array(table.attrs, count, "dispatch attributes")?;
        let names = reader.read_array(table.names, count, "export names")?;
        let tags = reader.read_array(table.tags, count, "export tags")?;
        let locations: Option<Vec<SourceLocation>> =
            reader.read_array(table.source_locations, count, "source locations")?;
        let mut exports = Vec::with_capacity(count as usize);
        for index in 0..count as usize {
            let name = match &names {
                Some(names) => reader.read_c_string(names[index], "export name")?,
                None => None,
            };
            let tag = match &tags {
                Some(tags) => reader.read_c_string(tags[index], "export tag")?,
                None => None,
            };
            let source_location = match &locations {
                Some(locations) => {
                    let location = locations[index];
                    reader
                        .read_sized_string(location.path, location.path_length, "source path")?
                        .map(|path| (path, location.line))
                }
                None => None,
            };
            exports.push(ExportDescription {
                name,
                function: functions.as_ref().and_then(|f| f[index]),
                attrs: attrs.as_ref().map(|a| a[index]),
                tag,
                source_location,
            });
        }
        Ok(exports)
    }
}

#[cfg(test)]
#[path = "library_check_tests.rs"]
mod tests;
