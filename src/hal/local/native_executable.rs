//! A native CPU executable: a checked library in a loaded image, its
//! environment (executable constants, imports, processor data) and the
//! dispatch of its exports on the calling thread.

use std::ffi::c_void;

use crate::hal::command_buffer::ResolvedRange;
use crate::hal::local::executable_call::{
    host_environment, query_library, run_workgroup_range, run_workgroups, WorkgroupFailure,
};
use crate::hal::local::executable_library::{
    DispatchState, Environment, ImportFn, LOCAL_MEMORY_PAGE_SIZE, MAX_BINDING_COUNT,
};
use crate::hal::local::executable_loader::{ExecutableCode, LoadedImage, TileWorker};
use crate::hal::local::library_check::{
    check_header, check_library, read_header, read_library, CheckedExport, CheckedLibrary,
};
use crate::hal::storage::HostStorage;
use crate::{iree_bail, iree_err, Result};

/// The parts of the environment its pointers point into, boxed so their
/// addresses stay put for as long as the library may read them.
struct EnvironmentStorage {
    environment: Box<Environment>,
    _constants: Box<[u32]>,
    _import_funcs: Box<[Option<ImportFn>]>,
    _import_contexts: Box<[*const c_void]>,
}

/// A loaded, checked native library ready to dispatch.
pub struct NativeExecutable {
    library: CheckedLibrary,
    environment: EnvironmentStorage,
    /// Declared last so the code is unmapped after everything that points
    /// into it is gone.
    _image: Box<dyn std::any::Any + Send + Sync>,
}

// SAFETY: the raw pointers inside are the environment's references to its
// own boxed arrays (never written after creation) and the library's
// read-only tables; dispatches only read them, from any thread.
unsafe impl Send for NativeExecutable {}
// SAFETY: as above: nothing reachable through `&NativeExecutable` is mutated.
unsafe impl Sync for NativeExecutable {}

impl std::fmt::Debug for NativeExecutable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeExecutable")
            .field("name", &self.library.name)
            .field("exports", &self.library.exports.len())
            .finish()
    }
}

/// Imports are resolved against nothing yet (the runtime has no executable
/// plugins): a weak import (`?symbol`) stays NULL, a required one fails.
fn resolve_imports(library: &CheckedLibrary) -> Result<Box<[Option<ImportFn>]>> {
    library
        .imports
        .iter()
        .map(|symbol| match symbol.strip_prefix('?') {
            Some(_) => Ok(None),
            None => Err(iree_err!(
                NotFound,
                "executable library '{}' imports '{symbol}', which no executable plugin provides",
                library.name
            )),
        })
        .collect()
}

impl NativeExecutable {
    /// Queries the image for its library, checks it against `constants`
    /// (the executable constants it must be given) and binds its imports.
    pub fn create(image: LoadedImage, constants: &[u32]) -> Result<NativeExecutable> {
        let constants: Box<[u32]> = constants.into();
        let mut environment = Box::new(host_environment());
        if !constants.is_empty() {
            environment.constants = constants.as_ptr();
        }
        // SAFETY: `image.query` is the library's query function (the
        // LoadedImage contract) and the environment is boxed and kept in the
        // executable for as long as the image lives.
        let result = unsafe { query_library(image.query, &environment) };
        if result.is_null() {
            iree_bail!(
                FailedPrecondition,
                "executable library does not support this runtime's ABI version ({:#010x}); recompile it with a matching IREE compiler",
                crate::hal::local::executable_library::LIBRARY_VERSION
            );
        }
        let bounds = image.bounds.as_ref();
        // SAFETY: `result` came from the query; the header is read (and
        // checked) before the version-6 layout of the rest is assumed.
        let header = unsafe { read_header(result, bounds) }?;
        check_header(&header)?;
        // SAFETY: as above, now that the version is known to be 6.
        let description = unsafe { read_library(result, bounds) }?;
        let library = check_library(description, constants.len())?;
        let import_funcs = resolve_imports(&library)?;
        let import_contexts: Box<[*const c_void]> =
            vec![std::ptr::null(); import_funcs.len()].into();
        if !import_funcs.is_empty() {
            environment.import_funcs = import_funcs.as_ptr();
            environment.import_contexts = import_contexts.as_ptr();
        }
        Ok(NativeExecutable {
            library,
            environment: EnvironmentStorage {
                environment,
                _constants: constants,
                _import_funcs: import_funcs,
                _import_contexts: import_contexts,
            },
            _image: image.keep_alive,
        })
    }

