//! CPU executables for the local devices: the executable library ABI that
//! the IREE 3.13 compiler writes (`executable_library`), reading and
//! checking a library before use (`library_check`), calling its code
//! (`executable_call`, where the `unsafe` calls are), the loaders that turn
//! executable data into code (`executable_loader` and the system-library
//! and embedded-ELF loaders), and the native executable they share.

pub mod embedded_elf_loader;
pub mod executable_call;
pub mod executable_library;
pub mod executable_loader;
pub mod library_check;
pub mod native_executable;
pub mod system_library_loader;

use std::sync::Arc;

pub use executable_loader::{
    ExecutableCode, ExecutableLoader, LoadedImage, LocalMemory, TileWorker,
};
pub use library_check::ImageBounds;
pub use native_executable::NativeExecutable;
pub use system_library_loader::SystemLibraryLoader;

/// The loaders a local device's executable caches use: embedded ELF
/// (what the compiler writes by default) and system libraries.
pub fn default_loaders() -> Vec<Arc<dyn ExecutableLoader>> {
    vec![
        Arc::new(embedded_elf_loader::EmbeddedElfLoader::new(
            embedded_elf_loader::map_embedded_elf,
        )),
        Arc::new(SystemLibraryLoader::new()),
    ]
}
