// A hand-written CPU executable library for tests/hal_executables.rs,
// compiled there with `cc -shared`. The structs follow the version-6
// library ABI (see src/hal/local/executable_library.rs); one -D flag picks
// what the library gets wrong:
//   (none)                    a valid library with two exports
//   -DWRONG_VERSION           header version 7
//   -DQUERY_REFUSES           the query returns NULL (as for another version)
//   -DTOO_MANY_BINDINGS       export 1 declares 65 bindings
//   -DNO_NAMES                the export name table is NULL
//   -DADDRESS_SANITIZER       built "for" ASan
//   -DNEEDS_IMPORT            requires an import nobody provides
//   -DWEAK_IMPORT             has a weak import (left unresolved)
#include <stddef.h>
#include <stdint.h>

typedef struct header_t {
  uint32_t version;
  const char* name;
  uint32_t features;
  int32_t sanitizer;
} header_t;

typedef struct environment_t {
  const uint32_t* constants;
  void* import_thunk;
  const void* const* import_funcs;
  const void** import_contexts;
  uint64_t processor[8];
} environment_t;

typedef struct dispatch_state_t {
  uint32_t workgroup_size_x;
  uint32_t workgroup_size_y;
  uint16_t workgroup_size_z;
  uint16_t constant_count;
  uint32_t workgroup_count_x;
  uint32_t workgroup_count_y;
  uint16_t workgroup_count_z;
  uint8_t max_concurrency;
  uint8_t binding_count;
  const uint32_t* constants;
  void* const* binding_ptrs;
  const size_t* binding_lengths;
} dispatch_state_t;

typedef struct workgroup_state_t {
  uint32_t workgroup_id_x;
  uint32_t workgroup_id_y;
  uint16_t workgroup_id_z;
  uint16_t reserved;
  uint32_t processor_id;
  void* local_memory;
  uint32_t local_memory_size;
} workgroup_state_t;

typedef int (*dispatch_fn_t)(const environment_t*, const dispatch_state_t*,
                             const workgroup_state_t*);

typedef struct attrs_t {
  uint64_t flags;
  uint16_t local_memory_pages;
  uint8_t constant_count;
  uint8_t binding_count;
  uint32_t workgroup_size_x;
  uint32_t workgroup_size_y;
  uint16_t workgroup_size_z;
  uint16_t parameter_count;
  uint64_t reserved[5];
} attrs_t;

typedef struct source_location_t {
  uint32_t line;
  uint32_t path_length;
  const char* path;
} source_location_t;

typedef struct library_t {
  const header_t* header;
  struct {
    uint32_t count;
    const char* const* symbols;
  } imports;
  struct {
    uint32_t count;
    const dispatch_fn_t* ptrs;
    const attrs_t* attrs;
    const void* params;
    const void* occupancy;
    const char* const* names;
    const char* const* tags;
    const char* const* parameter_names;
    const source_location_t* source_locations;
    const void* stage_locations;
  } exports;
  struct {
    uint32_t count;
  } constants;
  struct {
    uint32_t count;
    const void* files;
  } sources;
} library_t;

// Writes, per workgroup (x fastest), 12 words into binding 0 at word
// 12 * linear id: ids (3), counts (2), size x, the constants (2), the
// binding lengths (2), the local memory size, and the sum of binding 1's
// first word and a value that made a round trip through both ends of
// local memory.
static int echo_state(const environment_t* environment,
                      const dispatch_state_t* state,
                      const workgroup_state_t* workgroup) {
  (void)environment;
  uint32_t* out = (uint32_t*)state->binding_ptrs[0];
  const uint32_t* in = (const uint32_t*)state->binding_ptrs[1];
  uint32_t linear = workgroup->workgroup_id_x +
                    state->workgroup_count_x * workgroup->workgroup_id_y;
  uint32_t* row = out + 12 * linear;
  row[0] = workgroup->workgroup_id_x;
  row[1] = workgroup->workgroup_id_y;
  row[2] = workgroup->workgroup_id_z;
  row[3] = state->workgroup_count_x;
  row[4] = state->workgroup_count_y;
  row[5] = state->workgroup_size_x;
  row[6] = state->constants[0];
  row[7] = state->constants[1];
  row[8] = (uint32_t)state->binding_lengths[0];
  row[9] = (uint32_t)state->binding_lengths[1];
  row[10] = workgroup->local_memory_size;
  volatile uint32_t* scratch = (volatile uint32_t*)workgroup->local_memory;
  uint32_t last = workgroup->local_memory_size / 4 - 1;
  scratch[0] = linear;
  scratch[last] = 100;
  row[11] = in[0] + scratch[0] + scratch[last];
  return 0;
}

// Fails in workgroup 1.
static int fail_second(const environment_t* environment,
                       const dispatch_state_t* state,
                       const workgroup_state_t* workgroup) {
  (void)environment;
  uint32_t* out = (uint32_t*)state->binding_ptrs[0];
  out[workgroup->workgroup_id_x] = 1;
  return workgroup->workgroup_id_x == 1 ? 3 : 0;
}

static const dispatch_fn_t ptrs[2] = {echo_state, fail_second};
static const attrs_t attrs[2] = {
    {.local_memory_pages = 1, .constant_count = 2, .binding_count = 2,
     .workgroup_size_x = 4, .workgroup_size_y = 1, .workgroup_size_z = 1},
#if defined(TOO_MANY_BINDINGS)
    {.binding_count = 65},
#else
    {.binding_count = 1},
#endif
};
static const char* const names[2] = {"echo_state", "fail_second"};
static const source_location_t locations[2] = {
    {.line = 3, .path_length = 9, .path = "fake.mlir"},
    {.line = 9, .path_length = 9, .path = "fake.mlir"},
};
#if defined(NEEDS_IMPORT)
static const char* const imports[1] = {"missing_function"};
#elif defined(WEAK_IMPORT)
static const char* const imports[1] = {"?optional_function"};
#endif

static const header_t header = {
#if defined(WRONG_VERSION)
    .version = 7,
#else
    .version = 6,
#endif
    .name = "fake_library",
    .features = 0,
#if defined(ADDRESS_SANITIZER)
    .sanitizer = 1,
#else
    .sanitizer = 0,
#endif
};

static const library_t library = {
    .header = &header,
#if defined(NEEDS_IMPORT) || defined(WEAK_IMPORT)
    .imports = {.count = 1, .symbols = imports},
#endif
    .exports =
        {
            .count = 2,
            .ptrs = ptrs,
            .attrs = attrs,
#if defined(NO_NAMES)
            .names = NULL,
#else
            .names = names,
#endif
            .source_locations = locations,
        },
};

const header_t** iree_hal_executable_library_query(
    uint32_t max_version, const environment_t* environment) {
  (void)environment;
#if defined(QUERY_REFUSES)
  return NULL;
#else
  return max_version == 6 ? (const header_t**)&library : NULL;
#endif
}
