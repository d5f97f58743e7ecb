// The high-level runtime API as an application uses it, through
// iree/runtime/api.h only: an instance with every available driver, the
// default local-sync device, a session with testdata/runtime/simple_mul.vmfb
// appended from its file, and module.simple_mul (one llvm-cpu dispatch)
// called with two buffer views. The first result must be byte for byte what
// the reference iree-run-module returned (testdata/runtime/expected, written
// by tools/gen-runtime-testdata.sh); then one call object is reset and
// invoked 1000 times with fresh inputs, so the valgrind pass proves that
// repeated calls leak nothing. The errors a caller can make come last.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "iree/runtime/api.h"

#ifndef IREE_C_TESTS_TESTDATA_DIR
#error "tests/c_tests.rs defines IREE_C_TESTS_TESTDATA_DIR"
#endif

#define SIMPLE_MUL_VMFB IREE_C_TESTS_TESTDATA_DIR "/runtime/simple_mul.vmfb"
// The reference's result for the inputs of the first cases.tsv row.
#define SIMPLE_MUL_EXPECTED_NPY \
  IREE_C_TESTS_TESTDATA_DIR "/runtime/expected/simple_mul.simple_mul.0.0.npy"

static const float kLhs[4] = {1.0f, 1.1f, 1.2f, 1.3f};
static const float kRhs[4] = {10.0f, 100.0f, 1000.0f, 10000.0f};

// A 4xf32 buffer view holding |values|, allocated by the session's device.
static iree_hal_buffer_view_t* make_input(iree_runtime_session_t* session,
                                          const float values[4]) {
  static const iree_hal_dim_t shape[1] = {4};
  iree_hal_buffer_params_t params = {0};
  params.type = IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL;
  params.access = IREE_HAL_MEMORY_ACCESS_READ;
  params.usage = IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_TRANSFER;
  iree_hal_buffer_view_t* view = NULL;
  CHECK_OK(iree_hal_buffer_view_allocate_buffer(
      iree_runtime_session_device_allocator(session), shape, 1,
      IREE_HAL_ELEMENT_TYPE_FLOAT_32, IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
      params, iree_make_const_byte_span(values, 4 * sizeof(float)), &view));
  return view;
}

// Whether |view| is a 4xf32 view; copies its elements into |out_values|.
static bool read_result(iree_hal_buffer_view_t* view, float out_values[4]) {
  memset(out_values, 0, 4 * sizeof(float));
  if (!view) return false;
  bool ok = iree_hal_buffer_view_shape_rank(view) == 1 &&
            iree_hal_buffer_view_shape_dim(view, 0) == 4 &&
            iree_hal_buffer_view_element_type(view) ==
                IREE_HAL_ELEMENT_TYPE_FLOAT_32;
  CHECK(ok);
  if (!ok) return false;
  iree_status_t status = iree_hal_buffer_map_read(
      iree_hal_buffer_view_buffer(view), 0, out_values, 4 * sizeof(float));
  CHECK_OK(status);
  return iree_status_is_ok(status);
}

// The last |length| bytes of the file at |path| (an .npy keeps its data
// after the header, so those are the array's elements).
static bool read_file_tail(const char* path, void* out_data, long length) {
  FILE* file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "cannot open %s\n", path);
    return false;
  }
  bool ok = fseek(file, -length, SEEK_END) == 0 &&
            fread(out_data, 1, (size_t)length, file) == (size_t)length;
  fclose(file);
  return ok;
}

static iree_runtime_instance_t* make_instance(void) {
  iree_runtime_instance_options_t options;
  iree_runtime_instance_options_initialize(IREE_API_VERSION_LATEST, &options);
  iree_runtime_instance_options_use_all_available_drivers(&options);
  CHECK(options.driver_registry != NULL);
  iree_runtime_instance_t* instance = NULL;
  CHECK_OK(iree_runtime_instance_create(&options, iree_allocator_system(),
                                        &instance));
  return instance;
}

