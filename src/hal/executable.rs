//! The seeds' binding model and executables: descriptor set layouts,
//! descriptor sets, executable (pipeline) layouts, executables and the
//! executable cache that prepares them.
//!
//! In the 3.13 model a dispatch carries its constants and bindings directly;
//! these objects exist so that programs written for the seeds' API can
//! describe bindings the old way. Command buffers flatten them into direct
//! dispatch arguments when the dispatch is recorded.

use std::sync::Arc;

use crate::abi::hal_resource::ResourceHeader;
use crate::hal::buffer::{Buffer, DeviceSize};
use crate::hal::local::{ExecutableCode, ExecutableLoader};
use crate::{iree_bail, Result};

/// Most push constants an executable layout may declare (as the seeds' local
/// devices and the 3.13 CPU dispatch ABI allow).
pub const MAX_PUSH_CONSTANTS: usize = 64;
/// Most descriptor sets per executable layout (the seeds' local devices).
pub const MAX_DESCRIPTOR_SETS: usize = 2;
/// Most bindings per descriptor set layout (the seeds' local devices).
pub const MAX_DESCRIPTOR_SET_BINDINGS: usize = 32;

/// `iree_hal_descriptor_type_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorType {
    UniformBuffer = 6,
    StorageBuffer = 7,
    UniformBufferDynamic = 8,
    StorageBufferDynamic = 9,
}

impl DescriptorType {
    pub fn from_raw(value: u32) -> Result<DescriptorType> {
        Ok(match value {
            6 => DescriptorType::UniformBuffer,
            7 => DescriptorType::StorageBuffer,
            8 => DescriptorType::UniformBufferDynamic,
            9 => DescriptorType::StorageBufferDynamic,
            _ => iree_bail!(InvalidArgument, "unknown descriptor type {value}"),
        })
    }

    /// Whether bind-time dynamic offsets apply to this binding.
    pub fn is_dynamic(self) -> bool {
        matches!(
            self,
            DescriptorType::UniformBufferDynamic | DescriptorType::StorageBufferDynamic
        )
    }
}

/// `iree_hal_descriptor_set_layout_usage_type_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorSetLayoutUsage {
    Immutable = 0,
    PushOnly = 1,
}

impl DescriptorSetLayoutUsage {
    pub fn from_raw(value: u32) -> Result<DescriptorSetLayoutUsage> {
        Ok(match value {
            0 => DescriptorSetLayoutUsage::Immutable,
            1 => DescriptorSetLayoutUsage::PushOnly,
            _ => iree_bail!(
                InvalidArgument,
                "unknown descriptor set layout usage type {value}"
            ),
        })
    }
}

/// One binding slot a layout declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DescriptorSetLayoutBinding {
    pub binding: u32,
    pub descriptor_type: DescriptorType,
}

/// `iree_hal_descriptor_set_layout_t`: the binding slots of one set.
#[derive(Debug)]
#[repr(C)]
pub struct DescriptorSetLayout {
    header: ResourceHeader,
    usage: DescriptorSetLayoutUsage,
    bindings: Vec<DescriptorSetLayoutBinding>,
}

crate::hal_resource!(DescriptorSetLayout);

impl DescriptorSetLayout {
    /// A layout of distinct binding ordinals (INVALID_ARGUMENT on a repeat,
    /// OUT_OF_RANGE past [`MAX_DESCRIPTOR_SET_BINDINGS`]).
    pub fn new(
        usage: DescriptorSetLayoutUsage,
        bindings: &[DescriptorSetLayoutBinding],
    ) -> Result<DescriptorSetLayout> {
        if bindings.len() > MAX_DESCRIPTOR_SET_BINDINGS {
            iree_bail!(
                OutOfRange,
                "descriptor set layout has {} bindings; at most {MAX_DESCRIPTOR_SET_BINDINGS} are supported",
                bindings.len()
            );
        }
        for (i, binding) in bindings.iter().enumerate() {
            if bindings[..i].iter().any(|b| b.binding == binding.binding) {
                iree_bail!(
                    InvalidArgument,
                    "descriptor set layout declares binding {} twice",
                    binding.binding
                );
            }
        }
        Ok(DescriptorSetLayout {
            header: ResourceHeader::new::<DescriptorSetLayout>(),
            usage,
            bindings: bindings.to_vec(),
        })
    }

