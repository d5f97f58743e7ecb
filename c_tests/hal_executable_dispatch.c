// Executables from C on the local-sync device: the device's cache reports
// the formats its loaders read, refuses unknown formats and malformed
// images with a status, and an embedded-ELF executable compiled by the
// pinned IREE compiler (testdata/hal/elf/add_x86_64.so: out = a + b over
// four f32) runs through descriptor set and executable layouts, a pushed
// descriptor set and a dispatch recorded in a command buffer.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "iree/hal/api.h"
#include "iree/hal/drivers/init.h"

static iree_hal_device_t* g_device = NULL;

// Whether |status| is an error; consumes it.
static bool fails(iree_status_t status) {
  bool failed = !iree_status_is_ok(status);
  iree_status_ignore(status);
  return failed;
}

// Reads testdata/|name| (found from this source file's path, which the test
// driver passes to the compiler as an absolute path) into |*out_length|
// bytes the caller frees; NULL when missing.
static uint8_t* read_testdata(const char* name, size_t* out_length) {
  char path[4096];
  const char* source = __FILE__;
  const char* slash = strrchr(source, '/');
  int dir_length = slash ? (int)(slash - source) : 1;
  snprintf(path, sizeof(path), "%.*s/../testdata/%s", dir_length,
           slash ? source : ".", name);
  FILE* file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "cannot open %s\n", path);
    return NULL;
  }
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  uint8_t* bytes = length > 0 ? malloc((size_t)length) : NULL;
  if (bytes && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
    free(bytes);
    bytes = NULL;
  }
  fclose(file);
  *out_length = bytes ? (size_t)length : 0;
  return bytes;
}

static iree_hal_buffer_t* make_buffer(const float* values) {
  iree_hal_buffer_params_t params = {0};
  params.type =
      IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL | IREE_HAL_MEMORY_TYPE_HOST_VISIBLE;
  params.usage = IREE_HAL_BUFFER_USAGE_TRANSFER |
                 IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_MAPPING;
  iree_hal_buffer_params_canonicalize(&params);
  iree_hal_buffer_t* buffer = NULL;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      iree_hal_device_allocator(g_device), params, 4 * sizeof(float),
      iree_make_const_byte_span(values, 4 * sizeof(float)), &buffer));
  return buffer;
}

static void test_cache_formats_and_refusals(iree_hal_executable_cache_t* cache) {
  CHECK(iree_hal_executable_cache_can_prepare_format(
      cache, 0, iree_make_cstring_view("embedded-elf-x86_64")));
  CHECK(iree_hal_executable_cache_can_prepare_format(
      cache, 0, iree_make_cstring_view("system-elf-x86_64")));
  // local-sync loads VMVX too (as 3.13's does), but not GPU formats.
  CHECK(iree_hal_executable_cache_can_prepare_format(
      cache, 0, iree_make_cstring_view("vmvx-bytecode-fb")));
  CHECK(!iree_hal_executable_cache_can_prepare_format(
      cache, 0, iree_make_cstring_view("cuda-nvptx-fb")));
  CHECK(!iree_hal_executable_cache_can_prepare_format(
      NULL, 0, iree_make_cstring_view("embedded-elf-x86_64")));

  const uint8_t junk[64] = {0x7F, 'E', 'L', 'F'};
  iree_hal_executable_params_t params;
  iree_hal_executable_params_initialize(&params);
  params.executable_format = iree_make_cstring_view("cuda-nvptx-fb");
  params.executable_data = iree_make_const_byte_span(junk, sizeof(junk));
  iree_hal_executable_t* executable = NULL;
  CHECK(status_matches(iree_hal_executable_cache_prepare_executable(
                           cache, &params, &executable),
                       IREE_STATUS_NOT_FOUND, "cuda-nvptx-fb"));
  CHECK(executable == NULL);
  // Junk in the VMVX format is refused by the VMVX loader.
  params.executable_format = iree_make_cstring_view("vmvx-bytecode-fb");
  CHECK(iree_status_consume_code(iree_hal_executable_cache_prepare_executable(
            cache, &params, &executable)) != IREE_STATUS_OK);
  CHECK(executable == NULL);
  // A malformed image is refused by the ELF loader, not mapped.
  params.executable_format = iree_make_cstring_view("embedded-elf-x86_64");
  iree_status_t status =
      iree_hal_executable_cache_prepare_executable(cache, &params, &executable);
  CHECK(!iree_status_is_ok(status));
  CHECK(status_mentions(status, "embedded-elf-x86_64"));
  iree_status_ignore(status);
  CHECK(executable == NULL);
  // No data at all, and NULL arguments.
  params.executable_data = iree_const_byte_span_empty();
  CHECK(fails(iree_hal_executable_cache_prepare_executable(cache, &params,
                                                           &executable)));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_executable_cache_prepare_executable(cache, NULL,
                                                          &executable));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_executable_cache_prepare_executable(NULL, &params,
                                                          &executable));
}

