//! Executable loaders: what an executable cache asks whether a format can be
//! loaded and which turns an executable's data into runnable code.
//!
//! A loader produces [`ExecutableCode`]: the exports of a loaded executable
//! and how to dispatch one. Native CPU libraries (system libraries,
//! embedded ELFs) share one implementation, [`NativeExecutable`], built
//! from a [`LoadedImage`]; other kinds (VMVX bytecode, which runs on the VM
//! and so lives in `modules`) implement the trait themselves.

use std::any::Any;
use std::ffi::c_void;
use std::ops::Range;

use crate::hal::command_buffer::ResolvedRange;
use crate::hal::executable::ExecutableParams;
use crate::hal::local::executable_library::QueryFn;
use crate::hal::local::library_check::ImageBounds;
use crate::hal::storage::HostStorage;
use crate::{iree_bail, Result};

/// A loaded executable's code.
pub trait ExecutableCode: Send + Sync + std::fmt::Debug {
    /// The name the executable gives itself (for diagnostics).
    fn name(&self) -> &str;

    /// Export names, by ordinal.
    fn export_names(&self) -> Vec<String>;

    /// Runs every workgroup of export `ordinal`, in order, with the given
    /// constants and bindings. A failing workgroup fails the dispatch with
    /// a status naming the executable and export. By default, the whole
    /// dispatch as one tile of [`Self::dispatch_tiles`] on this thread.
    fn dispatch(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
    ) -> Result<()> {
        let total = workgroup_count.iter().map(|&c| u64::from(c)).product();
        let mut whole = Some(0..total);
        let mut local_memory = LocalMemory::default();
        let mut worker = TileWorker {
            processor_id: 0,
            max_concurrency: 1,
            local_memory: &mut local_memory,
            next_tile: &mut || whole.take(),
        };
        self.dispatch_tiles(ordinal, workgroup_count, constants, bindings, &mut worker)
    }

    /// Whether [`Self::dispatch_tiles`] is implemented: multi-threaded
    /// devices split a dispatch across threads only when it is; code that
    /// only implements [`Self::dispatch`] runs whole on one thread. Code
    /// must implement at least one of the two.
    fn supports_tiles(&self) -> bool {
        false
    }

    /// Runs the workgroups `worker.next_tile` hands out (linear indices, x
    /// fastest) until it returns `None`, on the calling thread, as thread
    /// `worker.processor_id` of `worker.max_concurrency` running the same
    /// dispatch at once. Checks as [`Self::dispatch`] does; returns after
    /// the first failing workgroup without claiming more.
    fn dispatch_tiles(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
        worker: &mut TileWorker<'_>,
    ) -> Result<()> {
        let _ = (ordinal, workgroup_count, constants, bindings, worker);
        iree_bail!(
            Unimplemented,
            "executable '{}' cannot run a dispatch in tiles (only whole, with dispatch())",
            self.name()
        )
    }
}

/// One thread's part in a tiled dispatch ([`ExecutableCode::dispatch_tiles`]).
pub struct TileWorker<'a> {
    /// This thread's index among the dispatch's threads (the ABI's
    /// `processor_id`), below `max_concurrency`.
    pub processor_id: u32,
    /// How many threads may run workgroups of the dispatch at once.
    pub max_concurrency: u32,
    /// This thread's workgroup local memory, kept across dispatches.
    pub local_memory: &'a mut LocalMemory,
    /// Claims the next run of workgroups; `None` when none is left.
    pub next_tile: &'a mut dyn FnMut() -> Option<Range<u64>>,
}

/// A thread's workgroup local memory: grown when a dispatch needs more and
/// otherwise reused, so a warm thread allocates nothing per dispatch. Its
/// contents are scratch (not cleared between dispatches).
#[derive(Default)]
pub struct LocalMemory {
    storage: Option<HostStorage>,
}

impl LocalMemory {
    /// At least `size` bytes of scratch (NULL for 0), aligned like buffers.
    pub fn reserve(&mut self, size: usize) -> Result<*mut c_void> {
        if size == 0 {
            return Ok(std::ptr::null_mut());
        }
        if self.storage.as_ref().is_none_or(|s| s.len() < size) {
            self.storage = None;
            self.storage = Some(HostStorage::allocate(size)?);
        }
        Ok(self
            .storage
            .as_ref()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr().cast()))
    }
}

impl std::fmt::Debug for LocalMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.storage.as_ref().map_or(0, HostStorage::len);
        f.debug_struct("LocalMemory").field("size", &size).finish()
    }
}

/// Turns executable data of some formats into code.
pub trait ExecutableLoader: Send + Sync {
    /// The executable formats this loader reads, e.g. `system-elf-x86_64`.
    fn formats(&self) -> Vec<String>;

    fn can_load(&self, format: &str) -> bool {
        self.formats().iter().any(|known| known == format)
    }

    /// Loads `params.executable_data` (of a format [`Self::can_load`]
    /// accepts), checks the library and prepares it for dispatch.
    fn load(&self, params: &ExecutableParams<'_>) -> Result<Box<dyn ExecutableCode>>;
}

/// Native code mapped into the process: its query function, the range its
/// tables lie in (when known), and whatever keeps the mapping alive.
pub struct LoadedImage {
    pub(crate) query: QueryFn,
    pub(crate) bounds: Option<ImageBounds>,
    pub(crate) keep_alive: Box<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for LoadedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedImage")
            .field("bounds", &self.bounds)
            .finish_non_exhaustive()
    }
}

impl LoadedImage {
    /// An image whose query function is `query`.
    ///
    /// # Safety
    /// `query` must be the `iree_hal_executable_library_query` of code that
    /// stays mapped as long as `keep_alive` lives, and `bounds`, when given,
    /// must lie inside that mapping.
    pub unsafe fn new(
        query: QueryFn,
        bounds: Option<ImageBounds>,
        keep_alive: Box<dyn Any + Send + Sync>,
    ) -> LoadedImage {
        LoadedImage {
            query,
            bounds,
            keep_alive,
        }
    }

    /// As [`LoadedImage::new`] from the query function's address (what an
    /// ELF loader finds in the symbol table); NULL gives `None`.
    ///
    /// # Safety
    /// As for [`LoadedImage::new`]: `address` is the entry of that function.
    pub unsafe fn from_query_address(
        address: *const c_void,
        bounds: Option<ImageBounds>,
        keep_alive: Box<dyn Any + Send + Sync>,
    ) -> Option<LoadedImage> {
        if address.is_null() {
            return None;
        }
        // SAFETY: the caller promises `address` is the query function's
        // entry; function and data pointers have one size on every target
        // the runtime builds for.
        let query = unsafe { std::mem::transmute::<*const c_void, QueryFn>(address) };
        Some(LoadedImage {
            query,
            bounds,
            keep_alive,
        })
    }
}
