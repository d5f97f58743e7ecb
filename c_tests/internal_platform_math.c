// Tests of iree/base/internal/math.h and prng.h (header-only helpers).
#include <float.h>
#include <stdio.h>

#include "harness.h"
#include "iree/base/internal/math.h"
#include "iree/base/internal/prng.h"


static void test_rotations(void) {
  CHECK(iree_math_rotl_u64(1ull, 0) == 1ull);
  CHECK(iree_math_rotl_u64(1ull, 1) == 2ull);
  CHECK(iree_math_rotl_u64(1ull, 64) == 1ull);
  CHECK(iree_math_rotl_u64(0x8000000000000000ull, 1) == 1ull);
  CHECK(iree_math_rotr_u64(1ull, 1) == 0x8000000000000000ull);
  CHECK(iree_math_rotr_u64(2ull, 2) == 0x8000000000000000ull);
  CHECK(iree_math_rotr_u64(UINT64_MAX, 17) == UINT64_MAX);
}

static void test_bit_counts(void) {
  CHECK(iree_math_count_leading_zeros_u32(0) == 32);
  CHECK(iree_math_count_leading_zeros_u64(0) == 64);
  CHECK(iree_math_count_trailing_zeros_u32(0) == 32);
  CHECK(iree_math_count_trailing_zeros_u64(0) == 64);
  for (int i = 0; i < 64; ++i) {
    uint64_t bit = 1ull << i;
    CHECK(iree_math_count_leading_zeros_u64(bit) == 63 - i);
    CHECK(iree_math_count_trailing_zeros_u64(bit) == i);
    CHECK(iree_math_count_leading_zeros_u64(bit | (bit - 1)) == 63 - i);
    if (i < 32) {
      CHECK(iree_math_count_leading_zeros_u32((uint32_t)bit) == 31 - i);
      CHECK(iree_math_count_trailing_zeros_u32(~((uint32_t)bit - 1)) == i);
    }
  }
  CHECK(iree_math_count_ones_u32(0) == 0);
  CHECK(iree_math_count_ones_u32(341u) == 5);
  CHECK(iree_math_count_ones_u32(UINT32_MAX) == 32);
  CHECK(iree_math_count_ones_u64(UINT64_MAX - 1) == 63);
  CHECK(iree_math_count_ones_u64((uint64_t)-15) == 61);
}

static void test_rounding(void) {
  CHECK(iree_math_round_up_to_pow2_u32(0) == 0);
  CHECK(iree_math_round_up_to_pow2_u32(1) == 1);
  CHECK(iree_math_round_up_to_pow2_u32(9) == 16);
  CHECK(iree_math_round_up_to_pow2_u32(0x80000000u) == 0x80000000u);
  CHECK(iree_math_round_up_to_pow2_u32(0x80000001u) == 0);
  CHECK(iree_math_round_up_to_pow2_u64(0xFFFFFFFFull) == 0x100000000ull);
  CHECK(iree_math_round_up_to_pow2_u64(UINT64_MAX) == 0);
  CHECK(iree_shr(UINT32_MAX, 32u) == 0);
  CHECK(iree_shr(UINT32_MAX, 31u) == 1);
}

static void test_f16(void) {
  CHECK(iree_math_f32_to_f16(0.25f) == 0x3400);
  CHECK(iree_math_f32_to_f16(-100.375f) == 0xd646);
  CHECK(iree_math_f32_to_f16(FLT_MAX) == 0x7fff);
  CHECK(iree_math_f32_to_f16(-FLT_MIN) == 0x8000);
  CHECK(iree_math_f16_to_f32(0x3c00) == 1.0f);
  CHECK(iree_math_f16_to_f32(0xc000) == -2.0f);
  CHECK(iree_math_f16_to_f32(iree_math_f32_to_f16(65504.f)) == 65504.f);
  CHECK(iree_math_f16_to_f32(iree_math_f32_to_f16(FLT_MIN)) == 0.0f);
}

static void test_prngs(void) {
  iree_prng_splitmix64_state_t sm;
  iree_prng_splitmix64_initialize(1ull, &sm);
  CHECK(iree_prng_splitmix64_next(&sm) == 10451216379200822465ull);
  CHECK(iree_prng_splitmix64_next(&sm) == 13757245211066428519ull);

  iree_prng_xoroshiro128_state_t xo;
  iree_prng_xoroshiro128_initialize(1ull, &xo);
  CHECK(iree_prng_xoroshiro128plus_next_uint60(&xo) == 5761717516557699368ull);
  CHECK(iree_prng_xoroshiro128plus_next_bool(&xo));
  CHECK(iree_prng_xoroshiro128plus_next_uint8(&xo) == 103u);
  CHECK(iree_prng_xoroshiro128plus_next_uint32(&xo) == 2242241045u);
  CHECK(iree_prng_xoroshiro128starstar_next_uint64(&xo) ==
        661144386810419178ull);

  iree_prng_minilcg128_state_t lcg;
  CHECK(_Alignof(iree_prng_minilcg128_state_t) >= 16);
  iree_prng_minilcg128_initialize(UINT64_MAX, &lcg);
  CHECK(iree_prng_minilcg128_next_uint8(&lcg) == 234u);
  for (int i = 0; i < 100; ++i) iree_prng_minilcg128_next_uint8(&lcg);
  CHECK(iree_prng_minilcg128_next_uint8(&lcg) == 59u);
}

int main(void) {
  test_rotations();
  test_bit_counts();
  test_rounding();
  test_f16();
  test_prngs();
  return harness_finish();
}