    pub fn usage(&self) -> DescriptorSetLayoutUsage {
        self.usage
    }

    pub fn bindings(&self) -> &[DescriptorSetLayoutBinding] {
        &self.bindings
    }

    /// The declared binding with ordinal `binding`.
    pub fn binding(&self, binding: u32) -> Result<DescriptorSetLayoutBinding> {
        match self.bindings.iter().find(|b| b.binding == binding) {
            Some(found) => Ok(*found),
            None => iree_bail!(
                InvalidArgument,
                "binding {binding} is not declared in the descriptor set layout"
            ),
        }
    }
}

/// One buffer bound to a descriptor set slot (`iree_hal_descriptor_set_binding_t`).
/// The seeds allow a NULL buffer in a set that is never dispatched with.
#[derive(Clone, Debug)]
pub struct DescriptorSetBinding {
    pub binding: u32,
    pub buffer: Option<Arc<Buffer>>,
    pub offset: DeviceSize,
    pub length: DeviceSize,
}

/// `iree_hal_descriptor_set_t`: buffers bound to a layout's slots.
#[derive(Debug)]
#[repr(C)]
pub struct DescriptorSet {
    header: ResourceHeader,
    layout: Arc<DescriptorSetLayout>,
    bindings: Vec<DescriptorSetBinding>,
}

crate::hal_resource!(DescriptorSet);

impl DescriptorSet {
    /// Every binding must name a slot of `layout`, each at most once.
    pub fn new(
        layout: Arc<DescriptorSetLayout>,
        bindings: Vec<DescriptorSetBinding>,
    ) -> Result<DescriptorSet> {
        validate_set_bindings(&layout, &bindings)?;
        Ok(DescriptorSet {
            header: ResourceHeader::new::<DescriptorSet>(),
            layout,
            bindings,
        })
    }

    pub fn layout(&self) -> &Arc<DescriptorSetLayout> {
        &self.layout
    }

    pub fn bindings(&self) -> &[DescriptorSetBinding] {
        &self.bindings
    }
}

/// Checks `bindings` against the slots of `layout` (shared by descriptor
/// sets and command buffers' push_descriptor_set).
pub fn validate_set_bindings(
    layout: &DescriptorSetLayout,
    bindings: &[DescriptorSetBinding],
) -> Result<()> {
    for (i, binding) in bindings.iter().enumerate() {
        layout.binding(binding.binding)?;
        if bindings[..i].iter().any(|b| b.binding == binding.binding) {
            iree_bail!(
                InvalidArgument,
                "binding {} is given twice",
                binding.binding
            );
        }
    }
    Ok(())
}

/// `iree_hal_executable_layout_t`: push constant count and set layouts.
#[derive(Debug)]
#[repr(C)]
pub struct ExecutableLayout {
    header: ResourceHeader,
    push_constants: usize,
    set_layouts: Vec<Arc<DescriptorSetLayout>>,
}

crate::hal_resource!(ExecutableLayout);

impl ExecutableLayout {
    pub fn new(
        push_constants: usize,
        set_layouts: Vec<Arc<DescriptorSetLayout>>,
    ) -> Result<ExecutableLayout> {
        if push_constants > MAX_PUSH_CONSTANTS {
            iree_bail!(
                OutOfRange,
                "executable layout declares {push_constants} push constants; at most {MAX_PUSH_CONSTANTS} are supported"
            );
        }
        if set_layouts.len() > MAX_DESCRIPTOR_SETS {
            iree_bail!(
                OutOfRange,
                "executable layout has {} descriptor sets; at most {MAX_DESCRIPTOR_SETS} are supported",
                set_layouts.len()
            );
        }
        Ok(ExecutableLayout {
            header: ResourceHeader::new::<ExecutableLayout>(),
            push_constants,
            set_layouts,
        })
    }

