// The shortest useful program on the high-level runtime API
// (iree/runtime/api.h): one instance, the default local-sync device, one
// session with a compiled module read from the file named on the command
// line, and one call of `module.simple_mul` with two 4xf32 buffer views.
// Any failure aborts through IREE_CHECK_OK: this is a demo, not a template
// for error handling (hello_world_explained.c returns statuses instead).
//
//   hello_world_terse testdata/runtime/simple_mul.vmfb
#include <stdio.h>

#include "iree/runtime/api.h"

static void run_session(iree_runtime_instance_t* instance,
                        const char* module_path);
static void multiply(iree_runtime_session_t* session);

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s simple_mul.vmfb\n", argv[0]);
    return 1;
  }
  iree_runtime_instance_options_t options;
  iree_runtime_instance_options_initialize(IREE_API_VERSION_LATEST, &options);
  iree_runtime_instance_options_use_all_available_drivers(&options);
  iree_runtime_instance_t* instance = NULL;
  IREE_CHECK_OK(iree_runtime_instance_create(&options, iree_allocator_system(),
                                             &instance));
  run_session(instance, argv[1]);
  iree_runtime_instance_release(instance);
  return 0;
}

static void run_session(iree_runtime_instance_t* instance,
                        const char* module_path) {
  // The module was compiled for llvm-cpu, which the local-sync driver runs.
  iree_hal_device_t* device = NULL;
  IREE_CHECK_OK(iree_runtime_instance_try_create_default_device(
      instance, iree_make_cstring_view("local-sync"), &device));

  iree_runtime_session_options_t session_options;
  iree_runtime_session_options_initialize(&session_options);
  iree_runtime_session_t* session = NULL;
  IREE_CHECK_OK(iree_runtime_session_create_with_device(
      instance, &session_options, device,
      iree_runtime_instance_host_allocator(instance), &session));
  // The session keeps its own reference to the device.
  iree_hal_device_release(device);

  IREE_CHECK_OK(
      iree_runtime_session_append_bytecode_module_from_file(session, module_path));
  multiply(session);
  iree_runtime_session_release(session);
}

// Makes a 4xf32 buffer view from |values|, prints it and appends it to the
// call's inputs (which keep their own reference).
static void push_input(iree_runtime_session_t* session,
                       iree_runtime_call_t* call, const float values[4]) {
  static const iree_hal_dim_t shape[1] = {4};
  iree_hal_buffer_view_t* view = NULL;
  IREE_CHECK_OK(iree_hal_buffer_view_allocate_buffer(
      iree_runtime_session_device_allocator(session), shape,
      IREE_ARRAYSIZE(shape), IREE_HAL_ELEMENT_TYPE_FLOAT_32,
      IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
      (iree_hal_buffer_params_t){
          .type = IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL,
          .access = IREE_HAL_MEMORY_ACCESS_READ,
          .usage =
              IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_TRANSFER,
      },
      iree_make_const_byte_span(values, 4 * sizeof(float)), &view));
  IREE_CHECK_OK(iree_hal_buffer_view_fprint(
      stdout, view, /*max_element_count=*/4096,
      iree_runtime_session_host_allocator(session)));
  IREE_CHECK_OK(iree_runtime_call_inputs_push_back_buffer_view(call, view));
  iree_hal_buffer_view_release(view);
}

// func.func @simple_mul(tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
static void multiply(iree_runtime_session_t* session) {
  iree_runtime_call_t call;
  IREE_CHECK_OK(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));

  static const float lhs[4] = {1.0f, 1.1f, 1.2f, 1.3f};
  static const float rhs[4] = {10.0f, 100.0f, 1000.0f, 10000.0f};
  push_input(session, &call, lhs);
  fprintf(stdout, "\n * \n");
  push_input(session, &call, rhs);

  IREE_CHECK_OK(iree_runtime_call_invoke(&call, /*flags=*/0));
  fprintf(stdout, "\n = \n");

  iree_hal_buffer_view_t* result = NULL;
  IREE_CHECK_OK(iree_runtime_call_outputs_pop_front_buffer_view(&call, &result));
  IREE_CHECK_OK(iree_hal_buffer_view_fprint(
      stdout, result, /*max_element_count=*/4096,
      iree_runtime_session_host_allocator(session)));
  fprintf(stdout, "\n");
  iree_hal_buffer_view_release(result);
  iree_runtime_call_deinitialize(&call);
}
