//! The CPU executable library ABI as the IREE 3.13 compiler writes it
//! (library version 6): the C layouts a library's query function returns
//! and its dispatch functions take. Only layouts and constants live here;
//! reading a library is `library_check.rs`, calling one `executable_call.rs`.
//!
//! Every struct is `repr(C)` and its size is pinned by a test, so a layout
//! slip fails the build's tests rather than a dispatch.

use std::ffi::{c_char, c_int, c_void};

/// `IREE_HAL_EXECUTABLE_LIBRARY_VERSION_0_6`: the one version 3.13 code
/// answers (its query returns NULL for any other `max_version`).
pub const LIBRARY_VERSION: u32 = 6;

/// The exported symbol every library provides.
pub const QUERY_SYMBOL: &str = "iree_hal_executable_library_query";

/// Most constants and bindings one dispatch may declare.
pub const MAX_CONSTANT_COUNT: usize = 64;
pub const MAX_BINDING_COUNT: usize = 64;

/// Local memory is requested in pages of this many bytes.
pub const LOCAL_MEMORY_PAGE_SIZE: usize = 4096;

/// Words of processor data in the environment.
pub const PROCESSOR_DATA_CAPACITY: usize = 8;

/// `iree_hal_executable_library_sanitizer_kind_t` values.
pub const SANITIZER_NONE: i32 = 0;
pub const SANITIZER_ADDRESS: i32 = 1;
pub const SANITIZER_MEMORY: i32 = 2;
pub const SANITIZER_THREAD: i32 = 3;
pub const SANITIZER_UNDEFINED: i32 = 4;

/// Dispatch flag bits (`iree_hal_executable_dispatch_flags_v0_t`).
pub const DISPATCH_FLAG_SEQUENTIAL: u64 = 1 << 0;
pub const DISPATCH_FLAG_WORKGROUP_SIZE_DYNAMIC: u64 = 1 << 1;

/// `iree_hal_executable_library_header_t`: the first thing a library points at.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct LibraryHeader {
    pub version: u32,
    pub name: *const c_char,
    pub features: u32,
    pub sanitizer: i32,
}

/// An imported function (`iree_hal_executable_import_v0_t`).
pub type ImportFn =
    unsafe extern "C" fn(params: *mut c_void, context: *mut c_void, reserved: *mut c_void) -> c_int;

/// The thunk every import call goes through (`iree_hal_executable_import_thunk_v0_t`).
pub type ImportThunk = unsafe extern "C" fn(
    function: Option<ImportFn>,
    params: *mut c_void,
    context: *mut c_void,
    reserved: *mut c_void,
) -> c_int;

/// `iree_hal_executable_import_table_v0_t`: symbols the library imports
/// (a leading `?` marks a weak import that may stay unresolved).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ImportTable {
    pub count: u32,
    pub symbols: *const *const c_char,
}

/// `iree_hal_processor_v0_t`: architecture feature words (x86-64 word 0:
/// SSE3 .. AVX2 in bits 0-15, AVX-512 from bit 20).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Processor {
    pub data: [u64; PROCESSOR_DATA_CAPACITY],
}

/// `iree_hal_executable_environment_v0_t`: what the query and every
/// dispatch are given.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Environment {
    pub constants: *const u32,
    pub import_thunk: Option<ImportThunk>,
    pub import_funcs: *const Option<ImportFn>,
    pub import_contexts: *const *const c_void,
    pub processor: Processor,
}

/// `iree_hal_executable_dispatch_state_v0_t`: the same for every workgroup
/// of a dispatch.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DispatchState {
    pub workgroup_size_x: u32,
    pub workgroup_size_y: u32,
    pub workgroup_size_z: u16,
    pub constant_count: u16,
    pub workgroup_count_x: u32,
    pub workgroup_count_y: u32,
    pub workgroup_count_z: u16,
    pub max_concurrency: u8,
    pub binding_count: u8,
    pub constants: *const u32,
    pub binding_ptrs: *const *mut c_void,
    pub binding_lengths: *const usize,
}

/// `iree_hal_executable_workgroup_state_v0_t`: one workgroup's ids and scratch.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WorkgroupState {
    pub workgroup_id_x: u32,
    pub workgroup_id_y: u32,
    pub workgroup_id_z: u16,
    pub reserved: u16,
    pub processor_id: u32,
    pub local_memory: *mut c_void,
    pub local_memory_size: u32,
}

/// A dispatch function (`iree_hal_executable_dispatch_v0_t`); 0 is success.
pub type DispatchFn = unsafe extern "C" fn(
    environment: *const Environment,
    dispatch_state: *const DispatchState,
    workgroup_state: *const WorkgroupState,
) -> c_int;

