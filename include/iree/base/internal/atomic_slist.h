// An intrusive singly-linked LIFO list that many threads may push to and pop
// from. Order is only approximately LIFO under contention, which suits free
// lists and unordered work queues.
//
// Elements embed an iree_atomic_slist_entry_t link; the list stores pointers
// to those links. The list storage (iree_atomic_slist_t, see
// iree/abi/threading_types.h) belongs to the caller.

#ifndef IREE_BASE_INTERNAL_ATOMIC_SLIST_H_
#define IREE_BASE_INTERNAL_ATOMIC_SLIST_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/synchronization.h"

#ifdef __cplusplus
extern "C" {
#endif

// The field type users embed in their element structs for the link.
typedef void* iree_atomic_slist_intrusive_ptr_t;

// Declared by the generated header:
//   void iree_atomic_slist_initialize(iree_atomic_slist_t* out_list);
//   void iree_atomic_slist_deinitialize(iree_atomic_slist_t* list);
//   // Puts head..tail (linked by next) in front, keeping their order:
//   //   list C B A + span 1 2 3 -> 1 2 3 C B A
//   void iree_atomic_slist_concat(iree_atomic_slist_t* list,
//                                 iree_atomic_slist_entry_t* head,
//                                 iree_atomic_slist_entry_t* tail);
//   void iree_atomic_slist_push(iree_atomic_slist_t* list,
//                               iree_atomic_slist_entry_t* entry);
//   // As push, for a list no other thread can reach yet.
//   void iree_atomic_slist_push_unsafe(iree_atomic_slist_t* list,
//                                      iree_atomic_slist_entry_t* entry);
//   // The most recently pushed entry, or NULL when empty.
//   iree_atomic_slist_entry_t* iree_atomic_slist_pop(iree_atomic_slist_t* l);
//   // Detaches everything; false if the list was empty. |out_tail| may be
//   // NULL when not needed.
//   bool iree_atomic_slist_flush(iree_atomic_slist_t* list,
//                                iree_atomic_slist_flush_order_t order,
//                                iree_atomic_slist_entry_t** out_head,
//                                iree_atomic_slist_entry_t** out_tail);

// Declares a typed list `name##_slist_t` of `type` elements whose link field
// sits at byte offset |next_offset|, plus static inline wrappers
// name##_slist_{initialize,deinitialize,push,push_unsafe,concat,pop,flush}
// and name##_slist_{get_next,set_next} for walking and building chains.
#define IREE_TYPED_ATOMIC_SLIST_WRAPPER(name, type, next_offset)               \
  static inline iree_atomic_slist_entry_t* name##_slist_entry_from_ptr(        \
      type* element) {                                                         \
    if (!element) return NULL;                                                 \
    return (iree_atomic_slist_entry_t*)((uint8_t*)element + (next_offset));    \
  }                                                                            \
  static inline type* name##_slist_entry_to_ptr(                               \
      iree_atomic_slist_entry_t* link) {                                       \
    if (!link) return NULL;                                                    \
    return (type*)((uint8_t*)link - (next_offset));                            \
  }                                                                            \
  static inline type* name##_slist_get_next(type* element) {                   \
    if (!element) return NULL;                                                 \
    return name##_slist_entry_to_ptr(                                          \
        name##_slist_entry_from_ptr(element)->next);                           \
  }                                                                            \
  static inline void name##_slist_set_next(type* element, type* next) {        \
    name##_slist_entry_from_ptr(element)->next =                               \
        name##_slist_entry_from_ptr(next);                                     \
  }                                                                            \
  typedef struct {                                                             \
    iree_atomic_slist_t impl;                                                  \
  } name##_slist_t;                                                            \
  static inline void name##_slist_initialize(name##_slist_t* out_list) {       \
    iree_atomic_slist_initialize(&out_list->impl);                             \
  }                                                                            \
  static inline void name##_slist_deinitialize(name##_slist_t* list) {         \
    iree_atomic_slist_deinitialize(&list->impl);                               \
  }                                                                            \
  static inline void name##_slist_push(name##_slist_t* list, type* element) {  \
    iree_atomic_slist_push(&list->impl, name##_slist_entry_from_ptr(element)); \
  }                                                                            \
  static inline void name##_slist_push_unsafe(name##_slist_t* list,            \
                                              type* element) {                 \
    iree_atomic_slist_push_unsafe(&list->impl,                                 \
                                  name##_slist_entry_from_ptr(element));       \
  }                                                                            \
  static inline void name##_slist_concat(name##_slist_t* list, type* head,     \
                                         type* tail) {                         \
    iree_atomic_slist_concat(&list->impl, name##_slist_entry_from_ptr(head),   \
                             name##_slist_entry_from_ptr(tail));               \
  }                                                                            \
  static inline type* name##_slist_pop(name##_slist_t* list) {                 \
    return name##_slist_entry_to_ptr(iree_atomic_slist_pop(&list->impl));      \
  }                                                                            \
  static inline bool name##_slist_flush(                                       \
      name##_slist_t* list, iree_atomic_slist_flush_order_t flush_order,       \
      type** out_head, type** out_tail) {                                      \
    iree_atomic_slist_entry_t* first = NULL;                                   \
    iree_atomic_slist_entry_t* last = NULL;                                    \
    if (!iree_atomic_slist_flush(&list->impl, flush_order, &first,             \
                                 out_tail ? &last : NULL)) {                   \
      return false;                                                            \
    }                                                                          \
    *out_head = name##_slist_entry_to_ptr(first);                              \
    if (out_tail) *out_tail = name##_slist_entry_to_ptr(last);                 \
    return true;                                                               \
  }

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_ATOMIC_SLIST_H_
