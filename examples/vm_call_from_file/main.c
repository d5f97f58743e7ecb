// Loads a compiled VM bytecode module (.vmfb) from a file and calls one of
// its exported functions through the VM C API, printing the results the way
// iree-run-module does:
//
//   vm_call_from_file testdata/vm/calls_callee.vmfb add 40 2
//   result[0]: i32=42
//
// Arguments are parsed by the function's calling convention (i32, i64, f32
// and f64 scalars). Modules that need the HAL (tensors, devices) are not
// supported by this library yet; VM-only modules such as those in
// testdata/vm run. Exits 0 on success; on failure prints the status and
// exits 1.
#include <stdio.h>
#include <stdlib.h>

#include "iree/base/api.h"
#include "iree/vm/api.h"
#include "iree/vm/bytecode_module.h"

// Reads the whole file at |path| into memory from |allocator|. The caller
// owns *out_data.
static iree_status_t read_file(const char* path, iree_allocator_t allocator,
                               iree_byte_span_t* out_data) {
  FILE* file = fopen(path, "rb");
  if (!file) {
    return iree_make_status(IREE_STATUS_NOT_FOUND, "cannot open '%s'", path);
  }
  iree_status_t status = iree_ok_status();
  long size = -1;
  if (fseek(file, 0, SEEK_END) == 0) size = ftell(file);
  if (size <= 0 || fseek(file, 0, SEEK_SET) != 0) {
    status = iree_make_status(IREE_STATUS_INVALID_ARGUMENT,
                              "cannot read the size of '%s'", path);
  }
  void* data = NULL;
  if (iree_status_is_ok(status)) {
    status = iree_allocator_malloc(allocator, (iree_host_size_t)size, &data);
  }
  if (iree_status_is_ok(status) &&
      fread(data, 1, (size_t)size, file) != (size_t)size) {
    status = iree_make_status(IREE_STATUS_DATA_LOSS, "short read of '%s'", path);
  }
  fclose(file);
  if (!iree_status_is_ok(status)) {
    iree_allocator_free(allocator, data);
    return status;
  }
  *out_data = iree_make_byte_span(data, (iree_host_size_t)size);
  return iree_ok_status();
}

// Converts |text| to a value of the calling-convention type |type|.
static iree_status_t parse_argument(char type, const char* text,
                                    iree_vm_value_t* out_value) {
  char* end = NULL;
  switch (type) {
    case 'i':
      *out_value = iree_vm_value_make_i32((int32_t)strtol(text, &end, 0));
      break;
    case 'I':
      *out_value = iree_vm_value_make_i64((int64_t)strtoll(text, &end, 0));
      break;
    case 'f':
      *out_value = iree_vm_value_make_f32(strtof(text, &end));
      break;
    case 'F':
      *out_value = iree_vm_value_make_f64(strtod(text, &end));
      break;
    default:
      return iree_make_status(IREE_STATUS_UNIMPLEMENTED,
                              "argument type '%c' is not a scalar", type);
  }
  if (end == text || *end != 0) {
    return iree_make_status(IREE_STATUS_INVALID_ARGUMENT,
                            "'%s' is not a number", text);
  }
  return iree_ok_status();
}

static void print_value(iree_host_size_t index, const iree_vm_value_t* value) {
  printf("result[%zu]: ", (size_t)index);
  switch (value->type) {
    case IREE_VM_VALUE_TYPE_I8:
      printf("i8=%d\n", value->i8);
      break;
    case IREE_VM_VALUE_TYPE_I16:
      printf("i16=%d\n", value->i16);
      break;
    case IREE_VM_VALUE_TYPE_I32:
      printf("i32=%d\n", value->i32);
      break;
    case IREE_VM_VALUE_TYPE_I64:
      printf("i64=%lld\n", (long long)value->i64);
      break;
    case IREE_VM_VALUE_TYPE_F32:
      printf("f32=%g\n", value->f32);
      break;
    case IREE_VM_VALUE_TYPE_F64:
      printf("f64=%g\n", value->f64);
      break;
    default:
      printf("(a ref or other non-scalar)\n");
      break;
  }
}