static void test_embedded_elf_dispatch(iree_hal_executable_cache_t* cache) {
  size_t length = 0;
  uint8_t* data = read_testdata("hal/elf/add_x86_64.so", &length);
  CHECK(data != NULL);
  if (!data) return;

  iree_hal_descriptor_set_layout_binding_t layout_bindings[3] = {
      {0, IREE_HAL_DESCRIPTOR_TYPE_STORAGE_BUFFER},
      {1, IREE_HAL_DESCRIPTOR_TYPE_STORAGE_BUFFER},
      {2, IREE_HAL_DESCRIPTOR_TYPE_STORAGE_BUFFER},
  };
  iree_hal_descriptor_set_layout_t* set_layout = NULL;
  CHECK_OK(iree_hal_descriptor_set_layout_create(
      g_device, IREE_HAL_DESCRIPTOR_SET_LAYOUT_USAGE_TYPE_PUSH_ONLY, 3,
      layout_bindings, &set_layout));
  iree_hal_executable_layout_t* executable_layout = NULL;
  CHECK_OK(iree_hal_executable_layout_create(g_device, 0, 1, &set_layout,
                                             &executable_layout));

  iree_hal_executable_params_t params;
  iree_hal_executable_params_initialize(&params);
  params.executable_format = iree_make_cstring_view("embedded-elf-x86_64");
  params.executable_data = iree_make_const_byte_span(data, length);
  params.executable_layout_count = 1;
  params.executable_layouts = &executable_layout;
  iree_hal_executable_t* executable = NULL;
  CHECK_OK(iree_hal_executable_cache_prepare_executable(cache, &params,
                                                        &executable));
  // The cache copied what it needs: the image bytes may go now.
  free(data);
  if (!executable) {
    iree_hal_executable_layout_release(executable_layout);
    iree_hal_descriptor_set_layout_release(set_layout);
    return;
  }

  const float a[4] = {1.0f, 2.5f, -3.0f, 1e6f};
  const float b[4] = {0.5f, -1.0f, 1e-3f, 100.0f};
  const float zeros[4] = {0};
  iree_hal_buffer_t* lhs = make_buffer(a);
  iree_hal_buffer_t* rhs = make_buffer(b);
  iree_hal_buffer_t* out = make_buffer(zeros);

  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_OK(iree_hal_command_buffer_create(
      g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
      IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY,
      &command_buffer));
  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  iree_hal_descriptor_set_binding_t bindings[3] = {
      {0, lhs, 0, IREE_WHOLE_BUFFER},
      {1, rhs, 0, IREE_WHOLE_BUFFER},
      {2, out, 0, IREE_WHOLE_BUFFER},
  };
  // A binding the set layout does not declare is refused.
  iree_hal_descriptor_set_binding_t stray = {5, lhs, 0, IREE_WHOLE_BUFFER};
  CHECK(fails(iree_hal_command_buffer_push_descriptor_set(
      command_buffer, executable_layout, 0, 1, &stray)));
  CHECK_OK(iree_hal_command_buffer_push_descriptor_set(
      command_buffer, executable_layout, 0, 3, bindings));
  CHECK_OK(
      iree_hal_command_buffer_dispatch(command_buffer, executable, 0, 1, 1, 1));
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  iree_hal_semaphore_t* done = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, 0, &done));
  uint64_t done_value = 1;
  iree_hal_submission_batch_t batch = {
      {0, NULL, NULL}, 1, &command_buffer, {1, &done, &done_value}};
  CHECK_OK(iree_hal_device_queue_submit(g_device, IREE_HAL_COMMAND_CATEGORY_ANY,
                                        IREE_HAL_QUEUE_AFFINITY_ANY, 1, &batch));
  CHECK_OK(iree_hal_semaphore_wait(done, 1, iree_infinite_timeout()));
  float got[4] = {0};
  CHECK_OK(iree_hal_buffer_map_read(out, 0, got, sizeof(got)));
  for (int i = 0; i < 4; ++i) CHECK(got[i] == a[i] + b[i]);

  iree_hal_semaphore_release(done);
  iree_hal_command_buffer_release(command_buffer);
  iree_hal_buffer_release(lhs);
  iree_hal_buffer_release(rhs);
  iree_hal_buffer_release(out);
  iree_hal_executable_release(executable);
  iree_hal_executable_layout_release(executable_layout);
  iree_hal_descriptor_set_layout_release(set_layout);
}

int main(void) {
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  CHECK_OK(iree_hal_register_all_available_drivers(registry));
  CHECK_OK(iree_hal_create_device(registry,
                                  iree_make_cstring_view("local-sync"),
                                  iree_allocator_system(), &g_device));
  iree_hal_executable_cache_t* cache = NULL;
  if (g_device) {
    CHECK_OK(iree_hal_executable_cache_create(
        g_device, iree_make_cstring_view("default"), iree_loop_inline(NULL),
        &cache));
  }
  if (cache) {
#if defined(__x86_64__) && defined(__linux__)
    test_cache_formats_and_refusals(cache);
    test_embedded_elf_dispatch(cache);
#endif
    iree_hal_executable_cache_release(cache);
  }
  iree_hal_device_release(g_device);
  iree_hal_driver_registry_free(registry);
  return harness_finish();
}
