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

use crate::hal::command_buffer::ResolvedRange;
use crate::hal::executable::ExecutableParams;
use crate::hal::local::executable_library::QueryFn;
use crate::hal::local::library_check::ImageBounds;
use crate::Result;

/// A loaded executable's code.
pub trait ExecutableCode: Send + Sync + std::fmt::Debug {
    /// The name the executable gives itself (for diagnostics).
    fn name(&self) -> &str;

    /// Export names, by ordinal.
    fn export_names(&self) -> Vec<String>;

    /// Runs every workgroup of export `ordinal`, in order, with the given
    /// constants and bindings. A failing workgroup fails the dispatch with
    /// a status naming the executable and export.
    fn dispatch(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
    ) -> Result<()>;
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
