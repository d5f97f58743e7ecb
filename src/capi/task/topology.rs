//! `iree/task/topology.h`: caller-owned topologies (a fixed array of worker
//! groups) filled from the core's topology builders.

use std::ffi::c_char;

use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::capi::base::threading::iree_thread_affinity_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::task::types::{
    iree_task_topology_group_t, iree_task_topology_t, IREE_TASK_EXECUTOR_MAX_WORKER_COUNT,
};
use crate::hal::task::topology::{self, Group};
use crate::{iree_bail, Result};

/// The C form of a core group.
pub fn group_to_c(group: &Group) -> iree_task_topology_group_t {
    let mut name = [0 as c_char; 15];
    for (dst, src) in name.iter_mut().zip(group.name.bytes().take(14)) {
        *dst = src as c_char;
    }
    iree_task_topology_group_t {
        group_index: group.index,
        name,
        processor_index: group.processor_index,
        ideal_thread_affinity: iree_thread_affinity_t::default(),
        constructive_sharing_mask: group.constructive_sharing_mask,
    }
}

/// The core form of a C group.
pub fn group_from_c(group: &iree_task_topology_group_t) -> Group {
    let bytes: Vec<u8> = group
        .name
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    Group {
        index: group.group_index,
        name: String::from_utf8_lossy(&bytes).into_owned(),
        processor_index: group.processor_index,
        constructive_sharing_mask: group.constructive_sharing_mask,
    }
}

/// The groups a C topology defines (its count clamped to the capacity).
pub fn groups_from_c(topology: &iree_task_topology_t) -> Vec<Group> {
    let count = topology
        .group_count
        .min(IREE_TASK_EXECUTOR_MAX_WORKER_COUNT);
    topology.groups[..count].iter().map(group_from_c).collect()
}

fn fill(topology: &mut iree_task_topology_t, groups: &[Group]) {
    topology.group_count = 0;
    for group in groups.iter().take(IREE_TASK_EXECUTOR_MAX_WORKER_COUNT) {
        topology.groups[topology.group_count] = group_to_c(group);
        topology.group_count += 1;
    }
}

/// Writes the caller's `*out_group`: index `group_index`, a name derived
/// from it, no processor preference. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_group_initialize(
    group_index: u8,
    out_group: *mut iree_task_topology_group_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one group (API contract).
        let out = unsafe { arg!(out_group).out() }?;
        out.write(group_to_c(&Group::new(group_index)));
        Ok(())
    })
}

/// Empties the caller's `*out_topology`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_initialize(out_topology: *mut iree_task_topology_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one topology (API contract).
        let out = unsafe { arg!(out_topology).out() }?;
        // SAFETY: all-zero bytes are a valid (empty) topology.
        out.write(unsafe { std::mem::zeroed() });
        Ok(())
    })
}

/// Nothing to release: the topology is plain data the caller owns.
#[no_mangle]
pub extern "C" fn iree_task_topology_deinitialize(topology: *mut iree_task_topology_t) {
    ffi_boundary(|| {
        let _ = topology;
        Ok(())
    })
}

/// Reads a topology from text: a worker group count ("4"); the same text
/// iree_task_topology_format writes. The caller's `*out_topology` is
/// replaced on success.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_parse(
    value: iree_string_view_t,
    out_topology: *mut iree_task_topology_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: a view of readable characters (API contract).
        let text = unsafe { value.try_as_bytes() }.unwrap_or_default();
        let text = String::from_utf8_lossy(text);
        let count = parse_group_count(text.trim())?;
        // SAFETY: NULL or caller storage for one topology (API contract).
        let out = unsafe { arg!(out_topology).in_out() }?;
        fill(out, &topology::from_group_count(count));
        Ok(())
    })
}

fn parse_group_count(text: &str) -> Result<usize> {
    match text.parse::<usize>() {
        Ok(count) if count <= IREE_TASK_EXECUTOR_MAX_WORKER_COUNT => Ok(count),
        _ => iree_bail!(
            InvalidArgument,
            "a task topology is written as a group count from 0 to {IREE_TASK_EXECUTOR_MAX_WORKER_COUNT}, got '{text}'"
        ),
    }
}

