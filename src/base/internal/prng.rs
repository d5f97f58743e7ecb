//! `iree/base/internal/prng.h` for Rust callers: the same tiny, non
//! cryptographic generators the C header provides inline, producing the same
//! sequences for the same seeds.

/// SplitMix64: one word of state, advanced by the golden-ratio increment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoroshiro128 state with the `+` and `**` output functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Xoroshiro128 {
    pub value: [u64; 2],
}

impl Xoroshiro128 {
    /// Expands the seed with SplitMix64; never yields the all-zero state.
    pub fn new(seed: u64) -> Self {
        let mut expander = SplitMix64::new(seed);
        let mut value = [expander.next_u64(), expander.next_u64()];
        if value == [0, 0] {
            value[0] = 1;
        }
        Xoroshiro128 { value }
    }

    fn step(&mut self) {
        let s0 = self.value[0];
        let s1 = self.value[1] ^ s0;
        self.value[0] = s0.rotate_left(24) ^ s1 ^ (s1 << 16);
        self.value[1] = s1.rotate_left(37);
    }

    /// xoroshiro128+ output; the low bits are weak.
    pub fn plus_next_uint60(&mut self) -> u64 {
        let result = self.value[0].wrapping_add(self.value[1]);
        self.step();
        result
    }

    pub fn plus_next_bool(&mut self) -> bool {
        self.plus_next_uint60() >> 63 != 0
    }

    pub fn plus_next_u8(&mut self) -> u8 {
        (self.plus_next_uint60() >> 56) as u8
    }

    pub fn plus_next_u32(&mut self) -> u32 {
        (self.plus_next_uint60() >> 32) as u32
    }

    /// xoroshiro128** output; every bit is usable.
    pub fn starstar_next_u64(&mut self) -> u64 {
        let result = self.value[0].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        self.step();
        result
    }
}

pub const MINILCG_INIT_MUL: u8 = 13;
pub const MINILCG_INIT_ADD: u8 = 47;
pub const MINILCG_NEXT_MUL: u8 = 37;
pub const MINILCG_NEXT_ADD: u8 = 47;

/// Sixteen 8-bit LCG lanes handed out in order, all stepped together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MiniLcg128 {
    pub value: [u8; 16],
    pub remaining: i8,
}

impl MiniLcg128 {
    pub fn new(seed: u64) -> Self {
        let mut lane = ((seed ^ 0x9E37_79B9_7F4A_7C15) & 0xFF) as u8;
        let mut value = [0u8; 16];
        for slot in &mut value {
            *slot = lane;
            lane = lane
                .wrapping_mul(MINILCG_INIT_MUL)
                .wrapping_add(MINILCG_INIT_ADD);
        }
        MiniLcg128 {
            value,
            remaining: 16,
        }
    }

    pub fn next_u8(&mut self) -> u8 {
        self.remaining -= 1;
        if self.remaining < 0 {
            for lane in &mut self.value {
                *lane = lane
                    .wrapping_mul(MINILCG_NEXT_MUL)
                    .wrapping_add(MINILCG_NEXT_ADD);
            }
            self.remaining = 15;
        }
        self.value[(15 - self.remaining) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_known_sequences() {
        let mut s = SplitMix64::new(0);
        assert_eq!(s.next_u64(), 16294208416658607535);
        assert_eq!(s.next_u64(), 7960286522194355700);
        let mut s = SplitMix64::new(u64::MAX);
        assert_eq!(s.next_u64(), 16490336266968443936);
        assert_eq!(s.next_u64(), 16834447057089888969);
    }

    #[test]
    fn xoroshiro128_known_sequences() {
        let mut s = Xoroshiro128::new(0);
        assert_eq!(s.plus_next_uint60(), 5807750865143411619);
        assert!(s.plus_next_bool());
        assert_eq!(s.plus_next_u8(), 218);
        assert_eq!(s.plus_next_u32(), 1647201753);
        assert_eq!(s.starstar_next_u64(), 7260361800523965311);
        let mut s = Xoroshiro128::new(u64::MAX);
        assert_eq!(s.plus_next_uint60(), 14878039250348781289);
        assert!(!s.plus_next_bool());
        assert_eq!(s.plus_next_u8(), 137);
        assert_eq!(s.plus_next_u32(), 2111322015);
        assert_eq!(s.starstar_next_u64(), 138107609852220106);
    }

    #[test]
    fn minilcg128_known_sequences() {
        for (seed, first, after_101) in [(0u64, 21u8, 18u8), (1, 20, 13), (u64::MAX, 234, 59)] {
            let mut s = MiniLcg128::new(seed);
            assert_eq!(s.next_u8(), first);
            for _ in 0..100 {
                s.next_u8();
            }
            assert_eq!(s.next_u8(), after_101);
        }
    }
}