// A session over a fresh local-sync device with simple_mul appended.
static iree_runtime_session_t* make_session(iree_runtime_instance_t* instance) {
  iree_hal_device_t* device = NULL;
  CHECK_OK(iree_runtime_instance_try_create_default_device(
      instance, iree_make_cstring_view("local-sync"), &device));
  if (!device) return NULL;
  iree_string_view_t id = iree_hal_device_id(device);
  CHECK(iree_string_view_starts_with(id, iree_make_cstring_view("local-sync")));
  iree_runtime_session_options_t options;
  iree_runtime_session_options_initialize(&options);
  iree_runtime_session_t* session = NULL;
  CHECK_OK(iree_runtime_session_create_with_device(
      instance, &options, device, iree_runtime_instance_host_allocator(instance),
      &session));
  // The session keeps the device.
  iree_hal_device_release(device);
  if (!session) return NULL;
  CHECK(iree_runtime_session_device(session) == device);
  CHECK(iree_runtime_session_instance(session) == instance);
  CHECK_OK(iree_runtime_session_append_bytecode_module_from_file(
      session, SIMPLE_MUL_VMFB));
  return session;
}

// One call as the runtime demo makes it; the result must equal the
// reference's bytes and the product C computes.
static void test_simple_mul_matches_the_reference(
    iree_runtime_session_t* session) {
  iree_runtime_call_t call;
  CHECK_OK(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));
  iree_hal_buffer_view_t* lhs = make_input(session, kLhs);
  iree_hal_buffer_view_t* rhs = make_input(session, kRhs);
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, rhs));
  // The inputs list holds its own references.
  iree_hal_buffer_view_release(lhs);
  iree_hal_buffer_view_release(rhs);
  CHECK(iree_vm_list_size(iree_runtime_call_inputs(&call)) == 2);
  CHECK_OK(iree_runtime_call_invoke(&call, 0));
  CHECK(iree_vm_list_size(iree_runtime_call_outputs(&call)) == 1);

  iree_hal_buffer_view_t* result = NULL;
  CHECK_OK(iree_runtime_call_outputs_pop_front_buffer_view(&call, &result));
  float values[4];
  if (read_result(result, values)) {
    float expected[4];
    CHECK(read_file_tail(SIMPLE_MUL_EXPECTED_NPY, expected, sizeof(expected)));
    CHECK(memcmp(values, expected, sizeof(values)) == 0);
    for (int i = 0; i < 4; ++i) CHECK(values[i] == kLhs[i] * kRhs[i]);
  }
  iree_hal_buffer_view_release(result);

  // Nothing is left to pop.
  result = NULL;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_runtime_call_outputs_pop_front_buffer_view(&call, &result));
  CHECK(result == NULL);
  iree_runtime_call_deinitialize(&call);
  CHECK(call.session == NULL);
}

// One call object, reset and invoked again and again with new inputs.
static void test_call_reused_1000_times(iree_runtime_session_t* session) {
  iree_runtime_call_t call;
  CHECK_OK(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));
  int mismatches = 0;
  for (int n = 0; n < 1000; ++n) {
    iree_runtime_call_reset(&call);
    const float lhs_values[4] = {(float)n, 0.5f * n, -1.0f * n, 3.25f};
    const float rhs_values[4] = {2.0f, (float)(n % 7), 0.125f, (float)-n};
    iree_hal_buffer_view_t* lhs = make_input(session, lhs_values);
    iree_hal_buffer_view_t* rhs = make_input(session, rhs_values);
    CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
    CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, rhs));
    iree_hal_buffer_view_release(lhs);
    iree_hal_buffer_view_release(rhs);
    CHECK_OK(iree_runtime_call_invoke(&call, 0));
    iree_hal_buffer_view_t* result = NULL;
    CHECK_OK(iree_runtime_call_outputs_pop_front_buffer_view(&call, &result));
    float values[4];
    if (read_result(result, values)) {
      for (int i = 0; i < 4; ++i) {
        if (values[i] != lhs_values[i] * rhs_values[i]) ++mismatches;
      }
    } else {
      ++mismatches;
    }
    iree_hal_buffer_view_release(result);
  }
  CHECK(mismatches == 0);
  // An output left in the list is released with the call.
  iree_runtime_call_reset(&call);
  iree_hal_buffer_view_t* lhs = make_input(session, kLhs);
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
  iree_hal_buffer_view_release(lhs);
  CHECK_OK(iree_runtime_call_invoke(&call, 0));
  iree_runtime_call_deinitialize(&call);
}

