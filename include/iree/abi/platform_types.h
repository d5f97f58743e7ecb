// C types of the platform layer (iree/base/internal: file_io, dynamic_library,
// fpu_state, cpu) that the generated header cannot express: flag enums,
// plain integer typedefs and forward declarations of structs defined by the
// public headers.
#ifndef IREE_ABI_PLATFORM_TYPES_H_
#define IREE_ABI_PLATFORM_TYPES_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// file_io.h: the full definition (with its anonymous union) lives in
// iree/base/internal/file_io.h, after the allocator and span types exist.
typedef struct iree_file_contents_t iree_file_contents_t;

// dynamic_library.h: loader behavior bits (none defined yet).
enum iree_dynamic_library_flag_bits_t {
  IREE_DYNAMIC_LIBRARY_FLAG_NONE = 0u,
};
typedef uint32_t iree_dynamic_library_flags_t;

// fpu_state.h: what iree_fpu_state_push changes for the calling thread.
enum iree_fpu_state_flag_bits_t {
  // Leave the FPU as the platform configured it.
  IREE_FPU_STATE_DEFAULT = 0,
  // Treat denormal inputs and results as zero. Denormal arithmetic can be
  // very slow on some cores (microcoded paths); flushing trades that
  // precision for speed, as fast-math modes do.
  IREE_FPU_STATE_FLAG_FLUSH_DENORMALS_TO_ZERO = 1 << 0,
};
typedef uint32_t iree_fpu_state_flags_t;

// cpu.h: logical processor index and the memo tag for cheap requeries.
typedef uint32_t iree_cpu_processor_id_t;
typedef uint32_t iree_cpu_processor_tag_t;

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_PLATFORM_TYPES_H_