    pub fn library(&self) -> &CheckedLibrary {
        &self.library
    }

    fn export(&self, ordinal: u32) -> Result<&CheckedExport> {
        self.library.exports.get(ordinal as usize).ok_or_else(|| {
            iree_err!(
                OutOfRange,
                "export ordinal {ordinal} is out of range; executable '{}' has {} exports",
                self.library.name,
                self.library.exports.len()
            )
        })
    }
}

/// The host address and length of a resolved binding.
fn binding_span(binding: &ResolvedRange) -> Result<(*mut c_void, usize)> {
    let storage = binding.buffer.storage();
    let start = binding
        .buffer
        .byte_offset()
        .checked_add(binding.offset)
        .and_then(|start| usize::try_from(start).ok());
    let length = usize::try_from(binding.length).ok();
    match (start, length) {
        (Some(start), Some(length))
            if start
                .checked_add(length)
                .is_some_and(|end| end <= storage.len()) =>
        {
            Ok((storage.as_ptr().wrapping_add(start).cast(), length))
        }
        _ => iree_bail!(
            OutOfRange,
            "binding range (offset={}, length={}) lies outside its {}-byte allocation",
            binding.offset,
            binding.length,
            storage.len()
        ),
    }
}

impl ExecutableCode for NativeExecutable {
    fn name(&self) -> &str {
        &self.library.name
    }

    fn export_names(&self) -> Vec<String> {
        self.library
            .exports
            .iter()
            .map(|export| export.name.clone())
            .collect()
    }

    fn dispatch(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
    ) -> Result<()> {
        let prepared = self.prepare(ordinal, workgroup_count, constants, bindings)?;
        // Fresh, zeroed scratch per dispatch; aligned like every buffer.
        let local_memory = HostStorage::allocate(prepared.local_memory_size)?;
        let local_memory_ptr = if prepared.local_memory_size == 0 {
            std::ptr::null_mut()
        } else {
            local_memory.as_ptr().cast()
        };
        let dispatch_state = prepared.state(workgroup_count, constants, 1);
        // SAFETY: `prepared` checked the export, counts and binding spans
        // (the resolved ranges hold the buffers alive), and local memory is
        // `local_memory_size` bytes (at most 65535 pages, so it fits u32).
        let result = unsafe {
            run_workgroups(
                prepared.export.function,
                &self.environment.environment,
                &dispatch_state,
                local_memory_ptr,
                prepared.local_memory_size as u32,
            )
        };
        result.map_err(|failure| self.workgroup_error(ordinal, prepared.export, failure))
    }

    fn supports_tiles(&self) -> bool {
        true
    }

    fn dispatch_tiles(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
        worker: &mut TileWorker<'_>,
    ) -> Result<()> {
        let prepared = self.prepare(ordinal, workgroup_count, constants, bindings)?;
        let local_memory = worker.local_memory.reserve(prepared.local_memory_size)?;
        let dispatch_state =
            prepared.state(workgroup_count, constants, worker.max_concurrency.max(1));
        while let Some(tile) = (worker.next_tile)() {
            // SAFETY: as in `dispatch`; the worker's local memory holds at
            // least `local_memory_size` bytes and only this thread uses it.
            let result = unsafe {
                run_workgroup_range(
                    prepared.export.function,
                    &self.environment.environment,
                    &dispatch_state,
                    tile,
                    worker.processor_id,
                    local_memory,
                    prepared.local_memory_size as u32,
                )
            };
            result.map_err(|failure| self.workgroup_error(ordinal, prepared.export, failure))?;
        }
        Ok(())
    }
}