// The session's own call path, on lists the caller holds (here the ones a
// call made; the C API has no buffer view ref helpers of its own).
static void test_session_call_by_name(iree_runtime_session_t* session) {
  iree_runtime_call_t call;
  CHECK_OK(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));
  iree_hal_buffer_view_t* lhs = make_input(session, kLhs);
  iree_hal_buffer_view_t* rhs = make_input(session, kRhs);
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, rhs));
  iree_hal_buffer_view_release(lhs);
  iree_hal_buffer_view_release(rhs);
  iree_vm_function_t function;
  CHECK_OK(iree_runtime_session_lookup_function(
      session, iree_make_cstring_view("module.simple_mul"), &function));
  // Each invocation replaces what the output list held with its results.
  for (int n = 0; n < 2; ++n) {
    if (n == 0) {
      CHECK_OK(iree_runtime_session_call(session, &function,
                                         iree_runtime_call_inputs(&call),
                                         iree_runtime_call_outputs(&call)));
    } else {
      CHECK_OK(iree_runtime_session_call_by_name(
          session, iree_make_cstring_view("module.simple_mul"),
          iree_runtime_call_inputs(&call), iree_runtime_call_outputs(&call)));
    }
    CHECK(iree_vm_list_size(iree_runtime_call_outputs(&call)) == 1);
    iree_hal_buffer_view_t* result = NULL;
    CHECK_OK(iree_runtime_call_outputs_pop_front_buffer_view(&call, &result));
    float values[4];
    if (read_result(result, values)) {
      for (int i = 0; i < 4; ++i) CHECK(values[i] == kLhs[i] * kRhs[i]);
    }
    iree_hal_buffer_view_release(result);
  }
  iree_runtime_call_deinitialize(&call);
}

static void test_errors(iree_runtime_session_t* session) {
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_runtime_session_append_bytecode_module_from_file(
                 session, IREE_C_TESTS_TESTDATA_DIR "/runtime/missing.vmfb"));
  iree_runtime_call_t call;
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_runtime_call_initialize_by_name(
                 session, iree_make_cstring_view("module.no_such_function"),
                 &call));
  CHECK(call.session == NULL);
  // Too few inputs: the program's own argument check fails the call.
  CHECK_OK(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));
  iree_hal_buffer_view_t* lhs = make_input(session, kLhs);
  CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(&call, lhs));
  iree_hal_buffer_view_release(lhs);
  iree_status_t status = iree_runtime_call_invoke(&call, 0);
  CHECK(!iree_status_is_ok(status));
  iree_status_ignore(status);
  iree_runtime_call_deinitialize(&call);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_runtime_instance_try_create_default_device(
                 NULL, iree_make_cstring_view("local-sync"), NULL));
}

int main(void) {
  iree_runtime_instance_t* instance = make_instance();
  iree_runtime_session_t* session = instance ? make_session(instance) : NULL;
  if (session) {
    test_simple_mul_matches_the_reference(session);
    test_call_reused_1000_times(session);
    test_session_call_by_name(session);
    test_errors(session);
    CHECK_OK(iree_runtime_session_trim(session));
  }
  // The session holds the instance: release in either order.
  iree_runtime_instance_release(instance);
  iree_runtime_session_release(session);
  return harness_finish();
}
