//! Tests of `library_check.rs`: descriptions that break each rule, and the
//! raw reader on a library laid out in this process's memory.

use super::*;
use crate::hal::local::executable_library::{
    ConstantTable, DispatchState, Environment, ImportTable, SourceFileTable, WorkgroupState,
};
use crate::StatusCode;
use std::ffi::c_int;

unsafe extern "C" fn nothing(
    _: *const Environment,
    _: *const DispatchState,
    _: *const WorkgroupState,
) -> c_int {
    0
}

fn header() -> HeaderDescription {
    HeaderDescription {
        version: LIBRARY_VERSION,
        name: Some("lib".into()),
        features: 0,
        sanitizer: SANITIZER_NONE,
    }
}

fn export(name: &str, bindings: u8, constants: u8) -> ExportDescription {
    ExportDescription {
        name: Some(name.into()),
        function: Some(nothing),
        attrs: Some(DispatchAttrs {
            binding_count: bindings,
            constant_count: constants,
            ..Default::default()
        }),
        tag: None,
        source_location: None,
    }
}

fn library(exports: Vec<ExportDescription>) -> LibraryDescription {
    LibraryDescription {
        header: header(),
        imports: Vec::new(),
        exports,
        constant_count: 0,
    }
}

fn failure(description: LibraryDescription, constants: usize) -> crate::Error {
    check_library(description, constants).unwrap_err()
}

#[test]
fn a_well_formed_library_passes() {
    let checked = check_library(library(vec![export("a", 3, 2), export("b", 64, 64)]), 0).unwrap();
    assert_eq!(checked.name, "lib");
    assert_eq!(checked.exports[1].name, "b");
    assert_eq!(checked.exports[0].attrs.binding_count, 3);
}

#[test]
fn versions_and_sanitizers_are_named() {
    let mut description = library(vec![]);
    description.header.version = 7;
    let err = failure(description, 0);
    assert_eq!(err.code(), StatusCode::FailedPrecondition);
    assert!(
        err.message().contains("'lib' has ABI version 7") && err.message().contains("version 6"),
        "{err}"
    );
    let mut description = library(vec![]);
    description.header.sanitizer = SANITIZER_ADDRESS;
    let err = failure(description, 0);
    assert_eq!(err.code(), StatusCode::Unavailable);
    assert!(err.message().contains("AddressSanitizer"), "{err}");
    let mut description = library(vec![]);
    description.header.sanitizer = 42;
    assert!(failure(description, 0).message().contains("kind 42"));
}

#[test]
fn counts_past_the_limits_name_the_export() {
    let err = failure(library(vec![export("ok", 1, 1), export("wide", 65, 0)]), 0);
    assert_eq!(err.code(), StatusCode::OutOfRange);
    assert!(
        err.message().contains("'wide'") && err.message().contains("65 bindings"),
        "{err}"
    );
    let err = failure(library(vec![export("many", 0, 65)]), 0);
    assert_eq!(err.code(), StatusCode::OutOfRange);
    assert!(err.message().contains("65 constants"), "{err}");
}

#[test]
fn names_attributes_and_functions_are_required() {
    let mut nameless = export("x", 0, 0);
    nameless.name = None;
    let err = failure(library(vec![export("a", 0, 0), nameless]), 0);
    assert!(
        err.message().contains("export 1 has no function name"),
        "{err}"
    );
    let mut empty = export("x", 0, 0);
    empty.name = Some(String::new());
    assert_eq!(
        failure(library(vec![empty]), 0).code(),
        StatusCode::FailedPrecondition
    );
    let mut no_attrs = export("x", 0, 0);
    no_attrs.attrs = None;
    assert!(failure(library(vec![no_attrs]), 0)
        .message()
        .contains("no dispatch attributes"));
    let mut no_function = export("f", 0, 0);
    no_function.function = None;
    assert!(failure(library(vec![no_function]), 0)
        .message()
        .contains("'f' of executable library 'lib' has no function pointer"));
}

