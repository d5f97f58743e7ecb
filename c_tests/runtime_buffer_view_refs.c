// Buffer views and buffers as VM refs from C (the type adapters the seeds'
// iree/modules/hal/module.h declares): wrapping with _retain_ref and
// _move_ref, unwrapping with _deref and _check_deref, the type ids, and a
// call of module.simple_mul through iree_runtime_session_call_by_name with
// VM lists the test fills and empties itself. Then the runtime calls the
// other C tests leave out: modules appended from memory, as a module object
// and from (an empty) stdin, iree_runtime_session_call_direct with packed
// refs, the instance's VM instance and registry, and retain/release.
// Reference counts must balance: the valgrind pass finds any view a ref
// forgot to release.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "iree/runtime/api.h"

#ifndef IREE_C_TESTS_TESTDATA_DIR
#error "tests/c_tests.rs defines IREE_C_TESTS_TESTDATA_DIR"
#endif

#define SIMPLE_MUL_VMFB IREE_C_TESTS_TESTDATA_DIR "/runtime/simple_mul.vmfb"

static const float kLhs[4] = {1.0f, 1.1f, 1.2f, 1.3f};
static const float kRhs[4] = {10.0f, 100.0f, 1000.0f, 10000.0f};

static iree_hal_buffer_view_t* make_view(iree_runtime_session_t* session,
                                         const float values[4]) {
  static const iree_hal_dim_t shape[1] = {4};
  iree_hal_buffer_params_t params = {0};
  params.type = IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL;
  params.access = IREE_HAL_MEMORY_ACCESS_ALL;
  params.usage = IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_TRANSFER;
  iree_hal_buffer_view_t* view = NULL;
  CHECK_OK(iree_hal_buffer_view_allocate_buffer(
      iree_runtime_session_device_allocator(session), shape, 1,
      IREE_HAL_ELEMENT_TYPE_FLOAT_32, IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
      params, iree_make_const_byte_span(values, 4 * sizeof(float)), &view));
  return view;
}

static void test_adapters(iree_runtime_session_t* session) {
  // Both ids are registered, distinct, and the 3.13 names agree.
  iree_vm_ref_type_t view_type = iree_hal_buffer_view_type_id();
  iree_vm_ref_type_t buffer_type = iree_hal_buffer_type_id();
  CHECK(view_type != IREE_VM_REF_TYPE_NULL);
  CHECK(buffer_type != IREE_VM_REF_TYPE_NULL);
  CHECK(view_type != buffer_type);
  CHECK(iree_hal_buffer_view_type() == view_type);
  CHECK(iree_hal_buffer_type() == buffer_type);
  const iree_vm_ref_type_descriptor_t* descriptor =
      iree_hal_buffer_view_get_descriptor();
  CHECK(descriptor != NULL);
  if (descriptor) {
    CHECK(view_is(descriptor->type_name, "hal.buffer_view"));
  }
  CHECK(iree_hal_buffer_get_descriptor() != NULL);

  iree_hal_buffer_view_t* view = make_view(session, kLhs);
  if (!view) return;
  // A retained ref is one more reference: the view outlives our release.
  iree_vm_ref_t ref = iree_hal_buffer_view_retain_ref(view);
  CHECK(ref.ptr == view);
  CHECK(ref.type == view_type);
  CHECK(iree_hal_buffer_view_deref(ref) == view);
  CHECK(iree_hal_buffer_deref(ref) == NULL);
  iree_hal_buffer_view_t* checked = NULL;
  CHECK_OK(iree_hal_buffer_view_check_deref(ref, &checked));
  CHECK(checked == view);
  iree_hal_buffer_t* wrong = (iree_hal_buffer_t*)1;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_check_deref(ref, &wrong));
  CHECK(wrong == NULL);
  iree_hal_buffer_view_release(view);
  CHECK(iree_hal_buffer_view_shape_dim(iree_hal_buffer_view_deref(ref), 0) ==
        4);

  // The view's buffer as a ref of its own type.
  iree_hal_buffer_t* buffer = iree_hal_buffer_view_buffer(view);
  iree_vm_ref_t buffer_ref = iree_hal_buffer_retain_ref(buffer);
  CHECK(buffer_ref.type == buffer_type);
  CHECK(iree_hal_buffer_deref(buffer_ref) == buffer);
  CHECK(iree_hal_buffer_view_deref(buffer_ref) == NULL);
  iree_vm_ref_release(&buffer_ref);
  iree_vm_ref_release(&ref);

  // A moved ref takes over the caller's reference.
  iree_vm_ref_t moved = iree_hal_buffer_view_move_ref(make_view(session, kRhs));
  CHECK(iree_hal_buffer_view_deref(moved) != NULL);
  iree_vm_ref_release(&moved);

  // NULL in, the null ref out; a null ref unwraps to NULL.
  iree_vm_ref_t null_ref = iree_hal_buffer_view_retain_ref(NULL);
  CHECK(null_ref.ptr == NULL);
  CHECK(iree_hal_buffer_view_deref(null_ref) == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_check_deref(null_ref, &checked));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_check_deref(ref, NULL));
}