    pub fn push_constants(&self) -> usize {
        self.push_constants
    }

    pub fn set_layouts(&self) -> &[Arc<DescriptorSetLayout>] {
        &self.set_layouts
    }

    /// The layout of set `set`.
    pub fn set_layout(&self, set: u32) -> Result<&Arc<DescriptorSetLayout>> {
        match self.set_layouts.get(set as usize) {
            Some(layout) => Ok(layout),
            None => iree_bail!(
                OutOfRange,
                "descriptor set {set} is not in the executable layout (it has {})",
                self.set_layouts.len()
            ),
        }
    }
}

/// `iree_hal_executable_t`: loaded code with numbered entry points.
#[derive(Debug)]
#[repr(C)]
pub struct Executable {
    header: ResourceHeader,
    format: String,
    entry_points: Vec<String>,
    /// What dispatches run; `None` for an executable that only names its
    /// entry points (recording tests, devices without loaders).
    code: Option<Box<dyn ExecutableCode>>,
}

crate::hal_resource!(Executable);

impl Executable {
    pub fn new(format: &str, entry_points: Vec<String>) -> Executable {
        Executable {
            header: ResourceHeader::new::<Executable>(),
            format: format.to_owned(),
            entry_points,
            code: None,
        }
    }

    /// An executable running `code`; its entry points are the code's exports.
    pub fn with_code(format: &str, code: Box<dyn ExecutableCode>) -> Executable {
        Executable {
            header: ResourceHeader::new::<Executable>(),
            format: format.to_owned(),
            entry_points: code.export_names(),
            code: Some(code),
        }
    }

    pub fn format(&self) -> &str {
        &self.format
    }

    pub fn entry_point_count(&self) -> usize {
        self.entry_points.len()
    }

    pub fn entry_point_name(&self, ordinal: u32) -> Option<&str> {
        self.entry_points.get(ordinal as usize).map(String::as_str)
    }

    /// The ordinal of the entry point called `name`.
    pub fn lookup_entry_point(&self, name: &str) -> Result<u32> {
        match self.entry_points.iter().position(|entry| entry == name) {
            Some(ordinal) => Ok(ordinal as u32),
            None => iree_bail!(
                NotFound,
                "executable has no entry point named '{name}' ({} entry points)",
                self.entry_points.len()
            ),
        }
    }

    pub fn code(&self) -> Option<&dyn ExecutableCode> {
        self.code.as_deref()
    }
}

/// What `prepare_executable` is given (`iree_hal_executable_params_t`).
#[derive(Debug, Default)]
pub struct ExecutableParams<'a> {
    pub caching_mode: u32,
    pub executable_format: &'a str,
    pub executable_data: &'a [u8],
    pub executable_layouts: Vec<Arc<ExecutableLayout>>,
    pub constants: &'a [u32],
}

/// `iree_hal_executable_cache_t`: prepares executables through the
/// device's loaders (none for a cache made with [`ExecutableCache::new`]).
#[repr(C)]
pub struct ExecutableCache {
    header: ResourceHeader,
    identifier: String,
    loaders: Vec<Arc<dyn ExecutableLoader>>,
}

impl std::fmt::Debug for ExecutableCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecutableCache")
            .field("identifier", &self.identifier)
            .field("formats", &self.formats())
            .finish()
    }
}

crate::hal_resource!(ExecutableCache);

impl ExecutableCache {
    pub fn new(identifier: &str) -> ExecutableCache {
        ExecutableCache::with_loaders(identifier, Vec::new())
    }

    pub fn with_loaders(
        identifier: &str,
        loaders: Vec<Arc<dyn ExecutableLoader>>,
    ) -> ExecutableCache {
        ExecutableCache {
            header: ResourceHeader::new::<ExecutableCache>(),
            identifier: identifier.to_owned(),
            loaders,
        }
    }

    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// Every format some loader of this cache reads.
    pub fn formats(&self) -> Vec<String> {
        self.loaders.iter().flat_map(|l| l.formats()).collect()
    }

