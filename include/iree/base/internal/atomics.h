// Atomic integers and the operations on them, spelled the way the rest of the
// runtime uses them.
//
// The atomic types are plain integers and every operation goes through the
// GCC/Clang `__atomic_*` builtins. That keeps one definition valid in C11 and
// C++17 (no <stdatomic.h> vs <atomic> clash), lets Rust see the same fields as
// `std::sync::atomic::Atomic*` (identical size and alignment), and lets C code
// embed the types in structs it allocates itself. Only touch these fields
// through the macros below: a plain read or write is a data race.

#ifndef IREE_BASE_INTERNAL_ATOMICS_H_
#define IREE_BASE_INTERNAL_ATOMICS_H_

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iree/base/config.h"

#if !defined(__GNUC__) && !defined(__clang__)
#error "iree/base/internal/atomics.h needs the GCC/Clang __atomic builtins"
#endif

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// Cache geometry
//===----------------------------------------------------------------------===//

// Keep objects written by different threads at least this far apart so they
// do not land on one cache line (false sharing).
#define iree_hardware_destructive_interference_size 64

// Objects used together that fit in this span are likely on one cache line.
#define iree_hardware_constructive_interference_size 64

//===----------------------------------------------------------------------===//
// Memory orders
//===----------------------------------------------------------------------===//

// The C11 memory orders, valued as the compiler builtins expect them.
typedef enum iree_memory_order_e {
  iree_memory_order_relaxed = __ATOMIC_RELAXED,
  iree_memory_order_consume = __ATOMIC_CONSUME,
  iree_memory_order_acquire = __ATOMIC_ACQUIRE,
  iree_memory_order_release = __ATOMIC_RELEASE,
  iree_memory_order_acq_rel = __ATOMIC_ACQ_REL,
  iree_memory_order_seq_cst = __ATOMIC_SEQ_CST,
} iree_memory_order_t;

//===----------------------------------------------------------------------===//
// Atomic types
//===----------------------------------------------------------------------===//

// Initial value for an atomic variable (atomics are plain integers here).
#define IREE_ATOMIC_VAR_INIT(value) (value)

typedef int32_t iree_atomic_int32_t;
typedef uint32_t iree_atomic_uint32_t;
typedef int64_t iree_atomic_int64_t;
typedef uint64_t iree_atomic_uint64_t;
typedef intptr_t iree_atomic_intptr_t;
typedef uintptr_t iree_atomic_uintptr_t;

//===----------------------------------------------------------------------===//
// Type-generic operations
//===----------------------------------------------------------------------===//
// The builtins are generic over integer (and pointer) widths, so every typed
// name below maps onto one of these.

#define iree_atomic_load_auto(object, order) \
  __atomic_load_n((object), (int)(order))
#define iree_atomic_store_auto(object, desired, order) \
  __atomic_store_n((object), (desired), (int)(order))
#define iree_atomic_fetch_add_auto(object, operand, order) \
  __atomic_fetch_add((object), (operand), (int)(order))
#define iree_atomic_fetch_sub_auto(object, operand, order) \
  __atomic_fetch_sub((object), (operand), (int)(order))
#define iree_atomic_fetch_and_auto(object, operand, order) \
  __atomic_fetch_and((object), (operand), (int)(order))
#define iree_atomic_fetch_or_auto(object, operand, order) \
  __atomic_fetch_or((object), (operand), (int)(order))
#define iree_atomic_fetch_xor_auto(object, operand, order) \
  __atomic_fetch_xor((object), (operand), (int)(order))
#define iree_atomic_exchange_auto(object, desired, order) \
  __atomic_exchange_n((object), (desired), (int)(order))
// |expected| points at the value the caller believes is stored; on failure it
// receives the value actually found. Returns true when |desired| was stored.
#define iree_atomic_compare_exchange_strong_auto(object, expected, desired, \
                                                 order_succ, order_fail)    \
  __atomic_compare_exchange_n((object), (expected), (desired), false,       \
                              (int)(order_succ), (int)(order_fail))
// As the strong form but may fail spuriously; use inside retry loops.
#define iree_atomic_compare_exchange_weak_auto(object, expected, desired, \
                                               order_succ, order_fail)    \
  __atomic_compare_exchange_n((object), (expected), (desired), true,      \
                              (int)(order_succ), (int)(order_fail))

// A fence ordering surrounding memory accesses of this thread.
#define iree_atomic_thread_fence(order) __atomic_thread_fence((int)(order))

//===----------------------------------------------------------------------===//
// Typed names
//===----------------------------------------------------------------------===//

#define iree_atomic_load_int32 iree_atomic_load_auto
#define iree_atomic_store_int32 iree_atomic_store_auto
#define iree_atomic_fetch_add_int32 iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_int32 iree_atomic_fetch_sub_auto
#define iree_atomic_fetch_and_int32 iree_atomic_fetch_and_auto
#define iree_atomic_fetch_or_int32 iree_atomic_fetch_or_auto
#define iree_atomic_fetch_xor_int32 iree_atomic_fetch_xor_auto
#define iree_atomic_exchange_int32 iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_int32 \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_int32 \
  iree_atomic_compare_exchange_weak_auto

