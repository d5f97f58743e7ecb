//! Calling into executable code: the library query, the workgroup loop of a
//! dispatch, the import thunk, and the floating-point state dispatches run
//! under. Every `unsafe` block that runs library code is here.

use std::ffi::{c_int, c_void};

use crate::hal::local::executable_library::{
    DispatchFn, DispatchState, Environment, ImportFn, LibraryHeader, Processor, QueryFn,
    WorkgroupState, LIBRARY_VERSION,
};

/// An environment with no constants or imports and this CPU's feature bits.
pub fn host_environment() -> Environment {
    Environment {
        constants: std::ptr::null(),
        import_thunk: Some(import_thunk),
        import_funcs: std::ptr::null(),
        import_contexts: std::ptr::null(),
        processor: host_processor(),
    }
}

/// This CPU's features in the ABI's processor words (x86-64 word 0; zero
/// elsewhere, which libraries read as "nothing beyond the baseline"). AMX
/// (bits 50-52) is left out: stable Rust cannot detect it.
pub fn host_processor() -> Processor {
    let mut processor = Processor::default();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! bits {
            ($($bit:literal => $name:tt),* $(,)?) => {
                $(if std::arch::is_x86_feature_detected!($name) {
                    processor.data[0] |= 1u64 << $bit;
                })*
            };
        }
        bits!(
            0 => "sse3", 1 => "ssse3", 2 => "sse4.1", 3 => "sse4.2", 4 => "sse4a",
            10 => "avx", 11 => "fma", 14 => "f16c", 15 => "avx2",
            20 => "avx512f", 21 => "avx512cd", 22 => "avx512vl", 23 => "avx512dq",
            24 => "avx512bw", 25 => "avx512ifma", 26 => "avx512vbmi",
            27 => "avx512vpopcntdq", 28 => "avx512vnni", 29 => "avx512vbmi2",
            30 => "avx512bitalg", 31 => "avx512bf16", 32 => "avx512fp16",
        );
    }
    processor
}

/// Every import call a library makes goes through here (the ABI lets a
/// loader intercept them; this one calls straight through). A weak import
/// left unresolved is NULL and answers -1 rather than jumping to address 0.
unsafe extern "C" fn import_thunk(
    function: Option<ImportFn>,
    params: *mut c_void,
    context: *mut c_void,
    reserved: *mut c_void,
) -> c_int {
    match function {
        // SAFETY: the library calls its own resolved import with the
        // arguments that import expects; the runtime only forwards them.
        Some(function) => unsafe { function(params, context, reserved) },
        None => -1,
    }
}

/// Calls a library's query function for version 6.
///
/// # Safety
/// `query` must be a loaded library's `iree_hal_executable_library_query`,
/// and `environment` must outlive every use of the library.
pub unsafe fn query_library(
    query: QueryFn,
    environment: &Environment,
) -> *const *const LibraryHeader {
    let _fpu = DenormalsFlushed::enter();
    // SAFETY: the caller's contract; the query only reads its arguments.
    unsafe { query(LIBRARY_VERSION, environment) }
}

/// Where a dispatch stopped: the workgroup whose call returned non-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkgroupFailure {
    pub code: c_int,
    pub workgroup_id: [u32; 3],
}

/// Runs `function` once per workgroup of `dispatch_state`'s count, x
/// fastest, stopping at the first non-zero return.
///
/// # Safety
/// `function` must be an export of the library `environment` belongs to,
/// and every pointer in `dispatch_state` must be valid for what that export
/// reads and writes (its bindings, constants and lengths); `local_memory`
/// must be writable for `local_memory_size` bytes.
pub unsafe fn run_workgroups(
    function: DispatchFn,
    environment: &Environment,
    dispatch_state: &DispatchState,
    local_memory: *mut c_void,
    local_memory_size: u32,
) -> Result<(), WorkgroupFailure> {
    let _fpu = DenormalsFlushed::enter();
    let mut workgroup = WorkgroupState {
        workgroup_id_x: 0,
        workgroup_id_y: 0,
        workgroup_id_z: 0,
        reserved: 0,
        processor_id: 0,
        local_memory,
        local_memory_size,
    };
    for z in 0..dispatch_state.workgroup_count_z {
        workgroup.workgroup_id_z = z;
        for y in 0..dispatch_state.workgroup_count_y {
            workgroup.workgroup_id_y = y;
            for x in 0..dispatch_state.workgroup_count_x {
                workgroup.workgroup_id_x = x;
                // SAFETY: the caller's contract; the three structs live on
                // this frame for the whole call.
                let code = unsafe { function(environment, dispatch_state, &workgroup) };
                if code != 0 {
                    return Err(WorkgroupFailure {
                        code,
                        workgroup_id: [x, y, u32::from(z)],
                    });
                }
            }
        }
    }
    Ok(())
}

