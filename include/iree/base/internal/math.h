// Small integer and floating-point helpers, all `static inline` so that they
// cost nothing when unused and fold into the caller when used.
//
// This header deliberately depends on the C standard headers only: it is
// pulled in by hot paths (task scheduling, PRNGs) that must not drag in the
// whole API surface.

#ifndef IREE_BASE_INTERNAL_MATH_H_
#define IREE_BASE_INTERNAL_MATH_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#define IREE_MATH_USE_MSVC_INTRINSICS 1
#endif  // _MSC_VER

#ifdef __cplusplus
extern "C" {
#endif

// Logical right shift that yields 0 when the shift amount is as wide as (or
// wider than) the value, instead of the undefined behavior C gives.
#define iree_shr(value, shamt) \
  (((shamt) < sizeof(value) * 8) ? ((value) >> (shamt)) : 0)

//===----------------------------------------------------------------------===//
// Circular shifts
//===----------------------------------------------------------------------===//
// The amount is taken modulo 64; the shapes below are the ones compilers turn
// into a single rotate instruction.

static inline uint64_t iree_math_rotl_u64(const uint64_t n, uint32_t c) {
  c &= 63u;
  return c ? (n << c) | (n >> (64u - c)) : n;
}

static inline uint64_t iree_math_rotr_u64(const uint64_t n, uint32_t c) {
  c &= 63u;
  return c ? (n >> c) | (n << (64u - c)) : n;
}

//===----------------------------------------------------------------------===//
// Leading/trailing zero counts
//===----------------------------------------------------------------------===//
// Zero inputs are defined: clz(0) and ctz(0) return the bit width (the
// compiler builtins leave that case undefined, so it is peeled off first).

static inline int iree_math_count_leading_zeros_u32(const uint32_t n) {
  if (n == 0) return 32;
#if defined(IREE_MATH_USE_MSVC_INTRINSICS)
  unsigned long index = 0;  // NOLINT(runtime/int)
  _BitScanReverse(&index, n);
  return (int)(31 - index);
#else
  return (int)__builtin_clz(n);
#endif
}

static inline int iree_math_count_leading_zeros_u64(uint64_t n) {
  if (n == 0) return 64;
#if defined(IREE_MATH_USE_MSVC_INTRINSICS)
  const uint32_t hi = (uint32_t)(n >> 32);
  return hi ? iree_math_count_leading_zeros_u32(hi)
            : 32 + iree_math_count_leading_zeros_u32((uint32_t)n);
#else
  return (int)__builtin_clzll(n);
#endif
}

static inline int iree_math_count_trailing_zeros_u32(uint32_t n) {
  if (n == 0) return 32;
#if defined(IREE_MATH_USE_MSVC_INTRINSICS)
  unsigned long index = 0;  // NOLINT(runtime/int)
  _BitScanForward(&index, n);
  return (int)index;
#else
  return (int)__builtin_ctz(n);
#endif
}

static inline int iree_math_count_trailing_zeros_u64(uint64_t n) {
  if (n == 0) return 64;
#if defined(IREE_MATH_USE_MSVC_INTRINSICS)
  const uint32_t lo = (uint32_t)n;
  return lo ? iree_math_count_trailing_zeros_u32(lo)
            : 32 + iree_math_count_trailing_zeros_u32((uint32_t)(n >> 32));
#else
  return (int)__builtin_ctzll(n);
#endif
}

//===----------------------------------------------------------------------===//
// Population count
//===----------------------------------------------------------------------===//
// Portable SWAR form: sum bits in pairs, then nibbles, then gather the byte
// sums with a multiply.

static inline int iree_math_count_ones_u32(uint32_t n) {
  uint32_t pairs = n - ((n >> 1) & 0x55555555u);
  uint32_t nibbles = (pairs & 0x33333333u) + ((pairs >> 2) & 0x33333333u);
  uint32_t bytes = (nibbles + (nibbles >> 4)) & 0x0F0F0F0Fu;
  return (int)((bytes * 0x01010101u) >> 24);
}

static inline int iree_math_count_ones_u64(uint64_t n) {
  return iree_math_count_ones_u32((uint32_t)n) +
         iree_math_count_ones_u32((uint32_t)(n >> 32));
}

//===----------------------------------------------------------------------===//
// Power-of-two rounding
//===----------------------------------------------------------------------===//
// Smears the highest set bit of n-1 into every lower position and adds one.
// 0 maps to 0; values past the largest representable power of two wrap to 0.

static inline uint32_t iree_math_round_up_to_pow2_u32(uint32_t n) {
  uint32_t v = n - 1u;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return v + 1u;
}

static inline uint64_t iree_math_round_up_to_pow2_u64(uint64_t n) {
  uint64_t v = n - 1u;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  v |= v >> 32;
  return v + 1u;
}

//===----------------------------------------------------------------------===//
// Half precision (IEEE binary16) conversions
//===----------------------------------------------------------------------===//
// These are simple truncating conversions, not IEEE-exact ones:
//  - f32 -> f16 drops the low 13 mantissa bits, clamps the exponent field to
//    [0, 31] (so large magnitudes saturate to the all-ones exponent and tiny
//    ones lose their exponent) and never rounds.
//  - f16 -> f32 treats a zero exponent as zero (no subnormals) and an
//    all-ones exponent as an ordinary (finite) exponent.
// The pair round-trips every normal f16 value exactly.

static inline float iree_math_f16_to_f32(const uint16_t f16_value) {
  const uint32_t sign = (uint32_t)(f16_value & 0x8000u) << 16;
  const uint32_t exponent = (f16_value >> 10) & 0x1Fu;
  uint32_t bits = sign;
  if (exponent != 0) {
    // Rebias from 15 to 127 and widen the 10-bit mantissa to 23 bits.
    bits |= (exponent + (127u - 15u)) << 23;
    bits |= (uint32_t)(f16_value & 0x03FFu) << 13;
  }
  float result;
  memcpy(&result, &bits, sizeof(result));
  return result;
}

static inline uint16_t iree_math_f32_to_f16(const float f32_value) {
  uint32_t bits;
  memcpy(&bits, &f32_value, sizeof(bits));
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const uint32_t mantissa = (bits >> 13) & 0x03FFu;
  int32_t exponent = (int32_t)((bits >> 23) & 0xFFu) - 127 + 15;
  if (exponent < 0) exponent = 0;
  if (exponent > 31) exponent = 31;
  return (uint16_t)(sign | ((uint32_t)exponent << 10) | mantissa);
}

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_MATH_H_
