// Primitive VM values: a type tag and 8 bytes of storage.
#ifndef IREE_VM_VALUE_H_
#define IREE_VM_VALUE_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Largest primitive value, in bytes.
#define IREE_VM_VALUE_STORAGE_SIZE 8

struct iree_vm_value_t {
  iree_vm_value_type_t type;
  union {
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t value_storage[IREE_VM_VALUE_STORAGE_SIZE];
  };
};

static inline iree_vm_value_t iree_vm_value_make_none(void) {
  iree_vm_value_t v;
  v.type = IREE_VM_VALUE_TYPE_NONE;
  v.i64 = 0;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_i8(int8_t x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_I8;
  v.i8 = x;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_i16(int16_t x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_I16;
  v.i16 = x;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_i32(int32_t x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_I32;
  v.i32 = x;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_i64(int64_t x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_I64;
  v.i64 = x;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_f32(float x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_F32;
  v.f32 = x;
  return v;
}
static inline iree_vm_value_t iree_vm_value_make_f64(double x) {
  iree_vm_value_t v = iree_vm_value_make_none();
  v.type = IREE_VM_VALUE_TYPE_F64;
  v.f64 = x;
  return v;
}

// Accessors do not check the tag; callers check |type| first.
static inline int32_t iree_vm_value_get_i32(iree_vm_value_t* value) {
  return value->i32;
}
static inline int64_t iree_vm_value_get_i64(iree_vm_value_t* value) {
  return value->i64;
}
static inline float iree_vm_value_get_f32(iree_vm_value_t* value) {
  return value->f32;
}
static inline double iree_vm_value_get_f64(iree_vm_value_t* value) {
  return value->f64;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_VM_VALUE_H_
