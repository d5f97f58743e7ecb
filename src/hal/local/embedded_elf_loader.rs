//! The embedded-ELF loader's place: `embedded-elf-*` executables (what
//! `--iree-hal-local-target-device-backends=llvm-cpu` writes by default)
//! are mapped by the runtime's own ELF loader (`src/hal/elf`, another
//! change), which gives the query function's address and the image range.
//! Everything after that (query, checks, dispatch) is shared with system
//! libraries through [`NativeExecutable`].
//!
//! The mapping function is a parameter so tests can stand in another
//! mapper; [`map_embedded_elf`] is the real one.

use crate::hal::executable::ExecutableParams;
use crate::hal::local::executable_loader::{ExecutableCode, ExecutableLoader, LoadedImage};
use crate::hal::local::native_executable::NativeExecutable;
use crate::hal::local::system_library_loader::host_arch_name;
use crate::hal::local::ImageBounds;
use crate::{iree_bail, iree_err, Result};

/// Maps embedded-ELF bytes with the runtime's own ELF loader
/// (`crate::hal::elf`); the image stays mapped while the returned value
/// (and so the executable made from it) lives.
pub fn map_embedded_elf(bytes: &[u8]) -> Result<LoadedImage> {
    let image = crate::hal::elf::ElfImage::load(bytes)?;
    let address = image.query_function();
    let bounds = ImageBounds(image.address_range());
    // SAFETY: the ELF loader found `address` as the symbol
    // `iree_hal_executable_library_query` inside the sealed image, which
    // `image` (kept alive by the LoadedImage) keeps mapped.
    unsafe { LoadedImage::from_query_address(address, Some(bounds), Box::new(image)) }
        .ok_or_else(|| iree_err!(NotFound, "the embedded ELF has no query function"))
}

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

#[cfg(all(test, target_os = "linux", target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::StatusCode;

    /// Stands in for the ELF loader: the dynamic linker maps the image.
    fn map_with_the_dynamic_linker(bytes: &[u8]) -> Result<LoadedImage> {
        crate::hal::local::system_library_loader::open_library(bytes)
    }

    fn refuse(_: &[u8]) -> Result<LoadedImage> {
        iree_bail!(InvalidArgument, "ELF header is truncated")
    }

    #[test]
    fn the_hook_runs_whatever_maps_the_image() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/hal/executables/kernels.system_elf_x86_64.so"
        ))
        .unwrap();
        let loader = EmbeddedElfLoader::new(map_with_the_dynamic_linker);
        assert!(loader.can_load("embedded-elf-x86_64"));
        assert!(!loader.can_load("system-elf-x86_64"));
        let params = ExecutableParams {
            executable_format: "embedded-elf-x86_64",
            executable_data: &data,
            ..Default::default()
        };
        let code = loader.load(&params).unwrap();
        assert_eq!(code.export_names().len(), 3);
        let err = EmbeddedElfLoader::new(refuse).load(&params).unwrap_err();
        assert_eq!(err.code(), StatusCode::InvalidArgument);
        assert!(err.message().contains("truncated"), "{err}");
    }
}
