// The runtime API (iree/runtime/api.h) step by step, with every failure
// returned as an iree_status_t instead of aborting:
//   1. an instance, made once per process and shared by every session;
//   2. a session on the default local-sync device, holding the state of the
//      module read from the file named on the command line;
//   3. a call of `module.simple_mul` with two 4xf32 buffer views, whose
//      result is printed.
// The exit code is the failing status code (0 when everything worked); the
// status itself goes to stderr.
//
//   hello_world_explained testdata/runtime/simple_mul.vmfb
#include <stdio.h>

#include "iree/runtime/api.h"

static iree_status_t run_session(iree_runtime_instance_t* instance,
                                 const char* module_path);
static iree_status_t multiply(iree_runtime_session_t* session);

//===----------------------------------------------------------------------===//
// 1. The instance
//===----------------------------------------------------------------------===//
// An instance owns the VM instance and the HAL driver registry. It is
// thread-safe and costly to make, so an application makes one at startup
// and hands it to each session it creates.

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s simple_mul.vmfb\n", argv[0]);
    return 1;
  }

  iree_runtime_instance_options_t options;
  iree_runtime_instance_options_initialize(IREE_API_VERSION_LATEST, &options);
  // Every driver this build has: here the local-sync CPU family.
  iree_runtime_instance_options_use_all_available_drivers(&options);
  iree_runtime_instance_t* instance = NULL;
  iree_status_t status = iree_runtime_instance_create(
      &options, iree_allocator_system(), &instance);

  if (iree_status_is_ok(status)) {
    status = run_session(instance, argv[1]);
  }

  // Sessions keep the instance alive; with none left it is freed here.
  // Releasing NULL (a failed create) is allowed.
  iree_runtime_instance_release(instance);

  int exit_code = (int)iree_status_code(status);
  if (!iree_status_is_ok(status)) {
    // A status owns its message: print it, then free it.
    iree_status_fprint(stderr, status);
    iree_status_ignore(status);
  }
  return exit_code;
}

//===----------------------------------------------------------------------===//
// 2. The session
//===----------------------------------------------------------------------===//
// A session is one isolated context of loaded modules (their globals live
// in it), bound to one device. It is thread-compatible: callers sharing a
// session across threads lock around it. A real application keeps the
// session and calls into it many times.

static iree_status_t run_session(iree_runtime_instance_t* instance,
                                 const char* module_path) {
  // The module was compiled by iree-compile for llvm-cpu, so it needs a
  // local CPU device; local-sync runs its dispatches on the calling thread.
  iree_hal_device_t* device = NULL;
  IREE_RETURN_IF_ERROR(iree_runtime_instance_try_create_default_device(
      instance, iree_make_cstring_view("local-sync"), &device));

  iree_runtime_session_options_t session_options;
  iree_runtime_session_options_initialize(&session_options);
  iree_runtime_session_t* session = NULL;
  iree_status_t status = iree_runtime_session_create_with_device(
      instance, &session_options, device,
      iree_runtime_instance_host_allocator(instance), &session);
  // The session holds its own device reference (when it was made).
  iree_hal_device_release(device);

  // The session appends the HAL module first, so the user module's imports
  // of hal.* resolve when it is appended after it.
  if (iree_status_is_ok(status)) {
    status =
        iree_runtime_session_append_bytecode_module_from_file(session, module_path);
  }

  if (iree_status_is_ok(status)) {
    status = multiply(session);
  }

  // Frees the session's modules, their state and the device (NULL is fine).
  iree_runtime_session_release(session);
  return status;
}

//===----------------------------------------------------------------------===//
// 3. The call
//===----------------------------------------------------------------------===//
// A call object holds a resolved function and its input and output lists.
// It can be reset and invoked again; this demo makes one and drops it.

// Allocates a 4xf32 buffer view on the session's device holding a copy of
// |values| and prints it. The caller owns |*out_view|.
static iree_status_t make_input(iree_runtime_session_t* session,
                                const float values[4],
                                iree_hal_buffer_view_t** out_view) {
  static const iree_hal_dim_t shape[1] = {4};
  IREE_RETURN_IF_ERROR(iree_hal_buffer_view_allocate_buffer(
      iree_runtime_session_device_allocator(session),
      // Dimensions and their count.
      shape, IREE_ARRAYSIZE(shape),
      // What an element is and how elements are laid out.
      IREE_HAL_ELEMENT_TYPE_FLOAT_32, IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
      (iree_hal_buffer_params_t){
          // Memory the device works on directly.
          .type = IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL,
          // The program only reads its inputs.
          .access = IREE_HAL_MEMORY_ACCESS_READ,
          // Dispatches read it; transfers may copy it.
          .usage =
              IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_TRANSFER,
      },
      // The bytes are copied: |values| may go away after this returns.
      iree_make_const_byte_span(values, 4 * sizeof(float)), out_view));
  // Printing is only for show, so its failure is not the demo's.
  IREE_IGNORE_ERROR(iree_hal_buffer_view_fprint(
      stdout, *out_view, /*max_element_count=*/4096,
      iree_runtime_session_host_allocator(session)));
  return iree_ok_status();
}

// func.func @simple_mul(tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
static iree_status_t multiply(iree_runtime_session_t* session) {
  // Looks the function up by its full name: module name, dot, function.
  iree_runtime_call_t call;
  IREE_RETURN_IF_ERROR(iree_runtime_call_initialize_by_name(
      session, iree_make_cstring_view("module.simple_mul"), &call));

  static const float lhs[4] = {1.0f, 1.1f, 1.2f, 1.3f};
  static const float rhs[4] = {10.0f, 100.0f, 1000.0f, 10000.0f};
  iree_hal_buffer_view_t* input = NULL;
  iree_status_t status = make_input(session, lhs, &input);
  if (iree_status_is_ok(status)) {
    // The inputs list retains the view, so ours can go right away.
    status = iree_runtime_call_inputs_push_back_buffer_view(&call, input);
  }
  iree_hal_buffer_view_release(input);
  input = NULL;

  fprintf(stdout, "\n * \n");

  if (iree_status_is_ok(status)) {
    status = make_input(session, rhs, &input);
  }
  if (iree_status_is_ok(status)) {
    status = iree_runtime_call_inputs_push_back_buffer_view(&call, input);
  }
  iree_hal_buffer_view_release(input);

  // Runs to completion on this thread; the results land in the outputs.
  if (iree_status_is_ok(status)) {
    status = iree_runtime_call_invoke(&call, /*flags=*/0);
  }

  fprintf(stdout, "\n = \n");

  iree_hal_buffer_view_t* result = NULL;
  if (iree_status_is_ok(status)) {
    // Takes the first output off the list; we own the reference now.
    status = iree_runtime_call_outputs_pop_front_buffer_view(&call, &result);
  }
  if (iree_status_is_ok(status)) {
    // An application would read the buffer or pass the view to another
    // call; the demo prints it.
    status = iree_hal_buffer_view_fprint(
        stdout, result, /*max_element_count=*/4096,
        iree_runtime_session_host_allocator(session));
    fprintf(stdout, "\n");
  }
  iree_hal_buffer_view_release(result);

  iree_runtime_call_deinitialize(&call);
  return status;
}
