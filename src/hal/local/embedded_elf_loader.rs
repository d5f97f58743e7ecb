//! The embedded-ELF loader's place: `embedded-elf-*` executables (what
//! `--iree-hal-local-target-device-backends=llvm-cpu` writes by default)
//! are mapped by the runtime's own ELF loader (`src/hal/elf`, another
//! change), which gives the query function's address and the image range.
//! Everything after that (query, checks, dispatch) is shared with system
//! libraries through [`NativeExecutable`].
//!
//! HOOK (embedded ELF): this loader takes the image-mapping function as a
//! parameter so it builds before `src/hal/elf` exists. Wiring it up is:
//!
//! ```ignore
//! fn map_embedded_elf(bytes: &[u8]) -> Result<LoadedImage> {
//!     let image = crate::hal::elf::ElfImage::load(bytes)?;
//!     let (address, bounds) = (image.query_address(), image.address_range());
//!     // SAFETY: the ELF loader's contract: `address` is the entry of the
//!     // mapped `iree_hal_executable_library_query`, inside `bounds`.
//!     unsafe { LoadedImage::from_query_address(address, Some(ImageBounds(bounds)), Box::new(image)) }
//!         .ok_or_else(|| iree_err!(NotFound, "..."))
//! }
//! ```
//!
//! and adding `EmbeddedElfLoader::new(map_embedded_elf)` to
//! [`crate::hal::local::default_loaders`].

use crate::hal::executable::ExecutableParams;
use crate::hal::local::executable_loader::{ExecutableCode, ExecutableLoader, LoadedImage};
use crate::hal::local::native_executable::NativeExecutable;
use crate::hal::local::system_library_loader::host_arch_name;
use crate::{iree_bail, Result};

/// Maps embedded-ELF bytes (a FatELF container or one ELF) into the process.
pub type MapImageFn = fn(&[u8]) -> Result<LoadedImage>;

/// Loads `embedded-elf-<host arch>` executables through `map_image`.
#[derive(Debug)]
pub struct EmbeddedElfLoader {
    map_image: MapImageFn,
}

impl EmbeddedElfLoader {
    pub fn new(map_image: MapImageFn) -> EmbeddedElfLoader {
        EmbeddedElfLoader { map_image }
    }
}

impl ExecutableLoader for EmbeddedElfLoader {
    fn formats(&self) -> Vec<String> {
        host_arch_name()
            .map(|arch| vec![format!("embedded-elf-{arch}")])
            .unwrap_or_default()
    }

    fn load(&self, params: &ExecutableParams<'_>) -> Result<Box<dyn ExecutableCode>> {
        if !self.can_load(params.executable_format) {
            iree_bail!(
                InvalidArgument,
                "the embedded-ELF loader cannot load '{}' executables",
                params.executable_format
            );
        }
        let image = (self.map_image)(params.executable_data)?;
        Ok(Box::new(NativeExecutable::create(image, params.constants)?))
    }
}
