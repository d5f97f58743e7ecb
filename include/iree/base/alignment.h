// Alignment arithmetic and little-endian loads/stores that are safe at any
// address.
#ifndef IREE_BASE_ALIGNMENT_H_
#define IREE_BASE_ALIGNMENT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iree/base/config.h"
#include "iree/base/target_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

// Largest fundamental alignment the platform's allocators guarantee.
#if defined(IREE_PLATFORM_WINDOWS)
#define iree_max_align_t 16
#else
#define iree_max_align_t sizeof(long double)
#endif

#if defined(IREE_COMPILER_MSVC)
#define iree_alignas(x) __declspec(align(x))
#define iree_alignof(x) __alignof(x)
#else
#define iree_alignas(x) __attribute__((__aligned__(x)))
#define iree_alignof(x) __alignof__(x)
#endif

// Rounds |value| up to a multiple of |alignment| (a power of two).
static inline iree_host_size_t iree_host_align(iree_host_size_t value,
                                               iree_host_size_t alignment) {
  const iree_host_size_t mask = alignment - 1;
  return (value + mask) & ~mask;
}

static inline bool iree_host_size_has_alignment(iree_host_size_t value,
                                                iree_host_size_t alignment) {
  return (value & (alignment - 1)) == 0;
}

static inline iree_device_size_t iree_device_align(
    iree_device_size_t value, iree_device_size_t alignment) {
  const iree_device_size_t mask = alignment - 1;
  return (value + mask) & ~mask;
}

static inline bool iree_device_size_has_alignment(
    iree_device_size_t value, iree_device_size_t alignment) {
  return (value & (alignment - 1)) == 0;
}

// sizeof(t) rounded up so that data packed right after a struct of type t
// is maximally aligned (for single-allocation struct + trailing data).
#define iree_sizeof_struct(t) iree_host_align(sizeof(t), iree_max_align_t)

// Byte index of little-endian byte |i| of an N-byte value in host order.
#if defined(IREE_ENDIANNESS_LITTLE)
#define IREE_LE_IDX_1(i) (i)
#define IREE_LE_IDX_2(i) (i)
#define IREE_LE_IDX_4(i) (i)
#define IREE_LE_IDX_8(i) (i)
#else
#define IREE_LE_IDX_1(i) (i)
#define IREE_LE_IDX_2(i) (1 - (i))
#define IREE_LE_IDX_4(i) (3 - (i))
#define IREE_LE_IDX_8(i) (7 - (i))
#endif

#if IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED

// Byte-wise forms for targets that cannot load/store at any address.
static inline uint8_t iree_unaligned_load_le_u8(const uint8_t* ptr) {
  return *ptr;
}
static inline uint16_t iree_unaligned_load_le_u16(const uint16_t* ptr) {
  const uint8_t* b = (const uint8_t*)ptr;
  return (uint16_t)(b[0] | (b[1] << 8));
}
static inline uint32_t iree_unaligned_load_le_u32(const uint32_t* ptr) {
  const uint8_t* b = (const uint8_t*)ptr;
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}
static inline uint64_t iree_unaligned_load_le_u64(const uint64_t* ptr) {
  const uint8_t* b = (const uint8_t*)ptr;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}
static inline float iree_unaligned_load_le_f32(const float* ptr) {
  uint32_t bits = iree_unaligned_load_le_u32((const uint32_t*)ptr);
  float v;
  memcpy(&v, &bits, sizeof(v));
  return v;
}
static inline double iree_unaligned_load_le_f64(const double* ptr) {
  uint64_t bits = iree_unaligned_load_le_u64((const uint64_t*)ptr);
  double v;
  memcpy(&v, &bits, sizeof(v));
  return v;
}
static inline void iree_unaligned_store_le_u8(uint8_t* ptr, uint8_t value) {
  *ptr = value;
}
static inline void iree_unaligned_store_le_u16(uint16_t* ptr, uint16_t value) {
  uint8_t* b = (uint8_t*)ptr;
  b[0] = (uint8_t)value;
  b[1] = (uint8_t)(value >> 8);
}
static inline void iree_unaligned_store_le_u32(uint32_t* ptr, uint32_t value) {
  uint8_t* b = (uint8_t*)ptr;
  for (int i = 0; i < 4; ++i) b[i] = (uint8_t)(value >> (8 * i));
}
static inline void iree_unaligned_store_le_u64(uint64_t* ptr, uint64_t value) {
  uint8_t* b = (uint8_t*)ptr;
  for (int i = 0; i < 8; ++i) b[i] = (uint8_t)(value >> (8 * i));
}
static inline void iree_unaligned_store_le_f32(float* ptr, float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  iree_unaligned_store_le_u32((uint32_t*)ptr, bits);
}
static inline void iree_unaligned_store_le_f64(double* ptr, double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof(bits));
  iree_unaligned_store_le_u64((uint64_t*)ptr, bits);
}

