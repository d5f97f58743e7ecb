// Reference-counted VM objects.
//
// A ref target is any object carrying a 32-bit atomic counter at a fixed
// offset. Types are registered at startup with a descriptor naming the
// counter offset and a destroy callback; registration assigns the type id
// that iree_vm_ref_t values carry.
#ifndef IREE_VM_REF_H_
#define IREE_VM_REF_H_

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Embed as the first member of a C ref target (counter starts at 1).
struct iree_vm_ref_object_t {
  iree_atomic_int32_t counter;
};

typedef void(IREE_API_PTR* iree_vm_ref_destroy_t)(void* ptr);

// Registration record of a ref type. The caller owns it (and the name) for
// the life of the process; registration writes |type|.
struct iree_vm_ref_type_descriptor_t {
  iree_vm_ref_destroy_t destroy;
  uint32_t offsetof_counter : 8;
  iree_vm_ref_type_t type : 24;
  iree_string_view_t type_name;
};

// OK when |ref| has type |type| (a null ref matches only the null type).
static inline iree_status_t iree_vm_ref_check(const iree_vm_ref_t ref,
                                              iree_vm_ref_type_t type) {
  if (IREE_LIKELY(ref.type == type)) return iree_ok_status();
  return iree_make_status(IREE_STATUS_INVALID_ARGUMENT,
                          ref.type == IREE_VM_REF_TYPE_NULL
                              ? "ref is null"
                              : "ref type mismatch");
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#ifdef __cplusplus
namespace iree {
namespace vm {
// Maps a C++ type to its registered descriptor; specialized by
// IREE_VM_DECLARE_TYPE_ADAPTERS.
template <typename T>
struct ref_type_descriptor {
  static const iree_vm_ref_type_descriptor_t* get();
};
}  // namespace vm
}  // namespace iree

#define IREE_VM_DECLARE_CC_TYPE_LOOKUP(name, T)         \
  namespace iree {                                      \
  namespace vm {                                        \
  template <>                                           \
  struct ref_type_descriptor<T> {                       \
    static const iree_vm_ref_type_descriptor_t* get() { \
      return name##_get_descriptor();                   \
    }                                                   \
  };                                                    \
  }                                                     \
  }

#define IREE_VM_REGISTER_CC_TYPE(type, name, descriptor)  \
  descriptor.type_name = iree_make_cstring_view(name);    \
  descriptor.offsetof_counter = type::offsetof_counter(); \
  descriptor.destroy = type::DirectDestroy;               \
  IREE_RETURN_IF_ERROR(iree_vm_ref_register_type(&descriptor));
#else
#define IREE_VM_DECLARE_CC_TYPE_LOOKUP(name, T)
#define IREE_VM_REGISTER_CC_TYPE(type, name, descriptor)
#endif  // __cplusplus

// Declares the helper functions of a ref type named |name| wrapping |T|.
#define IREE_VM_DECLARE_TYPE_ADAPTERS(name, T)                              \
  IREE_API_EXPORT iree_vm_ref_t name##_retain_ref(T* value);                \
  IREE_API_EXPORT iree_vm_ref_t name##_move_ref(T* value);                  \
  IREE_API_EXPORT T* name##_deref(const iree_vm_ref_t ref);                 \
  IREE_API_EXPORT iree_status_t name##_check_deref(const iree_vm_ref_t ref, \
                                                   T** out_ptr);            \
  IREE_API_EXPORT const iree_vm_ref_type_descriptor_t*                      \
      name##_get_descriptor(void);                                          \
  static inline bool name##_isa(const iree_vm_ref_t ref) {                  \
    return name##_get_descriptor()->type == ref.type;                       \
  }                                                                         \
  IREE_API_EXPORT iree_vm_ref_type_t name##_type_id(void);                  \
  IREE_VM_DECLARE_CC_TYPE_LOOKUP(name, T)

// Defines them, given a `static iree_vm_ref_type_descriptor_t
// name##_descriptor` in scope.
#define IREE_VM_DEFINE_TYPE_ADAPTERS(name, T)                               \
  IREE_API_EXPORT iree_vm_ref_t name##_retain_ref(T* value) {               \
    iree_vm_ref_t ref = {0};                                                \
    iree_vm_ref_wrap_retain(value, name##_descriptor.type, &ref);           \
    return ref;                                                             \
  }                                                                         \
  IREE_API_EXPORT iree_vm_ref_t name##_move_ref(T* value) {                 \
    iree_vm_ref_t ref = {0};                                                \
    iree_vm_ref_wrap_assign(value, name##_descriptor.type, &ref);           \
    return ref;                                                             \
  }                                                                         \
  IREE_API_EXPORT T* name##_deref(const iree_vm_ref_t ref) {                \
    if (ref.type != name##_descriptor.type) return NULL;                    \
    return (T*)ref.ptr;                                                     \
  }                                                                         \
  IREE_API_EXPORT iree_status_t name##_check_deref(const iree_vm_ref_t ref, \
                                                   T** out_ptr) {           \
    IREE_RETURN_IF_ERROR(iree_vm_ref_check(ref, name##_descriptor.type));   \
    *out_ptr = (T*)ref.ptr;                                                 \
    return iree_ok_status();                                                \
  }                                                                         \
  IREE_API_EXPORT const iree_vm_ref_type_descriptor_t*                      \
      name##_get_descriptor(void) {                                         \
    return &name##_descriptor;                                              \
  }                                                                         \
  IREE_API_EXPORT iree_vm_ref_type_t name##_type_id(void) {                 \
    return name##_descriptor.type;                                          \
  }

#endif  // IREE_VM_REF_H_
