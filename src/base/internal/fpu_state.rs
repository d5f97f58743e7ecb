//! `iree/base/internal/fpu_state.h` core: per-thread floating-point control
//! (currently only flush-denormals-to-zero) set for a scope and restored.
//!
//! The control register is MXCSR on x86 and FPCR on AArch64; elsewhere the
//! state is a no-op that reads as 0.

/// Flush denormal inputs and results to zero (the header's flag bit 0).
pub const FLUSH_DENORMALS_TO_ZERO: u32 = 1 << 0;

/// Register value before and after a push; `pop` restores `previous`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FpuState {
    pub previous: u64,
    pub current: u64,
}

/// The register bits that make denormals flush to zero on this target.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
const DENORMAL_BITS: u64 = 0x8040; // MXCSR FTZ (bit 15) | DAZ (bit 6)
#[cfg(target_arch = "aarch64")]
const DENORMAL_BITS: u64 = 0x0108_0000; // FPCR FZ (bit 24) | FZ16 (bit 19)
#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
const DENORMAL_BITS: u64 = 0;

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn load() -> u64 {
    let mut csr: u32 = 0;
    // SAFETY: stmxcsr only stores the 32-bit control word into `csr`.
    unsafe {
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags));
    }
    u64::from(csr)
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn store(value: u64) {
    let csr = value as u32;
    // SAFETY: ldmxcsr reads the control word from `csr`; the values written
    // are ones read from the register with only the FTZ/DAZ bits changed, so
    // no reserved bit is set.
    unsafe {
        std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, preserves_flags, readonly));
    }
}

#[cfg(target_arch = "aarch64")]
fn load() -> u64 {
    let fpcr: u64;
    // SAFETY: reading FPCR has no side effects.
    unsafe {
        std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags));
    }
    fpcr
}

#[cfg(target_arch = "aarch64")]
fn store(value: u64) {
    // SAFETY: writes back a value read from FPCR with only FZ/FZ16 changed.
    unsafe {
        std::arch::asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags));
    }
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
fn load() -> u64 {
    0
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
fn store(_value: u64) {}

/// Applies `flags` to the calling thread's FPU, returning what to restore.
/// Bits other than the known flags are ignored.
pub fn push(flags: u32) -> FpuState {
    let previous = load();
    let current = if flags & FLUSH_DENORMALS_TO_ZERO != 0 {
        previous | DENORMAL_BITS
    } else {
        previous & !DENORMAL_BITS
    };
    if current != previous {
        store(current);
    }
    FpuState { previous, current }
}

/// Restores the register value saved by [`push`] (only if push changed it).
pub fn pop(state: FpuState) {
    if state.current != state.previous {
        store(state.previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flush_denormals_scope() {
        let state = push(FLUSH_DENORMALS_TO_ZERO);
        let tiny = std::hint::black_box(1.0f32) * std::hint::black_box(1e-39f32);
        if DENORMAL_BITS != 0 {
            assert_eq!(tiny, 0.0);
        }
        pop(state);
        let tiny = std::hint::black_box(1.0f32) * std::hint::black_box(1e-39f32);
        assert!(tiny > 0.0, "denormals must be back after pop");
    }
}