#elif defined(IREE_ENDIANNESS_LITTLE)

// Little-endian targets with free unaligned access: plain dereferences.
#define iree_unaligned_load_le_u8(ptr) *(ptr)
#define iree_unaligned_load_le_u16(ptr) *(ptr)
#define iree_unaligned_load_le_u32(ptr) *(ptr)
#define iree_unaligned_load_le_u64(ptr) *(ptr)
#define iree_unaligned_load_le_f32(ptr) *(ptr)
#define iree_unaligned_load_le_f64(ptr) *(ptr)
#define iree_unaligned_store_le_u8(ptr, value) *(ptr) = (value)
#define iree_unaligned_store_le_u16(ptr, value) *(ptr) = (value)
#define iree_unaligned_store_le_u32(ptr, value) *(ptr) = (value)
#define iree_unaligned_store_le_u64(ptr, value) *(ptr) = (value)
#define iree_unaligned_store_le_f32(ptr, value) *(ptr) = (value)
#define iree_unaligned_store_le_f64(ptr, value) *(ptr) = (value)

#else
#error "iree/base/alignment.h: big-endian targets need byte-wise accessors"
#endif  // IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED

#if !defined(__cplusplus)
// Type-generic forms (C11 only): pick the accessor from the pointer type.
#define iree_unaligned_load_le(ptr)                                \
  _Generic((ptr),                                                  \
      int8_t*: iree_unaligned_load_le_u8((const uint8_t*)(ptr)),   \
      uint8_t*: iree_unaligned_load_le_u8((const uint8_t*)(ptr)),  \
      int16_t*: iree_unaligned_load_le_u16((const uint16_t*)(ptr)), \
      uint16_t*: iree_unaligned_load_le_u16((const uint16_t*)(ptr)), \
      int32_t*: iree_unaligned_load_le_u32((const uint32_t*)(ptr)), \
      uint32_t*: iree_unaligned_load_le_u32((const uint32_t*)(ptr)), \
      int64_t*: iree_unaligned_load_le_u64((const uint64_t*)(ptr)), \
      uint64_t*: iree_unaligned_load_le_u64((const uint64_t*)(ptr)), \
      float*: iree_unaligned_load_le_f32((const float*)(ptr)),     \
      double*: iree_unaligned_load_le_f64((const double*)(ptr)))
#define iree_unaligned_store(ptr, value)                              \
  _Generic((ptr),                                                     \
      int8_t*: iree_unaligned_store_le_u8((uint8_t*)(ptr), value),    \
      uint8_t*: iree_unaligned_store_le_u8((uint8_t*)(ptr), value),   \
      int16_t*: iree_unaligned_store_le_u16((uint16_t*)(ptr), value), \
      uint16_t*: iree_unaligned_store_le_u16((uint16_t*)(ptr), value), \
      int32_t*: iree_unaligned_store_le_u32((uint32_t*)(ptr), value), \
      uint32_t*: iree_unaligned_store_le_u32((uint32_t*)(ptr), value), \
      int64_t*: iree_unaligned_store_le_u64((uint64_t*)(ptr), value), \
      uint64_t*: iree_unaligned_store_le_u64((uint64_t*)(ptr), value), \
      float*: iree_unaligned_store_le_f32((float*)(ptr), value),      \
      double*: iree_unaligned_store_le_f64((double*)(ptr), value))
#endif  // !__cplusplus

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_ALIGNMENT_H_