/// A dispatch checked against its export: binding addresses and lengths
/// (on the stack; at most MAX_BINDING_COUNT, which the library check
/// bounded) and the local memory it needs.
struct PreparedDispatch<'a> {
    export: &'a CheckedExport,
    binding_ptrs: [*mut c_void; MAX_BINDING_COUNT],
    binding_lengths: [usize; MAX_BINDING_COUNT],
    binding_count: u8,
    workgroup_count_z: u16,
    local_memory_size: usize,
}

impl PreparedDispatch<'_> {
    /// The ABI's dispatch state; it points into `self` and `constants`.
    fn state(
        &self,
        workgroup_count: [u32; 3],
        constants: &[u32],
        max_concurrency: u32,
    ) -> DispatchState {
        let attrs = &self.export.attrs;
        DispatchState {
            workgroup_size_x: attrs.workgroup_size_x.max(1),
            workgroup_size_y: attrs.workgroup_size_y.max(1),
            workgroup_size_z: attrs.workgroup_size_z.max(1),
            constant_count: constants.len() as u16,
            workgroup_count_x: workgroup_count[0],
            workgroup_count_y: workgroup_count[1],
            workgroup_count_z: self.workgroup_count_z,
            // The ABI field is a byte; devices bound their thread counts.
            max_concurrency: max_concurrency.min(u32::from(u8::MAX)) as u8,
            binding_count: self.binding_count,
            constants: if constants.is_empty() {
                std::ptr::null()
            } else {
                constants.as_ptr()
            },
            binding_ptrs: self.binding_ptrs.as_ptr(),
            binding_lengths: self.binding_lengths.as_ptr(),
        }
    }
}

impl NativeExecutable {
    fn describe(&self, ordinal: u32, export: &CheckedExport) -> String {
        format!(
            "export '{}' (ordinal {ordinal}) of executable '{}'",
            export.name, self.library.name
        )
    }

    fn workgroup_error(
        &self,
        ordinal: u32,
        export: &CheckedExport,
        WorkgroupFailure { code, workgroup_id }: WorkgroupFailure,
    ) -> crate::Error {
        iree_err!(
            Internal,
            "{} failed with code {code} in workgroup ({}, {}, {})",
            self.describe(ordinal, export),
            workgroup_id[0],
            workgroup_id[1],
            workgroup_id[2]
        )
    }

    /// Checks a dispatch's constants, bindings and counts against export
    /// `ordinal` and resolves the binding addresses.
    fn prepare(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
    ) -> Result<PreparedDispatch<'_>> {
        let export = self.export(ordinal)?;
        let attrs = &export.attrs;
        let describe = || self.describe(ordinal, export);
        if constants.len() != attrs.constant_count as usize {
            iree_bail!(
                InvalidArgument,
                "{} takes {} constants but the dispatch gives {}",
                describe(),
                attrs.constant_count,
                constants.len()
            );
        }
        if bindings.len() != attrs.binding_count as usize {
            iree_bail!(
                InvalidArgument,
                "{} takes {} bindings but the dispatch gives {}",
                describe(),
                attrs.binding_count,
                bindings.len()
            );
        }
        let Ok(workgroup_count_z) = u16::try_from(workgroup_count[2]) else {
            iree_bail!(
                OutOfRange,
                "{}: a workgroup count z of {} exceeds the ABI's 65535",
                describe(),
                workgroup_count[2]
            );
        };
        let mut prepared = PreparedDispatch {
            export,
            binding_ptrs: [std::ptr::null_mut(); MAX_BINDING_COUNT],
            binding_lengths: [0; MAX_BINDING_COUNT],
            binding_count: bindings.len() as u8,
            workgroup_count_z,
            local_memory_size: attrs.local_memory_pages as usize * LOCAL_MEMORY_PAGE_SIZE,
        };
        for (index, binding) in bindings.iter().enumerate() {
            let (ptr, length) = binding_span(binding)
                .map_err(|e| e.annotate(format!("binding {index} of {}", describe())))?;
            prepared.binding_ptrs[index] = ptr;
            prepared.binding_lengths[index] = length;
        }
        Ok(prepared)
    }
}