/// `iree_hal_executable_dispatch_attrs_v0_t`, one per export.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DispatchAttrs {
    pub flags: u64,
    pub local_memory_pages: u16,
    pub constant_count: u8,
    pub binding_count: u8,
    pub workgroup_size_x: u32,
    pub workgroup_size_y: u32,
    pub workgroup_size_z: u16,
    pub parameter_count: u16,
    pub reserved: [u64; 5],
}

/// `iree_hal_executable_dispatch_parameter_v0_t` (optional reflection).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DispatchParameter {
    pub kind: u8,
    pub size: u8,
    pub flags: u16,
    pub name: u16,
    pub offset: u16,
}

/// `iree_hal_executable_source_location_v0_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SourceLocation {
    pub line: u32,
    pub path_length: u32,
    pub path: *const c_char,
}

/// `iree_hal_executable_stage_location_table_v0_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StageLocationTable {
    pub count: u32,
    pub names: *const *const c_char,
    pub locations: *const SourceLocation,
}

/// `iree_hal_executable_export_table_v0_t`: parallel arrays of `count`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ExportTable {
    pub count: u32,
    pub ptrs: *const Option<DispatchFn>,
    pub attrs: *const DispatchAttrs,
    pub params: *const *const DispatchParameter,
    pub occupancy: *const c_void,
    pub names: *const *const c_char,
    pub tags: *const *const c_char,
    pub parameter_names: *const *const c_char,
    pub source_locations: *const SourceLocation,
    pub stage_locations: *const StageLocationTable,
}

/// `iree_hal_executable_constant_table_v0_t`: how many executable-wide
/// constants the environment must carry.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ConstantTable {
    pub count: u32,
}

/// `iree_hal_executable_source_file_v0_t` (embedded sources for debugging).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SourceFile {
    pub path_length: u32,
    pub path: *const c_char,
    pub content_length: u32,
    pub content: *const u8,
}

/// `iree_hal_executable_source_file_table_v0_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SourceFileTable {
    pub count: u32,
    pub files: *const SourceFile,
}

/// `iree_hal_executable_library_v0_t`; its first field is what the query
/// returns a pointer to.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Library {
    pub header: *const LibraryHeader,
    pub imports: ImportTable,
    pub exports: ExportTable,
    pub constants: ConstantTable,
    pub sources: SourceFileTable,
}

/// `iree_hal_executable_library_query_fn_t`: returns a pointer to the
/// library's header pointer (the library struct), or NULL when the library
/// does not speak `max_version`.
pub type QueryFn = unsafe extern "C" fn(
    max_version: u32,
    environment: *const Environment,
) -> *const *const LibraryHeader;

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn layouts_match_the_3_13_abi() {
        assert_eq!(size_of::<LibraryHeader>(), 24);
        assert_eq!(offset_of!(LibraryHeader, sanitizer), 20);
        assert_eq!(size_of::<Environment>(), 96);
        assert_eq!(offset_of!(Environment, processor), 32);
        assert_eq!(size_of::<DispatchState>(), 48);
        assert_eq!(offset_of!(DispatchState, workgroup_count_x), 12);
        assert_eq!(offset_of!(DispatchState, max_concurrency), 22);
        assert_eq!(offset_of!(DispatchState, binding_count), 23);
        assert_eq!(offset_of!(DispatchState, constants), 24);
        assert_eq!(offset_of!(DispatchState, binding_lengths), 40);
        assert_eq!(size_of::<WorkgroupState>(), 32);
        assert_eq!(offset_of!(WorkgroupState, processor_id), 12);
        assert_eq!(offset_of!(WorkgroupState, local_memory), 16);
        assert_eq!(offset_of!(WorkgroupState, local_memory_size), 24);
        assert_eq!(size_of::<DispatchAttrs>(), 64);
        assert_eq!(offset_of!(DispatchAttrs, constant_count), 10);
        assert_eq!(offset_of!(DispatchAttrs, workgroup_size_x), 12);
        assert_eq!(offset_of!(DispatchAttrs, parameter_count), 22);
        assert_eq!(size_of::<DispatchParameter>(), 8);
        assert_eq!(size_of::<SourceLocation>(), 16);
        assert_eq!(size_of::<ExportTable>(), 80);
        assert_eq!(offset_of!(ExportTable, names), 40);
        assert_eq!(offset_of!(ExportTable, source_locations), 64);
        assert_eq!(size_of::<Library>(), 128);
        assert_eq!(offset_of!(Library, imports), 8);
        assert_eq!(offset_of!(Library, exports), 24);
        assert_eq!(offset_of!(Library, constants), 104);
        assert_eq!(offset_of!(Library, sources), 112);
    }
}