// Loads |path|, and calls its export |name| with the |argc| texts of |argv|.
static iree_status_t run(const char* path, const char* name, int argc,
                         char** argv) {
  iree_allocator_t allocator = iree_allocator_system();
  iree_vm_instance_t* instance = NULL;
  iree_vm_module_t* module = NULL;
  iree_vm_context_t* context = NULL;
  iree_vm_list_t* inputs = NULL;
  iree_vm_list_t* outputs = NULL;

  IREE_RETURN_IF_ERROR(iree_vm_instance_create(allocator, &instance));

  // The module takes ownership of the file's bytes and frees them with
  // |allocator| when it is released.
  iree_byte_span_t data = iree_make_byte_span(NULL, 0);
  iree_status_t status = read_file(path, allocator, &data);
  if (iree_status_is_ok(status)) {
    status = iree_vm_bytecode_module_create(
        iree_make_const_byte_span(data.data, data.data_length), allocator,
        allocator, &module);
    if (!iree_status_is_ok(status)) iree_allocator_free(allocator, data.data);
  }
  if (iree_status_is_ok(status)) {
    status = iree_vm_context_create_with_modules(
        instance, IREE_VM_CONTEXT_FLAG_NONE, &module, 1, allocator, &context);
  }

  iree_vm_function_t function;
  iree_string_view_t argument_types = iree_string_view_empty();
  iree_string_view_t result_types = iree_string_view_empty();
  if (iree_status_is_ok(status)) {
    status = iree_vm_module_lookup_function_by_name(
        module, IREE_VM_FUNCTION_LINKAGE_EXPORT, iree_make_cstring_view(name),
        &function);
  }
  if (iree_status_is_ok(status)) {
    iree_vm_function_signature_t signature =
        iree_vm_function_signature(&function);
    status = iree_vm_function_call_get_cconv_fragments(
        &signature, &argument_types, &result_types);
    // A lone 'v' (void) stands for no arguments or no results.
    if (iree_string_view_equal(argument_types, IREE_SV("v"))) {
      argument_types = iree_string_view_empty();
    }
    if (iree_string_view_equal(result_types, IREE_SV("v"))) {
      result_types = iree_string_view_empty();
    }
  }
  if (iree_status_is_ok(status) &&
      argument_types.size != (iree_host_size_t)argc) {
    status = iree_make_status(IREE_STATUS_INVALID_ARGUMENT,
                              "%s takes %zu arguments ('%.*s'), %d given", name,
                              (size_t)argument_types.size,
                              (int)argument_types.size, argument_types.data,
                              argc);
  }

  if (iree_status_is_ok(status)) {
    status = iree_vm_list_create(NULL, (iree_host_size_t)argc, allocator,
                                 &inputs);
  }
  for (int i = 0; i < argc && iree_status_is_ok(status); ++i) {
    iree_vm_value_t value;
    status = parse_argument(argument_types.data[i], argv[i], &value);
    if (iree_status_is_ok(status)) {
      status = iree_vm_list_push_value(inputs, &value);
    }
  }
  if (iree_status_is_ok(status)) {
    status = iree_vm_list_create(NULL, result_types.size, allocator, &outputs);
  }
  if (iree_status_is_ok(status)) {
    status = iree_vm_invoke(context, function, IREE_VM_INVOCATION_FLAG_NONE,
                            /*policy=*/NULL, inputs, outputs, allocator);
  }
  for (iree_host_size_t i = 0;
       iree_status_is_ok(status) && i < iree_vm_list_size(outputs); ++i) {
    iree_vm_value_t value;
    status = iree_vm_list_get_value(outputs, i, &value);
    if (iree_status_is_ok(status)) print_value(i, &value);
  }

  iree_vm_list_release(outputs);
  iree_vm_list_release(inputs);
  iree_vm_context_release(context);
  iree_vm_module_release(module);
  iree_vm_instance_release(instance);
  return status;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s MODULE.vmfb FUNCTION [ARG...]\n", argv[0]);
    return 2;
  }
  iree_status_t status = run(argv[1], argv[2], argc - 3, argv + 3);
  if (!iree_status_is_ok(status)) {
    iree_status_fprint(stderr, status);
    iree_status_ignore(status);
    return 1;
  }
  return 0;
}
