// Element/slot types: a primitive value type, a ref type or "any" (variant).
#ifndef IREE_VM_TYPE_DEF_H_
#define IREE_VM_TYPE_DEF_H_

#include <stdint.h>

#include "iree/vm/ref.h"
#include "iree/vm/value.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// value_type != NONE: a primitive; ref_type != NULL: a ref (ANY for any
// ref type); both empty: a variant that may hold either.
struct iree_vm_type_def_t {
  iree_vm_value_type_t value_type : 8;
  iree_vm_ref_type_t ref_type : 24;
};

static inline iree_vm_type_def_t iree_vm_type_def_make_variant_type(void) {
  iree_vm_type_def_t t;
  t.value_type = IREE_VM_VALUE_TYPE_NONE;
  t.ref_type = IREE_VM_REF_TYPE_NULL;
  return t;
}
static inline iree_vm_type_def_t iree_vm_type_def_make_value_type(
    iree_vm_value_type_t value_type) {
  iree_vm_type_def_t t;
  t.value_type = value_type;
  t.ref_type = IREE_VM_REF_TYPE_NULL;
  return t;
}
static inline iree_vm_type_def_t iree_vm_type_def_make_ref_type(
    iree_vm_ref_type_t ref_type) {
  iree_vm_type_def_t t;
  t.value_type = IREE_VM_VALUE_TYPE_NONE;
  t.ref_type = ref_type;
  return t;
}

#define iree_vm_type_def_is_value(v) \
  ((v)->value_type != IREE_VM_VALUE_TYPE_NONE)
#define iree_vm_type_def_is_ref(v) ((v)->ref_type != IREE_VM_REF_TYPE_NULL)
#define iree_vm_type_def_is_variant(v)           \
  ((v)->value_type == IREE_VM_VALUE_TYPE_NONE && \
   (v)->ref_type == IREE_VM_REF_TYPE_NULL)

// A tagged value or ref; check |type| before reading the payload.
struct iree_vm_variant_t {
  iree_vm_type_def_t type;
  union {
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    iree_vm_ref_t ref;
    uint8_t value_storage[IREE_VM_VALUE_STORAGE_SIZE];
  };
};

#define iree_vm_variant_empty() \
  { {IREE_VM_VALUE_TYPE_NONE, IREE_VM_REF_TYPE_NULL}, {0}, }
#define iree_vm_variant_is_value(v) iree_vm_type_def_is_value(&(v).type)
#define iree_vm_variant_is_ref(v) iree_vm_type_def_is_ref(&(v).type)
#define iree_vm_variant_is_empty(v) iree_vm_type_def_is_variant(&(v).type)

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_VM_TYPE_DEF_H_