/// Writes the topology as text iree_task_topology_parse reads (its group
/// count) into the caller's `buffer` of `buffer_capacity` bytes, NUL
/// terminated when it fits. `*out_buffer_length` (optional) receives the
/// length without the terminator. Returns false when it does not fit.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_format(
    topology: *const iree_task_topology_t,
    buffer_capacity: usize,
    buffer: *mut c_char,
    out_buffer_length: *mut usize,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid topology (API contract).
        let topology = unsafe { arg!(topology).value() }?;
        let text = topology.group_count.to_string();
        if !out_buffer_length.is_null() {
            // SAFETY: non-null out-parameter (API contract).
            unsafe { *out_buffer_length = text.len() };
        }
        if buffer.is_null() || buffer_capacity < text.len() + 1 {
            return Ok(false);
        }
        // SAFETY: `buffer` holds `buffer_capacity` bytes (API contract),
        // checked above to fit the text and terminator.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buffer, text.len());
            *buffer.add(text.len()) = 0;
        }
        Ok(true)
    })
}

/// The most groups a topology holds (64).
#[no_mangle]
pub extern "C" fn iree_task_topology_group_capacity(
    topology: *const iree_task_topology_t,
) -> usize {
    ffi_boundary(|| {
        let _ = topology;
        Ok(IREE_TASK_EXECUTOR_MAX_WORKER_COUNT)
    })
}

/// The number of groups in the borrowed topology (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_group_count(
    topology: *const iree_task_topology_t,
) -> usize {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid topology (API contract).
        let topology = unsafe { arg!(topology).value() }?;
        Ok(topology
            .group_count
            .min(IREE_TASK_EXECUTOR_MAX_WORKER_COUNT))
    })
}

/// The group at `group_index`, borrowed from the topology; NULL when out of
/// range.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_get_group(
    topology: *const iree_task_topology_t,
    group_index: usize,
) -> *const iree_task_topology_group_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid topology (API contract).
        let topology = unsafe { arg!(topology).value() }?;
        if group_index
            >= topology
                .group_count
                .min(IREE_TASK_EXECUTOR_MAX_WORKER_COUNT)
        {
            return Ok(std::ptr::null());
        }
        Ok(std::ptr::from_ref(&topology.groups[group_index]))
    })
}

/// Copies `*group` onto the end of the topology; RESOURCE_EXHAUSTED when
/// it already holds 64 groups.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_push_group(
    topology: *mut iree_task_topology_t,
    group: *const iree_task_topology_group_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid topology and group (API contract).
        let topology = unsafe { arg!(topology).in_out() }?;
        // SAFETY: as above.
        let group = *unsafe { arg!(group).value() }?;
        if topology.group_count >= IREE_TASK_EXECUTOR_MAX_WORKER_COUNT {
            iree_bail!(
                ResourceExhausted,
                "task topology is full ({IREE_TASK_EXECUTOR_MAX_WORKER_COUNT} groups)"
            );
        }
        topology.groups[topology.group_count] = group;
        topology.group_count += 1;
        Ok(())
    })
}

/// Replaces the caller's `*out_topology` with `group_count` groups (at most
/// 64) that have no processor preference.
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_initialize_from_group_count(
    group_count: usize,
    out_topology: *mut iree_task_topology_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one topology (API contract).
        let out = unsafe { arg!(out_topology).out() }?;
        // SAFETY: all-zero bytes are a valid (empty) topology.
        let out = out.write(unsafe { std::mem::zeroed() });
        fill(out, &topology::from_group_count(group_count));
        Ok(())
    })
}

/// Replaces the caller's `*out_topology` with one group per physical core,
/// at most `max_core_count` (and 64).
#[no_mangle]
pub unsafe extern "C" fn iree_task_topology_initialize_from_physical_cores(
    max_core_count: usize,
    out_topology: *mut iree_task_topology_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one topology (API contract).
        let out = unsafe { arg!(out_topology).out() }?;
        // SAFETY: all-zero bytes are a valid (empty) topology.
        let out = out.write(unsafe { std::mem::zeroed() });
        fill(out, &topology::from_physical_cores(max_core_count));
        Ok(())
    })
}
