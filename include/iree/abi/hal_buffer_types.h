// Hand-written C types of the HAL buffer API (buffers, allocators, buffer
// views and their text forms) for the generated API header; the public
// headers are iree/hal/{buffer,allocator,buffer_view,...}.h. Bit sets are
// plain integer typedefs with their bits in enums, as the seeds have them.
#ifndef IREE_ABI_HAL_BUFFER_TYPES_H_
#define IREE_ABI_HAL_BUFFER_TYPES_H_

#include <stddef.h>
#include <stdint.h>

#include "iree/abi/base_types.h"
#include "iree/base/config.h"

#ifdef __cplusplus
extern "C" {
#endif

struct iree_hal_buffer_t;
struct iree_hal_buffer_view_t;

// "From the offset to the end of the buffer" as a length.
#define IREE_WHOLE_BUFFER ((iree_device_size_t)(-1))

// Where memory lives and who can see it.
typedef uint32_t iree_hal_memory_type_t;
enum iree_hal_memory_type_bits_t {
  IREE_HAL_MEMORY_TYPE_NONE = 0u,
  IREE_HAL_MEMORY_TYPE_TRANSIENT = 1u << 0,
  IREE_HAL_MEMORY_TYPE_HOST_VISIBLE = 1u << 1,
  IREE_HAL_MEMORY_TYPE_HOST_COHERENT = 1u << 2,
  IREE_HAL_MEMORY_TYPE_HOST_CACHED = 1u << 3,
  IREE_HAL_MEMORY_TYPE_HOST_LOCAL = (1u << 1) | (1u << 2),
  IREE_HAL_MEMORY_TYPE_DEVICE_VISIBLE = 1u << 4,
  IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL = (1u << 4) | (1u << 5),
};

// What a caller may do with mapped memory.
typedef uint16_t iree_hal_memory_access_t;
enum iree_hal_memory_access_bits_t {
  IREE_HAL_MEMORY_ACCESS_NONE = 0u,
  IREE_HAL_MEMORY_ACCESS_READ = 1u << 0,
  IREE_HAL_MEMORY_ACCESS_WRITE = 1u << 1,
  IREE_HAL_MEMORY_ACCESS_DISCARD = 1u << 2,
  IREE_HAL_MEMORY_ACCESS_DISCARD_WRITE = (1u << 1) | (1u << 2),
  IREE_HAL_MEMORY_ACCESS_MAY_ALIAS = 1u << 3,
  IREE_HAL_MEMORY_ACCESS_ANY = 1u << 4,
  IREE_HAL_MEMORY_ACCESS_ALL = (1u << 0) | (1u << 1) | (1u << 2),
};

// What a buffer may be used for.
typedef uint32_t iree_hal_buffer_usage_t;
enum iree_hal_buffer_usage_bits_t {
  IREE_HAL_BUFFER_USAGE_NONE = 0u,
  IREE_HAL_BUFFER_USAGE_CONSTANT = 1u << 0,
  IREE_HAL_BUFFER_USAGE_TRANSFER = 1u << 1,
  IREE_HAL_BUFFER_USAGE_MAPPING = 1u << 2,
  IREE_HAL_BUFFER_USAGE_DISPATCH = 1u << 3,
};

// How two buffer ranges relate.
typedef enum iree_hal_buffer_overlap_e {
  IREE_HAL_BUFFER_OVERLAP_DISJOINT = 0,
  IREE_HAL_BUFFER_OVERLAP_PARTIAL = 1,
  IREE_HAL_BUFFER_OVERLAP_COMPLETE = 2,
} iree_hal_buffer_overlap_t;

typedef uint32_t iree_hal_transfer_buffer_flags_t;
enum iree_hal_transfer_buffer_flag_bits_t {
  IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT = 0,
};

// Scoped mappings last one map/unmap pair; persistent ones as long as the
// caller keeps the buffer (host-visible, MAPPING-usage buffers only).
typedef uint32_t iree_hal_mapping_mode_t;
enum iree_hal_mapping_mode_bits_t {
  IREE_HAL_MAPPING_MODE_SCOPED = 1u << 0,
  IREE_HAL_MAPPING_MODE_PERSISTENT = 1u << 1,
};

// Bookkeeping of a mapping; read it only through the API.
typedef struct iree_hal_buffer_mapping_impl_t {
  // Offset of the mapped range within the allocated buffer.
  iree_device_size_t byte_offset;
  iree_hal_memory_access_t allowed_access;
  uint32_t is_persistent : 1;
  uint32_t reserved_flags : 31;
  uint64_t reserved[1];
} iree_hal_buffer_mapping_impl_t;

// A mapped range: |contents| is valid until iree_hal_buffer_unmap_range
// (scoped) or while the caller holds |buffer| (persistent). The mapping
// does not hold a reference on |buffer|.
typedef struct iree_hal_buffer_mapping_t {
  iree_byte_span_t contents;
  struct iree_hal_buffer_t* buffer;
  iree_hal_buffer_mapping_impl_t impl;
} iree_hal_buffer_mapping_t;

typedef uint64_t iree_hal_queue_affinity_t;
#define IREE_HAL_QUEUE_AFFINITY_ANY ((iree_hal_queue_affinity_t)(-1))

// What an allocation asks for; zero fields take defaults
// (iree_hal_buffer_params_canonicalize).
typedef struct iree_hal_buffer_params_t {
  iree_hal_buffer_usage_t usage;
  iree_hal_memory_access_t access;
  iree_hal_memory_type_t type;
  iree_hal_queue_affinity_t queue_affinity;
  iree_device_size_t min_alignment;
} iree_hal_buffer_params_t;

typedef uint32_t iree_hal_buffer_compatibility_t;
enum iree_hal_buffer_compatibility_bits_t {
  IREE_HAL_BUFFER_COMPATIBILITY_NONE = 0u,
  IREE_HAL_BUFFER_COMPATIBILITY_ALLOCATABLE = 1u << 0,
  IREE_HAL_BUFFER_COMPATIBILITY_IMPORTABLE = 1u << 1,
  IREE_HAL_BUFFER_COMPATIBILITY_EXPORTABLE = 1u << 2,
  IREE_HAL_BUFFER_COMPATIBILITY_QUEUE_TRANSFER = 1u << 10,
  IREE_HAL_BUFFER_COMPATIBILITY_QUEUE_DISPATCH = 1u << 11,
};

typedef enum iree_hal_external_buffer_type_e {
  IREE_HAL_EXTERNAL_BUFFER_TYPE_NONE = 0,
  IREE_HAL_EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION = 1,
  IREE_HAL_EXTERNAL_BUFFER_TYPE_OPAQUE_FD = 2,
  IREE_HAL_EXTERNAL_BUFFER_TYPE_OPAQUE_WIN32 = 3,
} iree_hal_external_buffer_type_t;

typedef uint32_t iree_hal_external_buffer_flags_t;
enum iree_hal_external_buffer_flag_bits_t {
  IREE_HAL_EXTERNAL_BUFFER_FLAG_NONE = 0u,
};

// Memory owned outside the HAL; only host allocations are supported here.
typedef struct iree_hal_external_buffer_t {
  iree_hal_external_buffer_type_t type;
  iree_hal_external_buffer_flags_t flags;
  iree_device_size_t size;
  union {
    struct {
      void* ptr;
    } host_allocation;
    struct {
      int fd;
    } opaque_fd;
    struct {
      void* handle;
    } opaque_win32;
  } handle;
} iree_hal_external_buffer_t;

// Called exactly once when an imported buffer is destroyed.
typedef void(IREE_API_PTR* iree_hal_buffer_release_fn_t)(
    void* user_data, struct iree_hal_buffer_t* buffer);
typedef struct iree_hal_buffer_release_callback_t {
  iree_hal_buffer_release_fn_t fn;
  void* user_data;
} iree_hal_buffer_release_callback_t;

// Bytes allocated and freed by an allocator, split by memory kind. The
// fields are always present in this runtime.
typedef struct iree_hal_allocator_statistics_t {
  iree_device_size_t host_bytes_peak;
  iree_device_size_t host_bytes_allocated;
  iree_device_size_t host_bytes_freed;
  iree_device_size_t device_bytes_peak;
  iree_device_size_t device_bytes_allocated;
  iree_device_size_t device_bytes_freed;
} iree_hal_allocator_statistics_t;

// Element types: numerical type in the top byte, bit count in the lowest.
typedef uint8_t iree_hal_numerical_type_t;
enum iree_hal_numerical_type_bits_t {
  IREE_HAL_NUMERICAL_TYPE_UNKNOWN = 0x00u,
  IREE_HAL_NUMERICAL_TYPE_INTEGER = 0x10u,
  IREE_HAL_NUMERICAL_TYPE_INTEGER_SIGNED = 0x11u,
  IREE_HAL_NUMERICAL_TYPE_INTEGER_UNSIGNED = 0x12u,
  IREE_HAL_NUMERICAL_TYPE_BOOLEAN = 0x13u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT = 0x20u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_IEEE = 0x21u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_BRAIN = 0x22u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_COMPLEX = 0x23u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_8_E5M2 = 0x24u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_8_E4M3_FN = 0x25u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_8_E5M2_FNUZ = 0x26u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_8_E4M3_FNUZ = 0x27u,
  IREE_HAL_NUMERICAL_TYPE_FLOAT_8_E8M0_FNU = 0x28u,
};

#define IREE_HAL_ELEMENT_TYPE_VALUE(numerical_type, bit_count) \
  (((uint32_t)(numerical_type) << 24) | (uint32_t)(bit_count))

typedef uint32_t iree_hal_element_type_t;
enum iree_hal_element_types_t {
  IREE_HAL_ELEMENT_TYPE_NONE = IREE_HAL_ELEMENT_TYPE_VALUE(0x00u, 0),
  IREE_HAL_ELEMENT_TYPE_OPAQUE_8 = IREE_HAL_ELEMENT_TYPE_VALUE(0x00u, 8),
  IREE_HAL_ELEMENT_TYPE_OPAQUE_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x00u, 16),
  IREE_HAL_ELEMENT_TYPE_OPAQUE_32 = IREE_HAL_ELEMENT_TYPE_VALUE(0x00u, 32),
  IREE_HAL_ELEMENT_TYPE_OPAQUE_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x00u, 64),
  IREE_HAL_ELEMENT_TYPE_BOOL_8 = IREE_HAL_ELEMENT_TYPE_VALUE(0x13u, 8),
  IREE_HAL_ELEMENT_TYPE_INT_4 = IREE_HAL_ELEMENT_TYPE_VALUE(0x10u, 4),
  IREE_HAL_ELEMENT_TYPE_SINT_4 = IREE_HAL_ELEMENT_TYPE_VALUE(0x11u, 4),
  IREE_HAL_ELEMENT_TYPE_UINT_4 = IREE_HAL_ELEMENT_TYPE_VALUE(0x12u, 4),
  IREE_HAL_ELEMENT_TYPE_INT_8 = IREE_HAL_ELEMENT_TYPE_VALUE(0x10u, 8),
  IREE_HAL_ELEMENT_TYPE_SINT_8 = IREE_HAL_ELEMENT_TYPE_VALUE(0x11u, 8),
  IREE_HAL_ELEMENT_TYPE_UINT_8 = IREE_HAL_ELEMENT_TYPE_VALUE(0x12u, 8),
  IREE_HAL_ELEMENT_TYPE_INT_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x10u, 16),
  IREE_HAL_ELEMENT_TYPE_SINT_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x11u, 16),
  IREE_HAL_ELEMENT_TYPE_UINT_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x12u, 16),
  IREE_HAL_ELEMENT_TYPE_INT_32 = IREE_HAL_ELEMENT_TYPE_VALUE(0x10u, 32),
  IREE_HAL_ELEMENT_TYPE_SINT_32 = IREE_HAL_ELEMENT_TYPE_VALUE(0x11u, 32),
  IREE_HAL_ELEMENT_TYPE_UINT_32 = IREE_HAL_ELEMENT_TYPE_VALUE(0x12u, 32),
  IREE_HAL_ELEMENT_TYPE_INT_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x10u, 64),
  IREE_HAL_ELEMENT_TYPE_SINT_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x11u, 64),
  IREE_HAL_ELEMENT_TYPE_UINT_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x12u, 64),
  IREE_HAL_ELEMENT_TYPE_FLOAT_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x21u, 16),
  IREE_HAL_ELEMENT_TYPE_FLOAT_32 = IREE_HAL_ELEMENT_TYPE_VALUE(0x21u, 32),
  IREE_HAL_ELEMENT_TYPE_FLOAT_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x21u, 64),
  IREE_HAL_ELEMENT_TYPE_BFLOAT_16 = IREE_HAL_ELEMENT_TYPE_VALUE(0x22u, 16),
  IREE_HAL_ELEMENT_TYPE_COMPLEX_FLOAT_64 = IREE_HAL_ELEMENT_TYPE_VALUE(0x23u, 64),
  IREE_HAL_ELEMENT_TYPE_COMPLEX_FLOAT_128 =
      IREE_HAL_ELEMENT_TYPE_VALUE(0x23u, 128),
  IREE_HAL_ELEMENT_TYPE_FLOAT_8_E5M2 = IREE_HAL_ELEMENT_TYPE_VALUE(0x24u, 8),
  IREE_HAL_ELEMENT_TYPE_FLOAT_8_E4M3_FN = IREE_HAL_ELEMENT_TYPE_VALUE(0x25u, 8),
  IREE_HAL_ELEMENT_TYPE_FLOAT_8_E5M2_FNUZ =
      IREE_HAL_ELEMENT_TYPE_VALUE(0x26u, 8),
  IREE_HAL_ELEMENT_TYPE_FLOAT_8_E4M3_FNUZ =
      IREE_HAL_ELEMENT_TYPE_VALUE(0x27u, 8),
  IREE_HAL_ELEMENT_TYPE_FLOAT_8_E8M0_FNU = IREE_HAL_ELEMENT_TYPE_VALUE(0x28u, 8),
};

typedef uint32_t iree_hal_encoding_type_t;
enum iree_hal_encoding_types_t {
  IREE_HAL_ENCODING_TYPE_OPAQUE = 0,
  IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR = 1,
};

// A shape dimension (32-bit signed, as in the seeds' API; negative values
// are refused).
typedef int32_t iree_hal_dim_t;

// Fills a freshly mapped buffer for iree_hal_buffer_view_generate_buffer.
typedef iree_status_t(IREE_API_PTR* iree_hal_buffer_view_generator_callback_t)(
    iree_hal_buffer_mapping_t* mapping, void* user_data);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_HAL_BUFFER_TYPES_H_