#[test]
fn executable_constants_must_match_and_imports_be_named() {
    let mut description = library(vec![]);
    description.constant_count = 2;
    let err = failure(description.clone(), 1);
    assert!(
        err.message()
            .contains("requires 2 executable constants but 1"),
        "{err}"
    );
    assert!(check_library(description, 2).is_ok());
    let mut description = library(vec![]);
    description.imports = vec![Some("?weak".into()), None];
    assert!(failure(description, 0)
        .message()
        .contains("import 1 has no symbol name"));
}

/// A library laid out in static memory, as a compiler would emit it.
struct StaticLibrary {
    header: LibraryHeader,
    functions: [Option<DispatchFn>; 1],
    attrs: [DispatchAttrs; 1],
    names: [*const c_char; 1],
    locations: [SourceLocation; 1],
    library: Library,
}

fn build_static_library(version: u32) -> Box<StaticLibrary> {
    let mut layout = Box::new(StaticLibrary {
        header: LibraryHeader {
            version,
            name: c"demo".as_ptr(),
            features: 0,
            sanitizer: SANITIZER_NONE,
        },
        functions: [Some(nothing)],
        attrs: [DispatchAttrs {
            binding_count: 2,
            local_memory_pages: 1,
            ..Default::default()
        }],
        names: [c"demo_dispatch".as_ptr()],
        locations: [SourceLocation {
            line: 12,
            path_length: 6,
            path: c"a.mlirXXX".as_ptr(),
        }],
        library: Library {
            header: std::ptr::null(),
            imports: ImportTable {
                count: 0,
                symbols: std::ptr::null(),
            },
            exports: ExportTable {
                count: 1,
                ptrs: std::ptr::null(),
                attrs: std::ptr::null(),
                params: std::ptr::null(),
                occupancy: std::ptr::null(),
                names: std::ptr::null(),
                tags: std::ptr::null(),
                parameter_names: std::ptr::null(),
                source_locations: std::ptr::null(),
                stage_locations: std::ptr::null(),
            },
            constants: ConstantTable { count: 0 },
            sources: SourceFileTable {
                count: 0,
                files: std::ptr::null(),
            },
        },
    });
    layout.library.header = &layout.header;
    layout.library.exports.ptrs = layout.functions.as_ptr();
    layout.library.exports.attrs = layout.attrs.as_ptr();
    layout.library.exports.names = layout.names.as_ptr();
    layout.library.exports.source_locations = layout.locations.as_ptr();
    layout
}

#[test]
fn the_reader_copies_a_library_out_of_memory() {
    let layout = build_static_library(LIBRARY_VERSION);
    let result = (&layout.library as *const Library).cast::<*const LibraryHeader>();
    // SAFETY: `result` points at a complete version-6 library in `layout`.
    let description = unsafe { read_library(result, None) }.unwrap();
    assert_eq!(description.header.name.as_deref(), Some("demo"));
    let export = &description.exports[0];
    assert_eq!(export.name.as_deref(), Some("demo_dispatch"));
    assert_eq!(export.attrs.unwrap().local_memory_pages, 1);
    assert_eq!(export.source_location, Some(("a.mlir".into(), 12)));
    assert!(check_library(description, 0).is_ok());
}

#[test]
fn bounds_refuse_pointers_outside_the_image() {
    let layout = build_static_library(LIBRARY_VERSION);
    let start = &*layout as *const StaticLibrary as usize;
    let result = (&layout.library as *const Library).cast::<*const LibraryHeader>();
    let bounds = ImageBounds(start..start + std::mem::size_of::<StaticLibrary>());
    // SAFETY: as above; the bounds cover the tables but not the strings
    // (C string literals live elsewhere), which must be refused.
    let err = unsafe { read_header(result, Some(&bounds)) }.unwrap_err();
    assert_eq!(err.code(), StatusCode::OutOfRange);
    assert!(err.message().contains("outside the loaded image"), "{err}");
}

