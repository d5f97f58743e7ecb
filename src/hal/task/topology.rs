//! Worker topologies: how many workers an executor gets and which
//! processor each one prefers.

use std::collections::BTreeSet;

use crate::hal::local_task::options::{available_workers, defaults, MAX_WORKER_COUNT};

/// One worker group (one worker thread) of a topology.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub index: u8,
    /// Up to 14 bytes: the C struct keeps 15 with the terminator.
    pub name: String,
    pub processor_index: u32,
    /// Bit i: shares a cache level with group i.
    pub constructive_sharing_mask: u64,
}

/// The most groups a topology holds.
pub const MAX_GROUP_COUNT: usize = MAX_WORKER_COUNT;

impl Group {
    /// A group with no processor preference, named after its index.
    pub fn new(index: u8) -> Group {
        Group {
            index,
            name: format!("iree-worker-{index:X}"),
            processor_index: 0,
            constructive_sharing_mask: u64::MAX,
        }
    }
}

/// `count` groups (at most [`MAX_GROUP_COUNT`]) without processor
/// preferences: the OS spreads the threads.
pub fn from_group_count(count: usize) -> Vec<Group> {
    (0..count.min(MAX_GROUP_COUNT))
        .map(|i| Group::new(i as u8))
        .collect()
}

/// One group per physical core (SMT siblings share one), at most
/// `max_count`; at least one group whenever `max_count` is not 0.
pub fn from_physical_cores(max_count: usize) -> Vec<Group> {
    let cores = physical_core_processors();
    let limit = max_count.min(MAX_GROUP_COUNT);
    let mut groups: Vec<Group> = cores
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, processor)| Group {
            processor_index: processor,
            ..Group::new(i as u8)
        })
        .collect();
    if groups.is_empty() && limit > 0 {
        groups.push(Group::new(0));
    }
    groups
}

/// The topology executors get from the process-wide task settings
/// (`--task_topology_group_count`, shared with the local-task driver): the
/// given count, or one group per physical core when unset or 0.
pub fn from_defaults() -> Vec<Group> {
    match defaults().worker_count {
        Some(count) if count > 0 => from_group_count(count),
        _ => from_physical_cores(available_workers()),
    }
}

/// The first logical processor of every physical core this machine
/// reports (Linux sysfs); one per available CPU where that is unknown.
fn physical_core_processors() -> Vec<u32> {
    let mut seen = BTreeSet::new();
    let mut firsts = Vec::new();
    for cpu in 0..1024u32 {
        let dir = format!("/sys/devices/system/cpu/cpu{cpu}");
        if !std::path::Path::new(&dir).exists() {
            break;
        }
        let read = |name: &str| std::fs::read_to_string(format!("{dir}/topology/{name}")).ok();
        let (Some(package), Some(core)) = (read("physical_package_id"), read("core_id")) else {
            continue;
        };
        if seen.insert((package.trim().to_owned(), core.trim().to_owned())) {
            firsts.push(cpu);
        }
    }
    if firsts.is_empty() {
        firsts = (0..available_workers() as u32).collect();
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_indices() {
        let groups = from_group_count(4);
        assert_eq!(groups.len(), 4);
        assert!(groups
            .iter()
            .enumerate()
            .all(|(i, g)| g.index as usize == i));
        assert_eq!(from_group_count(1000).len(), MAX_GROUP_COUNT);
        let cores = from_physical_cores(3);
        assert!(!cores.is_empty() && cores.len() <= 3);
        assert!(from_physical_cores(0).is_empty());
        assert!(Group::new(63).name.len() <= 14);
    }
}