    pub fn can_prepare_format(&self, _caching_mode: u32, format: &str) -> bool {
        self.loaders.iter().any(|loader| loader.can_load(format))
    }

    /// Loads the executable with the first loader that reads its format.
    pub fn prepare_executable(&self, params: &ExecutableParams<'_>) -> Result<Arc<Executable>> {
        let format = params.executable_format;
        let Some(loader) = self.loaders.iter().find(|loader| loader.can_load(format)) else {
            let formats = self.formats();
            iree_bail!(
                NotFound,
                "no executable loader is registered for the executable format '{format}' (this cache loads: {})",
                if formats.is_empty() {
                    "nothing".to_owned()
                } else {
                    formats.join(", ")
                }
            );
        };
        if params.executable_data.is_empty() {
            iree_bail!(
                InvalidArgument,
                "no executable data was given for the '{format}' executable"
            );
        }
        let code = loader
            .load(params)
            .map_err(|e| e.annotate(format!("while loading a '{format}' executable")))?;
        Ok(Arc::new(Executable::with_code(format, code)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    fn storage(binding: u32) -> DescriptorSetLayoutBinding {
        DescriptorSetLayoutBinding {
            binding,
            descriptor_type: DescriptorType::StorageBuffer,
        }
    }

    #[test]
    fn layouts_reject_repeats_and_oversized_counts() {
        let layout = DescriptorSetLayout::new(
            DescriptorSetLayoutUsage::Immutable,
            &[storage(0), storage(1)],
        )
        .unwrap();
        assert_eq!(layout.bindings().len(), 2);
        assert_eq!(
            DescriptorSetLayout::new(
                DescriptorSetLayoutUsage::PushOnly,
                &[storage(1), storage(1)]
            )
            .unwrap_err()
            .code(),
            StatusCode::InvalidArgument
        );
        let many: Vec<_> = (0..33).map(storage).collect();
        assert_eq!(
            DescriptorSetLayout::new(DescriptorSetLayoutUsage::Immutable, &many)
                .unwrap_err()
                .code(),
            StatusCode::OutOfRange
        );
        assert_eq!(
            DescriptorType::from_raw(3).unwrap_err().code(),
            StatusCode::InvalidArgument
        );
        assert!(DescriptorType::from_raw(9).unwrap().is_dynamic());
    }

    #[test]
    fn sets_name_declared_slots_once() {
        let layout = Arc::new(
            DescriptorSetLayout::new(
                DescriptorSetLayoutUsage::Immutable,
                &[storage(0), storage(2)],
            )
            .unwrap(),
        );
        let bind = |binding| DescriptorSetBinding {
            binding,
            buffer: None,
            offset: 0,
            length: 0,
        };
        assert!(DescriptorSet::new(layout.clone(), vec![bind(0), bind(2)]).is_ok());
        assert!(DescriptorSet::new(layout.clone(), vec![]).is_ok());
        assert_eq!(
            DescriptorSet::new(layout.clone(), vec![bind(1)])
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        assert_eq!(
            DescriptorSet::new(layout.clone(), vec![bind(0), bind(0)])
                .unwrap_err()
                .code(),
            StatusCode::InvalidArgument
        );
        let exe_layout = ExecutableLayout::new(5, vec![layout.clone(), layout]).unwrap();
        assert_eq!(exe_layout.push_constants(), 5);
        assert!(exe_layout.set_layout(1).is_ok());
        assert_eq!(
            exe_layout.set_layout(2).unwrap_err().code(),
            StatusCode::OutOfRange
        );
        assert!(ExecutableLayout::new(65, vec![]).is_err());
    }

    #[test]
    fn the_cache_prepares_nothing_yet() {
        let cache = ExecutableCache::new("default");
        assert!(!cache.can_prepare_format(0, "embedded-elf-x86_64"));
        let err = cache
            .prepare_executable(&ExecutableParams {
                executable_format: "embedded-elf-x86_64",
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::NotFound);
        assert!(err.message().contains("embedded-elf-x86_64"), "{err}");
    }
}