#[test]
fn a_header_of_another_version_is_caught_before_the_body_is_read() {
    let layout = build_static_library(5);
    let result = (&layout.library as *const Library).cast::<*const LibraryHeader>();
    // SAFETY: the header is complete (only its version is wrong).
    let header = unsafe { read_header(result, None) }.unwrap();
    let err = check_header(&header).unwrap_err();
    assert!(err.message().contains("'demo' has ABI version 5"), "{err}");
}

/// Byte offsets of a little library image laid out by hand.
const LIBRARY_AT: usize = 0;
const HEADER_AT: usize = 128;
const FUNCTIONS_AT: usize = 152;
const ATTRS_AT: usize = 168;
const NAMES_AT: usize = 296;
const LOCATIONS_AT: usize = 312;
const STRINGS_AT: usize = 344;
const IMAGE_WORDS: usize = 64;

/// Writes a two-export library into `image`, pointing into itself.
fn lay_out_image(image: &mut [u64; IMAGE_WORDS]) {
    let base = image.as_ptr() as u64;
    let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut image[..]);
    bytes.fill(0);
    let mut put64 = |at: usize, value: u64| bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
    put64(LIBRARY_AT, base + HEADER_AT as u64);
    put64(LIBRARY_AT + 24, 2); // export count (u32, zero-padded)
    put64(LIBRARY_AT + 32, base + FUNCTIONS_AT as u64);
    put64(LIBRARY_AT + 40, base + ATTRS_AT as u64);
    put64(LIBRARY_AT + 64, base + NAMES_AT as u64);
    put64(LIBRARY_AT + 88, base + LOCATIONS_AT as u64);
    put64(HEADER_AT, LIBRARY_VERSION as u64);
    put64(HEADER_AT + 8, base + STRINGS_AT as u64);
    // Never called: any non-NULL value is a valid function pointer value.
    put64(FUNCTIONS_AT, 0x1000);
    put64(FUNCTIONS_AT + 8, 0x2000);
    put64(NAMES_AT, base + STRINGS_AT as u64 + 4);
    put64(NAMES_AT + 8, base + STRINGS_AT as u64 + 6);
    for export in 0..2 {
        put64(LOCATIONS_AT + 16 * export, 7 | (4 << 32));
        put64(LOCATIONS_AT + 16 * export + 8, base + STRINGS_AT as u64 + 8);
    }
    bytes[ATTRS_AT + 11] = 2;
    bytes[ATTRS_AT + 64 + 11] = 3;
    bytes[STRINGS_AT..STRINGS_AT + 12].copy_from_slice(b"lib\0a\0b\0x.ml");
}

fn read_image(image: &[u64; IMAGE_WORDS]) -> Result<CheckedLibrary> {
    let start = image.as_ptr() as usize;
    let bounds = ImageBounds(start..start + IMAGE_WORDS * 8);
    let result = image.as_ptr().cast::<*const LibraryHeader>();
    // SAFETY: the bounds are exactly `image`, readable for its whole
    // length, and every type read (integers, raw and function pointers
    // behind `Option`) is valid for any bytes.
    let header = unsafe { read_header(result, Some(&bounds)) }?;
    check_header(&header)?;
    // SAFETY: as above.
    let description = unsafe { read_library(result, Some(&bounds)) }?;
    check_library(description, 0)
}

#[test]
fn flipped_bytes_in_a_bounded_image_give_statuses_never_crashes() {
    let mut image = Box::new([0u64; IMAGE_WORDS]);
    lay_out_image(&mut image);
    let template = *image;
    let checked = read_image(&image).unwrap();
    assert_eq!(checked.name, "lib");
    assert_eq!(checked.exports[1].name, "b");
    assert_eq!(checked.exports[1].attrs.binding_count, 3);
    assert_eq!(checked.exports[0].source_location, Some(("x.ml".into(), 7)));
    let mut failures = 0;
    for byte in 0..STRINGS_AT + 12 {
        for mask in [0x01u8, 0x10, 0x80, 0xFF] {
            *image = template;
            bytemuck::cast_slice_mut::<u64, u8>(&mut image[..])[byte] ^= mask;
            failures += read_image(&image).is_err() as usize;
        }
    }
    assert!(failures > 100, "only {failures} mutations were refused");
}
