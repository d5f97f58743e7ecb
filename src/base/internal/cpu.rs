//! `iree/base/internal/cpu.h` core: which logical processor runs us.

/// Index of the logical processor executing the caller; 0 when unknown.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn processor_id() -> u32 {
    // SAFETY: sched_getcpu takes no arguments and only reads thread state.
    let id = unsafe { libc::sched_getcpu() };
    u32::try_from(id).unwrap_or(0)
}

/// Index of the logical processor executing the caller; 0 when unknown.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn processor_id() -> u32 {
    0
}

/// Refreshes a cached processor id. The tag lets a later version skip the
/// query while the cache is fresh; today every call queries.
pub fn requery_processor_id(_tag: &mut u32, processor_id_out: &mut u32) {
    *processor_id_out = processor_id();
}

#[cfg(test)]
mod tests {
    #[test]
    fn processor_id_is_below_the_cpu_count() {
        let count = std::thread::available_parallelism().map_or(1, |n| n.get());
        // The affinity mask may hide CPUs, so only bound by a generous limit.
        assert!((super::processor_id() as usize) < count.max(4096));
        let (mut tag, mut id) = (0u32, u32::MAX);
        super::requery_processor_id(&mut tag, &mut id);
        assert_ne!(id, u32::MAX);
    }
}