// simple_mul through lists the caller builds: inputs pushed as refs of
// views, the result read back from the output list by deref.
static void test_call_with_vm_lists(iree_runtime_session_t* session) {
  iree_allocator_t host = iree_runtime_session_host_allocator(session);
  iree_vm_type_def_t element =
      iree_vm_type_def_make_ref_type(iree_hal_buffer_view_type());
  iree_vm_list_t* inputs = NULL;
  iree_vm_list_t* outputs = NULL;
  CHECK_OK(iree_vm_list_create(&element, 2, host, &inputs));
  CHECK_OK(iree_vm_list_create(NULL, 1, host, &outputs));
  if (!inputs || !outputs) return;

  iree_hal_buffer_view_t* lhs = make_view(session, kLhs);
  iree_vm_ref_t lhs_ref = iree_hal_buffer_view_retain_ref(lhs);
  CHECK_OK(iree_vm_list_push_ref_retain(inputs, &lhs_ref));
  iree_vm_ref_release(&lhs_ref);
  iree_hal_buffer_view_release(lhs);
  iree_vm_ref_t rhs_ref = iree_hal_buffer_view_move_ref(make_view(session, kRhs));
  CHECK_OK(iree_vm_list_push_ref_move(inputs, &rhs_ref));
  CHECK(rhs_ref.ptr == NULL);

  CHECK_OK(iree_runtime_session_call_by_name(
      session, iree_make_cstring_view("module.simple_mul"), inputs, outputs));
  CHECK(iree_vm_list_size(outputs) == 1);

  iree_vm_ref_t result_ref = {0};
  CHECK_OK(iree_vm_list_get_ref_retain(outputs, 0, &result_ref));
  iree_hal_buffer_view_t* result = iree_hal_buffer_view_deref(result_ref);
  CHECK(result != NULL);
  if (result) {
    float product[4] = {0};
    CHECK(iree_hal_buffer_view_shape_rank(result) == 1);
    CHECK(iree_hal_buffer_view_element_type(result) ==
          IREE_HAL_ELEMENT_TYPE_FLOAT_32);
    CHECK_OK(iree_hal_buffer_map_read(iree_hal_buffer_view_buffer(result), 0,
                                      product, sizeof(product)));
    for (int i = 0; i < 4; ++i) {
      float expected = kLhs[i] * kRhs[i];
      CHECK(memcmp(&product[i], &expected, sizeof(float)) == 0);
    }
  }
  iree_vm_ref_release(&result_ref);
  iree_vm_list_release(inputs);
  iree_vm_list_release(outputs);
}

// The whole file at |path| in a malloc'd buffer (NULL on failure).
static uint8_t* read_file(const char* path, size_t* out_size) {
  *out_size = 0;
  FILE* file = fopen(path, "rb");
  if (!file) return NULL;
  uint8_t* data = NULL;
  long size = -1;
  if (fseek(file, 0, SEEK_END) == 0) size = ftell(file);
  if (size > 0 && fseek(file, 0, SEEK_SET) == 0) {
    data = (uint8_t*)malloc((size_t)size);
    if (data && fread(data, 1, (size_t)size, file) != (size_t)size) {
      free(data);
      data = NULL;
    }
  }
  fclose(file);
  if (data) *out_size = (size_t)size;
  return data;
}

static iree_runtime_session_t* make_bare_session(
    iree_runtime_instance_t* instance) {
  iree_hal_device_t* device = NULL;
  CHECK_OK(iree_runtime_instance_try_create_default_device(
      instance, iree_make_cstring_view("local-sync"), &device));
  if (!device) return NULL;
  iree_runtime_session_options_t options;
  iree_runtime_session_options_initialize(&options);
  iree_runtime_session_t* session = NULL;
  CHECK_OK(iree_runtime_session_create_with_device(
      instance, &options, device, iree_runtime_instance_host_allocator(instance),
      &session));
  iree_hal_device_release(device);
  return session;
}