/// Runs `function` for the workgroups of linear indices `range` (x
/// fastest, then y, then z) of `dispatch_state`'s count, as thread
/// `processor_id`, stopping at the first non-zero return. Indices past the
/// count are not run.
///
/// # Safety
/// As for [`run_workgroups`].
pub unsafe fn run_workgroup_range(
    function: DispatchFn,
    environment: &Environment,
    dispatch_state: &DispatchState,
    range: std::ops::Range<u64>,
    processor_id: u32,
    local_memory: *mut c_void,
    local_memory_size: u32,
) -> Result<(), WorkgroupFailure> {
    let count_x = u64::from(dispatch_state.workgroup_count_x);
    let count_y = u64::from(dispatch_state.workgroup_count_y);
    let total = count_x * count_y * u64::from(dispatch_state.workgroup_count_z);
    let end = range.end.min(total);
    if range.start >= end {
        return Ok(());
    }
    let _fpu = DenormalsFlushed::enter();
    // Each id fits u32 (x, y) or u16 (z) because it is below its count.
    let mut x = (range.start % count_x) as u32;
    let mut y = ((range.start / count_x) % count_y) as u32;
    let mut z = (range.start / (count_x * count_y)) as u32;
    let mut workgroup = WorkgroupState {
        workgroup_id_x: x,
        workgroup_id_y: y,
        workgroup_id_z: z as u16,
        reserved: 0,
        processor_id,
        local_memory,
        local_memory_size,
    };
    for _ in range.start..end {
        workgroup.workgroup_id_x = x;
        workgroup.workgroup_id_y = y;
        workgroup.workgroup_id_z = z as u16;
        // SAFETY: the caller's contract; the three structs outlive the call.
        let code = unsafe { function(environment, dispatch_state, &workgroup) };
        if code != 0 {
            return Err(WorkgroupFailure {
                code,
                workgroup_id: [x, y, z],
            });
        }
        x += 1;
        if x == dispatch_state.workgroup_count_x {
            x = 0;
            y += 1;
            if y == dispatch_state.workgroup_count_y {
                y = 0;
                z += 1;
            }
        }
    }
    Ok(())
}

/// Denormals flushed to zero while executable code runs, as IREE's CPU
/// devices do (so results match theirs bit for bit); the caller's state is
/// restored on drop, also when unwinding.
struct DenormalsFlushed {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
}

#[cfg(target_arch = "x86_64")]
impl DenormalsFlushed {
    /// MXCSR flush-to-zero (bit 15) and denormals-are-zero (bit 6).
    const FLUSH_BITS: u32 = 0x8040;

    fn enter() -> DenormalsFlushed {
        let saved = read_mxcsr();
        write_mxcsr(saved | Self::FLUSH_BITS);
        DenormalsFlushed { saved }
    }
}

#[cfg(target_arch = "x86_64")]
impl Drop for DenormalsFlushed {
    fn drop(&mut self) {
        write_mxcsr(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
fn read_mxcsr() -> u32 {
    let mut value: u32 = 0;
    // SAFETY: `stmxcsr` stores the 32-bit control register into `value`.
    unsafe {
        std::arch::asm!(
            "stmxcsr [{}]",
            in(reg) &mut value,
            options(nostack, preserves_flags)
        )
    };
    value
}

#[cfg(target_arch = "x86_64")]
fn write_mxcsr(value: u32) {
    // SAFETY: `ldmxcsr` loads `value`, a state read from the register with
    // only the flush bits changed, so no reserved bit is set.
    unsafe {
        std::arch::asm!(
            "ldmxcsr [{}]",
            in(reg) &value,
            options(nostack, readonly, preserves_flags)
        )
    };
}

#[cfg(not(target_arch = "x86_64"))]
impl DenormalsFlushed {
    // Other architectures keep the caller's state for now.
    fn enter() -> DenormalsFlushed {
        DenormalsFlushed {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn flushing_is_scoped() {
        let before = read_mxcsr();
        {
            let _flushed = DenormalsFlushed::enter();
            assert_eq!(
                read_mxcsr() & DenormalsFlushed::FLUSH_BITS,
                DenormalsFlushed::FLUSH_BITS
            );
        }
        assert_eq!(read_mxcsr(), before);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn processor_words_name_sse3_on_any_x86_64_with_it() {
        let processor = host_processor();
        assert_eq!(
            processor.data[0] & 1 == 1,
            std::arch::is_x86_feature_detected!("sse3")
        );
        assert!(processor.data[1..].iter().all(|&word| word == 0));
    }

    unsafe extern "C" fn count_workgroups(
        _environment: *const Environment,
        dispatch_state: *const DispatchState,
        workgroup_state: *const WorkgroupState,
    ) -> c_int {
        // SAFETY: run_workgroups passes valid states; binding 0 is a u32
        // counter array of 2 words (set up below).
        unsafe {
            let state = &*dispatch_state;
            let workgroup = &*workgroup_state;
            let counters = *state.binding_ptrs as *mut u32;
            *counters += 1;
            *counters.add(1) = workgroup.workgroup_id_x + 10 * workgroup.workgroup_id_y;
            if workgroup.workgroup_id_y == 1 && workgroup.workgroup_id_x == 2 {
                return 7;
            }
        }
        0
    }

    #[test]
    fn workgroups_run_in_order_until_one_fails() {
        let environment = host_environment();
        let mut counters = [0u32; 2];
        let pointers = [counters.as_mut_ptr().cast::<c_void>()];
        let lengths = [8usize];
        let state = DispatchState {
            workgroup_size_x: 1,
            workgroup_size_y: 1,
            workgroup_size_z: 1,
            constant_count: 0,
            workgroup_count_x: 3,
            workgroup_count_y: 2,
            workgroup_count_z: 1,
            max_concurrency: 1,
            binding_count: 1,
            constants: std::ptr::null(),
            binding_ptrs: pointers.as_ptr(),
            binding_lengths: lengths.as_ptr(),
        };
        // SAFETY: `count_workgroups` uses exactly binding 0 (8 bytes).
        let result = unsafe {
            run_workgroups(
                count_workgroups,
                &environment,
                &state,
                std::ptr::null_mut(),
                0,
            )
        };
        assert_eq!(
            result,
            Err(WorkgroupFailure {
                code: 7,
                workgroup_id: [2, 1, 0]
            })
        );
        assert_eq!(counters, [6, 12]);
    }
}