#define iree_atomic_load_uint32 iree_atomic_load_auto
#define iree_atomic_store_uint32 iree_atomic_store_auto
#define iree_atomic_fetch_add_uint32 iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_uint32 iree_atomic_fetch_sub_auto
#define iree_atomic_fetch_and_uint32 iree_atomic_fetch_and_auto
#define iree_atomic_fetch_or_uint32 iree_atomic_fetch_or_auto
#define iree_atomic_fetch_xor_uint32 iree_atomic_fetch_xor_auto
#define iree_atomic_exchange_uint32 iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_uint32 \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_uint32 \
  iree_atomic_compare_exchange_weak_auto

#define iree_atomic_load_int64 iree_atomic_load_auto
#define iree_atomic_store_int64 iree_atomic_store_auto
#define iree_atomic_fetch_add_int64 iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_int64 iree_atomic_fetch_sub_auto
#define iree_atomic_fetch_and_int64 iree_atomic_fetch_and_auto
#define iree_atomic_fetch_or_int64 iree_atomic_fetch_or_auto
#define iree_atomic_fetch_xor_int64 iree_atomic_fetch_xor_auto
#define iree_atomic_exchange_int64 iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_int64 \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_int64 \
  iree_atomic_compare_exchange_weak_auto

#define iree_atomic_load_uint64 iree_atomic_load_auto
#define iree_atomic_store_uint64 iree_atomic_store_auto
#define iree_atomic_fetch_add_uint64 iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_uint64 iree_atomic_fetch_sub_auto
#define iree_atomic_fetch_and_uint64 iree_atomic_fetch_and_auto
#define iree_atomic_fetch_or_uint64 iree_atomic_fetch_or_auto
#define iree_atomic_fetch_xor_uint64 iree_atomic_fetch_xor_auto
#define iree_atomic_exchange_uint64 iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_uint64 \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_uint64 \
  iree_atomic_compare_exchange_weak_auto

#define iree_atomic_load_intptr iree_atomic_load_auto
#define iree_atomic_store_intptr iree_atomic_store_auto
#define iree_atomic_fetch_add_intptr iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_intptr iree_atomic_fetch_sub_auto
#define iree_atomic_exchange_intptr iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_intptr \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_intptr \
  iree_atomic_compare_exchange_weak_auto

#define iree_atomic_load_uintptr iree_atomic_load_auto
#define iree_atomic_store_uintptr iree_atomic_store_auto
#define iree_atomic_fetch_add_uintptr iree_atomic_fetch_add_auto
#define iree_atomic_fetch_sub_uintptr iree_atomic_fetch_sub_auto
#define iree_atomic_exchange_uintptr iree_atomic_exchange_auto
#define iree_atomic_compare_exchange_strong_uintptr \
  iree_atomic_compare_exchange_strong_auto
#define iree_atomic_compare_exchange_weak_uintptr \
  iree_atomic_compare_exchange_weak_auto

//===----------------------------------------------------------------------===//
// Reference counts
//===----------------------------------------------------------------------===//
// Readable names for the usual intrusive reference counting pattern.

typedef iree_atomic_int32_t iree_atomic_ref_count_t;

// Sets a new object's count to one (its creator's reference).
#define iree_atomic_ref_count_init(count_ptr) \
  iree_atomic_store_int32((count_ptr), 1, iree_memory_order_relaxed)

// Adds a reference. Yields no value so the compiler may pick the cheapest
// increment instruction; ordering comes from the decrement side.
#define iree_atomic_ref_count_inc(count_ptr)                                  \
  do {                                                                        \
    (void)iree_atomic_fetch_add_int32((count_ptr), 1,                         \
                                      iree_memory_order_relaxed);             \
  } while (0)

// Drops a reference and yields the count *before* the decrement: 1 means the
// caller dropped the last reference and must destroy the object. Acq/rel so
// every prior use of the object happens before its destruction.
#define iree_atomic_ref_count_dec(count_ptr) \
  iree_atomic_fetch_sub_int32((count_ptr), 1, iree_memory_order_acq_rel)

// Aborts the process unless exactly one reference remains. For objects that
// live on the stack: any other holder would be left with a dangling pointer
// once the frame returns, so continuing is worse than stopping.
#define iree_atomic_ref_count_abort_if_uses(count_ptr)                       \
  if (__builtin_expect(iree_atomic_load_int32((count_ptr),                   \
                                              iree_memory_order_seq_cst) !=  \
                           1,                                                \
                       0)) {                                                 \
    abort();                                                                 \
  }

// Debug check that no references remain.
#define IREE_ASSERT_REF_COUNT_ZERO(count_ptr)                                \
  assert(iree_atomic_load_int32((count_ptr), iree_memory_order_seq_cst) ==   \
             0 &&                                                            \
         "ref counted object still has uses")

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_ATOMICS_H_