// simple_mul's arguments packed as its calling convention ("rr" -> "r")
// says, called through iree_runtime_session_call_direct. The arguments stay
// the caller's (released after the call); the result is the caller's too.
static void check_call_direct(iree_runtime_session_t* session) {
  iree_vm_function_t function;
  memset(&function, 0, sizeof(function));
  CHECK_OK(iree_runtime_session_lookup_function(
      session, iree_make_cstring_view("module.simple_mul"), &function));
  iree_runtime_call_t by_function;
  CHECK_OK(iree_runtime_call_initialize(session, function, &by_function));
  iree_runtime_call_deinitialize(&by_function);

  iree_vm_ref_t arguments[2];
  arguments[0] = iree_hal_buffer_view_move_ref(make_view(session, kLhs));
  arguments[1] = iree_hal_buffer_view_move_ref(make_view(session, kRhs));
  iree_vm_ref_t result;
  memset(&result, 0, sizeof(result));
  iree_vm_function_call_t call;
  call.function = function;
  call.arguments = iree_make_byte_span(arguments, sizeof(arguments));
  call.results = iree_make_byte_span(&result, sizeof(result));
  CHECK_OK(iree_runtime_session_call_direct(session, &call));
  iree_hal_buffer_view_t* product = iree_hal_buffer_view_deref(result);
  CHECK(product != NULL);
  if (product) {
    float values[4] = {0};
    CHECK_OK(iree_hal_buffer_map_read(iree_hal_buffer_view_buffer(product), 0,
                                      values, sizeof(values)));
    float expected = kLhs[3] * kRhs[3];
    CHECK(memcmp(&values[3], &expected, sizeof(float)) == 0);
  }
  iree_vm_ref_release(&result);
  iree_vm_ref_release(&arguments[0]);
  iree_vm_ref_release(&arguments[1]);
}

static void test_other_ways_in(iree_runtime_instance_t* instance) {
  CHECK(iree_runtime_instance_vm_instance(instance) != NULL);
  CHECK(iree_runtime_instance_vm_instance(NULL) == NULL);
  CHECK(iree_runtime_instance_driver_registry(instance) != NULL);
  iree_runtime_instance_retain(instance);
  iree_runtime_instance_release(instance);

  size_t size = 0;
  uint8_t* bytes = read_file(SIMPLE_MUL_VMFB, &size);
  CHECK(bytes != NULL);
  if (!bytes) return;

  // From memory the caller keeps (a null allocator): alive until the
  // session that uses it is gone.
  iree_runtime_session_t* session = make_bare_session(instance);
  if (session) {
    CHECK(iree_runtime_session_context(session) != NULL);
    iree_runtime_session_retain(session);
    iree_runtime_session_release(session);
    CHECK_OK(iree_runtime_session_append_bytecode_module_from_memory(
        session, iree_make_const_byte_span(bytes, size), iree_allocator_null()));
    check_call_direct(session);
    iree_runtime_session_release(session);
  }

  // As a module object the caller made; the session keeps its own
  // reference.
  session = make_bare_session(instance);
  if (session) {
    iree_vm_module_t* module = NULL;
    CHECK_OK(iree_vm_bytecode_module_create(
        iree_make_const_byte_span(bytes, size), iree_allocator_null(),
        iree_runtime_session_host_allocator(session), &module));
    if (module) {
      CHECK_OK(iree_runtime_session_append_module(session, module));
      iree_vm_module_release(module);
      check_call_direct(session);
    }
    // The test runs with an empty stdin: no module there.
    iree_status_t status =
        iree_runtime_session_append_bytecode_module_from_stdin(session);
    CHECK(!iree_status_is_ok(status));
    iree_status_ignore(status);
    iree_runtime_session_release(session);
  }
  free(bytes);
}

int main(void) {
  iree_runtime_instance_options_t options;
  iree_runtime_instance_options_initialize(IREE_API_VERSION_LATEST, &options);
  iree_runtime_instance_options_use_all_available_drivers(&options);
  iree_runtime_instance_t* instance = NULL;
  CHECK_OK(iree_runtime_instance_create(&options, iree_allocator_system(),
                                        &instance));
  iree_runtime_session_t* session = NULL;
  if (instance) {
    iree_hal_device_t* device = NULL;
    CHECK_OK(iree_runtime_instance_try_create_default_device(
        instance, iree_make_cstring_view("local-sync"), &device));
    iree_runtime_session_options_t session_options;
    iree_runtime_session_options_initialize(&session_options);
    if (device) {
      CHECK_OK(iree_runtime_session_create_with_device(
          instance, &session_options, device,
          iree_runtime_instance_host_allocator(instance), &session));
    }
    iree_hal_device_release(device);
  }
  if (session) {
    CHECK_OK(iree_runtime_session_append_bytecode_module_from_file(
        session, SIMPLE_MUL_VMFB));
    test_adapters(session);
    test_call_with_vm_lists(session);
  }
  if (instance) test_other_ways_in(instance);
  iree_runtime_session_release(session);
  iree_runtime_instance_release(instance);
  return harness_finish();
}
