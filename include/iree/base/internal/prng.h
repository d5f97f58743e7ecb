// Tiny pseudo-random number generators for load balancing, backoff jitter and
// tests. None of them is suitable for anything security related.
//
//  - SplitMix64: one 64-bit word of state; also used to expand a seed into the
//    larger states below (Steele, Lea & Flood, "Fast splittable pseudorandom
//    number generators", OOPSLA 2014).
//  - xoroshiro128 (+ and ** output functions): two 64-bit words of state,
//    period 2^128 - 1 (Blackman & Vigna, https://prng.di.unimi.it/).
//  - MiniLcg128: sixteen independent 8-bit LCG lanes stepped together, which
//    is a single multiply-add on SIMD hardware; very cheap, weak statistics.

#ifndef IREE_BASE_INTERNAL_PRNG_H_
#define IREE_BASE_INTERNAL_PRNG_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iree/base/internal/math.h"

#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#define IREE_PRNG_USE_NEON 1
#endif  // aarch64

#if defined(__cplusplus)
#define IREE_PRNG_ALIGN16 alignas(16)
#else
#define IREE_PRNG_ALIGN16 _Alignas(16)
#endif  // __cplusplus

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// SplitMix64
//===----------------------------------------------------------------------===//

typedef uint64_t iree_prng_splitmix64_state_t;

// Any 64-bit seed is fine, including 0.
static inline void iree_prng_splitmix64_initialize(
    uint64_t seed, iree_prng_splitmix64_state_t* out_state) {
  *out_state = seed;
}

// Advances the state by the golden-ratio increment and returns a mixed copy
// of it (two xor-shift-multiply rounds and a final xor-shift).
static inline uint64_t iree_prng_splitmix64_next(
    iree_prng_splitmix64_state_t* state) {
  *state += 0x9E3779B97F4A7C15ull;
  uint64_t z = *state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

//===----------------------------------------------------------------------===//
// xoroshiro128
//===----------------------------------------------------------------------===//

typedef struct iree_prng_xoroshiro128_state_t {
  uint64_t value[2];
} iree_prng_xoroshiro128_state_t;

// Expands |seed| into the two state words with SplitMix64 (as the algorithm's
// authors advise; seeding a generator from its own output is unsound). The
// all-zero state is a fixed point, so it is nudged away from.
static inline void iree_prng_xoroshiro128_initialize(
    uint64_t seed, iree_prng_xoroshiro128_state_t* out_state) {
  iree_prng_splitmix64_state_t expander;
  iree_prng_splitmix64_initialize(seed, &expander);
  out_state->value[0] = iree_prng_splitmix64_next(&expander);
  out_state->value[1] = iree_prng_splitmix64_next(&expander);
  if (out_state->value[0] == 0 && out_state->value[1] == 0) {
    out_state->value[0] = 1;
  }
}

// The shared state transition (rotation constants a=24, b=16, c=37).
static inline void iree_prng_xoroshiro128_step_(
    iree_prng_xoroshiro128_state_t* state) {
  const uint64_t s0 = state->value[0];
  const uint64_t s1 = state->value[1] ^ s0;
  state->value[0] = iree_math_rotl_u64(s0, 24) ^ s1 ^ (s1 << 16);
  state->value[1] = iree_math_rotl_u64(s1, 37);
}

// xoroshiro128+: returns the sum of the two state words. Fastest output
// function, but its lowest bits are weak, so only the high bits should be
// relied upon (the narrower helpers below take them from the top).
static inline uint64_t iree_prng_xoroshiro128plus_next_uint60(
    iree_prng_xoroshiro128_state_t* state) {
  const uint64_t result = state->value[0] + state->value[1];
  iree_prng_xoroshiro128_step_(state);
  return result;
}

static inline bool iree_prng_xoroshiro128plus_next_bool(
    iree_prng_xoroshiro128_state_t* state) {
  return (iree_prng_xoroshiro128plus_next_uint60(state) >> 63) != 0;
}

static inline uint8_t iree_prng_xoroshiro128plus_next_uint8(
    iree_prng_xoroshiro128_state_t* state) {
  return (uint8_t)(iree_prng_xoroshiro128plus_next_uint60(state) >> 56);
}

static inline uint32_t iree_prng_xoroshiro128plus_next_uint32(
    iree_prng_xoroshiro128_state_t* state) {
  return (uint32_t)(iree_prng_xoroshiro128plus_next_uint60(state) >> 32);
}

// xoroshiro128**: scrambles the first state word with multiply-rotate-
// multiply; all 64 output bits are usable.
static inline uint64_t iree_prng_xoroshiro128starstar_next_uint64(
    iree_prng_xoroshiro128_state_t* state) {
  const uint64_t result = iree_math_rotl_u64(state->value[0] * 5u, 7) * 9u;
  iree_prng_xoroshiro128_step_(state);
  return result;
}

//===----------------------------------------------------------------------===//
// MiniLcg128
//===----------------------------------------------------------------------===//

// Sixteen 8-bit lanes handed out one at a time; when all are used, every lane
// takes one LCG step at once. |remaining| counts the lanes not yet returned.
typedef struct iree_prng_minilcg128_state_t {
  IREE_PRNG_ALIGN16 uint8_t value[16];
  int8_t remaining;
} iree_prng_minilcg128_state_t;

#define IREE_PRNG_MINILCG_INIT_MUL_CONSTANT 13
#define IREE_PRNG_MINILCG_INIT_ADD_CONSTANT 47
#define IREE_PRNG_MINILCG_NEXT_MUL_CONSTANT 37
#define IREE_PRNG_MINILCG_NEXT_ADD_CONSTANT 47

// Only the low 8 bits of (|seed| xor a fixed odd constant) matter; the lanes
// are filled by iterating the init LCG from that byte.
static inline void iree_prng_minilcg128_initialize(
    uint64_t seed, iree_prng_minilcg128_state_t* out_state) {
  uint8_t lane = (uint8_t)((seed ^ 0x9E3779B97F4A7C15ull) & 0xFFu);
  for (int i = 0; i < 16; ++i) {
    out_state->value[i] = lane;
    lane = (uint8_t)(lane * IREE_PRNG_MINILCG_INIT_MUL_CONSTANT +
                     IREE_PRNG_MINILCG_INIT_ADD_CONSTANT);
  }
  out_state->remaining = 16;
}

static inline uint8_t iree_prng_minilcg128_next_uint8(
    iree_prng_minilcg128_state_t* state) {
  if (--state->remaining < 0) {
#if defined(IREE_PRNG_USE_NEON)
    const uint8x16_t mul = vdupq_n_u8(IREE_PRNG_MINILCG_NEXT_MUL_CONSTANT);
    const uint8x16_t add = vdupq_n_u8(IREE_PRNG_MINILCG_NEXT_ADD_CONSTANT);
    vst1q_u8(state->value, vmlaq_u8(add, mul, vld1q_u8(state->value)));
#else
    for (int i = 0; i < 16; ++i) {
      state->value[i] = (uint8_t)(state->value[i] *
                                      IREE_PRNG_MINILCG_NEXT_MUL_CONSTANT +
                                  IREE_PRNG_MINILCG_NEXT_ADD_CONSTANT);
    }
#endif  // IREE_PRNG_USE_NEON
    state->remaining = 15;
  }
  // Lanes are consumed front to back: remaining 15 -> lane 0, 0 -> lane 15.
  return state->value[15 - state->remaining];
}

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_PRNG_H_
