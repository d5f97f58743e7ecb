// Hand-written C types of iree/base that cbindgen cannot express (C enums,
// a field named `self`, fixed-size char arrays) or that must be declared
// before the generated function prototypes. Rust mirrors live in
// src/capi/base/*.rs with `cbindgen:ignore`.
#ifndef IREE_ABI_BASE_TYPES_H_
#define IREE_ABI_BASE_TYPES_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "iree/base/attributes.h"
#include "iree/base/config.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---- iree/base/status.h -------------------------------------------------------

// Canonical error codes. Only the low 5 bits of a status hold a code, so any
// value under IREE_STATUS_CODE_MASK may turn up; treat unknown ones as errors.
typedef enum iree_status_code_e {
  IREE_STATUS_OK = 0,
  IREE_STATUS_CANCELLED = 1,
  IREE_STATUS_UNKNOWN = 2,
  IREE_STATUS_INVALID_ARGUMENT = 3,
  IREE_STATUS_DEADLINE_EXCEEDED = 4,
  IREE_STATUS_NOT_FOUND = 5,
  IREE_STATUS_ALREADY_EXISTS = 6,
  IREE_STATUS_PERMISSION_DENIED = 7,
  IREE_STATUS_RESOURCE_EXHAUSTED = 8,
  IREE_STATUS_FAILED_PRECONDITION = 9,
  IREE_STATUS_ABORTED = 10,
  IREE_STATUS_OUT_OF_RANGE = 11,
  IREE_STATUS_UNIMPLEMENTED = 12,
  IREE_STATUS_INTERNAL = 13,
  IREE_STATUS_UNAVAILABLE = 14,
  IREE_STATUS_DATA_LOSS = 15,
  IREE_STATUS_UNAUTHENTICATED = 16,
  IREE_STATUS_DEFERRED = 17,
  IREE_STATUS_CODE_MASK = 0x1Fu,
} iree_status_code_t;

// A status: NULL means OK; otherwise the low 5 bits hold the code and the
// remaining bits an optional pointer to library-owned details.
typedef struct iree_status_handle_t* iree_status_t;

// ---- iree/base/string_view.h ----------------------------------------------------

// A borrowed, not necessarily NUL-terminated, run of characters.
typedef struct iree_string_view_t {
  const char* data;
  iree_host_size_t size;
} iree_string_view_t;

// A pair of views; each member has two names, as in IREE 3.x.
typedef struct iree_string_pair_t {
  union {
    iree_string_view_t first;
    iree_string_view_t key;
  };
  union {
    iree_string_view_t second;
    iree_string_view_t value;
  };
} iree_string_pair_t;

// ---- iree/base/allocator.h ------------------------------------------------------

typedef struct iree_byte_span_t {
  uint8_t* data;
  iree_host_size_t data_length;
} iree_byte_span_t;

typedef struct iree_const_byte_span_t {
  const uint8_t* data;
  iree_host_size_t data_length;
} iree_const_byte_span_t;

// What an allocator control function is asked to do.
typedef enum iree_allocator_command_e {
  // Allocate params->byte_length bytes (contents undefined) into *inout_ptr.
  IREE_ALLOCATOR_COMMAND_MALLOC = 0,
  // As MALLOC, and the bytes must read as zero.
  IREE_ALLOCATOR_COMMAND_CALLOC,
  // Resize *inout_ptr (NULL: allocate) to params->byte_length bytes; on
  // failure the old block is left alone.
  IREE_ALLOCATOR_COMMAND_REALLOC,
  // Release *inout_ptr; params is unused.
  IREE_ALLOCATOR_COMMAND_FREE,
} iree_allocator_command_t;

typedef struct iree_allocator_alloc_params_t {
  // Requested size in bytes; the allocator may round it up.
  iree_host_size_t byte_length;
} iree_allocator_alloc_params_t;

typedef iree_status_t(IREE_API_PTR* iree_allocator_ctl_fn_t)(
    void* self, iree_allocator_command_t command, const void* params,
    void** inout_ptr);

// An allocator: a control function plus the state it is called with.
typedef struct iree_allocator_t {
  void* self;
  iree_allocator_ctl_fn_t ctl;
} iree_allocator_t;

// ---- iree/base/string_builder.h ---------------------------------------------------

// A growable string. With a NULL allocator and no buffer it only counts the
// characters appended (size queries); with caller storage it fails once full.
typedef struct iree_string_builder_t {
  iree_allocator_t allocator;
  char* buffer;
  iree_host_size_t size;      // characters, not counting the NUL
  iree_host_size_t capacity;  // bytes of |buffer|
} iree_string_builder_t;

// ---- iree/base/bitfield.h -----------------------------------------------------------

typedef struct iree_bitfield_string_mapping_t {
  uint32_t bits;
  iree_string_view_t string;
} iree_bitfield_string_mapping_t;

typedef struct iree_bitfield_string_temp_t {
  char buffer[128];
} iree_bitfield_string_temp_t;

// ---- iree/base/api.h ------------------------------------------------------------------

typedef enum iree_api_version_e {
  IREE_API_VERSION_0 = 0,
  IREE_API_VERSION_LATEST = IREE_API_VERSION_0,
} iree_api_version_t;

// ---- iree/base/internal/flags.h ---------------------------------------------------------

enum iree_flag_dump_mode_bits_t {
  IREE_FLAG_DUMP_MODE_DEFAULT = 0u,
  IREE_FLAG_DUMP_MODE_VERBOSE = 1u << 0,
};
typedef uint32_t iree_flag_dump_mode_t;

// How the parser reads and prints a flag's storage.
typedef enum iree_flag_type_e {
  IREE_FLAG_TYPE_none = 0,
  IREE_FLAG_TYPE_callback = 1,
  IREE_FLAG_TYPE_bool,
  IREE_FLAG_TYPE_int32_t,
  IREE_FLAG_TYPE_int64_t,
  IREE_FLAG_TYPE_float,
  IREE_FLAG_TYPE_double,
  IREE_FLAG_TYPE_string,
} iree_flag_type_t;

typedef iree_status_t(IREE_API_PTR* iree_flag_parse_callback_fn_t)(
    iree_string_view_t flag_name, void* storage, iree_string_view_t value);
typedef void(IREE_API_PTR* iree_flag_print_callback_fn_t)(
    iree_string_view_t flag_name, void* storage, FILE* file);

enum iree_flags_parse_mode_bits_t {
  IREE_FLAGS_PARSE_MODE_DEFAULT = 0,
  IREE_FLAGS_PARSE_MODE_UNDEFINED_OK = 1u << 0,
  IREE_FLAGS_PARSE_MODE_CONTINUE_AFTER_HELP = 1u << 1,
};
typedef uint32_t iree_flags_parse_mode_t;

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_BASE_TYPES_H_
