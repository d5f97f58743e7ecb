// The HAL buffer C API from C: the heap allocator and its statistics,
// bad arguments (NULL, zero sizes, ranges past the end, wrong memory types
// and access) with their documented statuses, subspans of subspans,
// mapping, host import whose release callback fires exactly once, buffer
// views (create, queries, reshape, allocate with initial data) and their
// text form.
#include <stdlib.h>

#include "harness.h"
#include "iree/hal/api.h"

// Whether |status| is an error; consumes it.
static bool fails(iree_status_t status) {
  bool failed = !iree_status_is_ok(status);
  iree_status_ignore(status);
  return failed;
}

static iree_hal_allocator_t* make_heap(void) {
  iree_hal_allocator_t* allocator = NULL;
  CHECK_OK(iree_hal_allocator_create_heap(iree_make_cstring_view("test"),
                                          iree_allocator_system(),
                                          iree_allocator_system(), &allocator));
  return allocator;
}

static iree_hal_buffer_params_t host_params(void) {
  iree_hal_buffer_params_t params = {0};
  params.type = IREE_HAL_MEMORY_TYPE_HOST_LOCAL;
  iree_hal_buffer_params_canonicalize(&params);
  return params;
}

static void test_allocate_and_statistics(void) {
  iree_hal_allocator_t* allocator = make_heap();
  iree_hal_buffer_t* buffer = NULL;
  uint8_t initial[4] = {1, 2, 3, 4};
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 16, iree_make_const_byte_span(initial, 4),
      &buffer));
  CHECK(iree_hal_buffer_byte_length(buffer) == 16);
  CHECK(iree_hal_buffer_allocation_size(buffer) == 16);
  CHECK(iree_hal_buffer_memory_type(buffer) & IREE_HAL_MEMORY_TYPE_HOST_VISIBLE);
  CHECK(iree_hal_buffer_allowed_access(buffer) == IREE_HAL_MEMORY_ACCESS_ALL);
  uint8_t out[16];
  memset(out, 0xFF, sizeof(out));
  CHECK_OK(iree_hal_buffer_map_read(buffer, 0, out, sizeof(out)));
  CHECK(out[0] == 1 && out[3] == 4 && out[4] == 0 && out[15] == 0);

  iree_hal_allocator_statistics_t stats;
  iree_hal_allocator_query_statistics(allocator, &stats);
  CHECK(stats.host_bytes_allocated == 16 && stats.host_bytes_freed == 0);
  // The buffer outlives its allocator's last C reference.
  iree_hal_allocator_release(allocator);
  CHECK_OK(iree_hal_buffer_map_zero(buffer, 0, IREE_WHOLE_BUFFER));
  iree_hal_buffer_release(buffer);

  allocator = make_heap();
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 8, iree_const_byte_span_empty(), &buffer));
  iree_hal_buffer_release(buffer);
  iree_hal_allocator_query_statistics(allocator, &stats);
  CHECK(stats.host_bytes_allocated == 8 && stats.host_bytes_freed == 8);
  CHECK(stats.host_bytes_peak == 8);
  iree_string_builder_t builder;
  iree_string_builder_initialize(iree_allocator_system(), &builder);
  CHECK_OK(iree_hal_allocator_statistics_format(&stats, &builder));
  CHECK(strstr(iree_string_builder_buffer(&builder), "HOST_LOCAL") != NULL);
  iree_string_builder_deinitialize(&builder);

  // Zero-sized buffers are fine; absurd sizes are refused.
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 0, iree_const_byte_span_empty(), &buffer));
  CHECK(iree_hal_buffer_byte_length(buffer) == 0);
  iree_hal_buffer_release(buffer);
  buffer = (iree_hal_buffer_t*)0x1;
  CHECK_CODE(IREE_STATUS_RESOURCE_EXHAUSTED,
             iree_hal_allocator_allocate_buffer(allocator, host_params(),
                                                (iree_device_size_t)-2,
                                                iree_const_byte_span_empty(),
                                                &buffer));
  CHECK(buffer == NULL);
  iree_hal_allocator_release(allocator);
}

static void test_bad_arguments(void) {
  iree_hal_allocator_t* allocator = make_heap();
  iree_hal_buffer_t* buffer = NULL;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_allocator_allocate_buffer(NULL, host_params(), 4,
                                                iree_const_byte_span_empty(),
                                                &buffer));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_allocator_allocate_buffer(allocator, host_params(), 4,
                                                iree_const_byte_span_empty(),
                                                NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_allocator_create_heap(iree_make_cstring_view("x"),
                                            iree_allocator_system(),
                                            iree_allocator_system(), NULL));
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 16, iree_const_byte_span_empty(), &buffer));

  uint8_t data[32] = {0};
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_read(NULL, 0, data, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_read(buffer, 0, NULL, 4));
  CHECK_OK(iree_hal_buffer_map_read(buffer, 0, NULL, 0));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_map_read(buffer, 8, data, 9));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_map_write(buffer, 17, data, 1));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_map_write(buffer, 1, data, (iree_device_size_t)-2));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE, iree_hal_buffer_map_zero(buffer, 4, 13));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE, iree_hal_buffer_validate_range(buffer, 20, 0));
  CHECK_OK(iree_hal_buffer_validate_range(buffer, 16, 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_fill(buffer, 0, 4, data, 3));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_fill(buffer, 0, 4, NULL, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_fill(buffer, 2, 4, data, 4));  // unaligned
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_map_copy(buffer, 0, buffer, 4, 8));  // overlap
  iree_hal_buffer_t* no_subspan = (iree_hal_buffer_t*)0x1;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_subspan(NULL, 0, 4, &no_subspan));
  CHECK(no_subspan == NULL);

  // Wrong memory types and access.
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_validate_memory_type(
                 IREE_HAL_MEMORY_TYPE_HOST_LOCAL,
                 IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL));
  CHECK_OK(iree_hal_buffer_validate_memory_type(
      IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL, IREE_HAL_MEMORY_TYPE_DEVICE_VISIBLE));
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_validate_access(IREE_HAL_MEMORY_ACCESS_READ,
                                             IREE_HAL_MEMORY_ACCESS_WRITE));
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_validate_usage(IREE_HAL_BUFFER_USAGE_TRANSFER,
                                            IREE_HAL_BUFFER_USAGE_DISPATCH));

  iree_hal_buffer_t* read_only = NULL;
  iree_hal_buffer_params_t params = host_params();
  params.access = IREE_HAL_MEMORY_ACCESS_READ;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, params, 8, iree_const_byte_span_empty(), &read_only));
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_map_write(read_only, 0, data, 4));
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_map_copy(buffer, 0, read_only, 0, 4));
  iree_hal_buffer_mapping_t mapping;
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_map_range(read_only, IREE_HAL_MAPPING_MODE_SCOPED,
                                       IREE_HAL_MEMORY_ACCESS_WRITE, 0, 4,
                                       &mapping));
  CHECK(mapping.contents.data == NULL && mapping.buffer == NULL);
  CHECK_OK(iree_hal_buffer_map_range(read_only, IREE_HAL_MAPPING_MODE_SCOPED,
                                     IREE_HAL_MEMORY_ACCESS_READ, 2, 4,
                                     &mapping));
  CHECK(mapping.contents.data_length == 4);
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_flush_range(&mapping, 0, 4));
  CHECK_OK(iree_hal_buffer_invalidate_range(&mapping, 0, 4));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_invalidate_range(&mapping, 2, 3));
  iree_byte_span_t span;
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_hal_buffer_mapping_subspan(
                 &mapping, IREE_HAL_MEMORY_ACCESS_WRITE, 0, 1, &span));
  CHECK_OK(iree_hal_buffer_unmap_range(&mapping));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_buffer_unmap_range(&mapping));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT, iree_hal_buffer_unmap_range(NULL));
  iree_hal_buffer_release(read_only);

  // NULL queries return zero values without crashing.
  CHECK(iree_hal_buffer_byte_length(NULL) == 0);
  CHECK(iree_hal_buffer_allocated_buffer(NULL) == NULL);
  iree_hal_buffer_retain(NULL);
  iree_hal_buffer_release(NULL);
  iree_hal_allocator_release(NULL);
  iree_hal_buffer_view_release(NULL);

  iree_hal_buffer_release(buffer);
  iree_hal_allocator_release(allocator);
}

static void test_subspans_and_mapping(void) {
  iree_hal_allocator_t* allocator = make_heap();
  iree_hal_buffer_t* buffer = NULL;
  uint8_t bytes[64];
  for (int i = 0; i < 64; ++i) bytes[i] = (uint8_t)i;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 64, iree_make_const_byte_span(bytes, 64),
      &buffer));
  iree_hal_buffer_t* outer = NULL;
  CHECK_OK(iree_hal_buffer_subspan(buffer, 8, 32, &outer));
  iree_hal_buffer_t* inner = NULL;
  CHECK_OK(iree_hal_buffer_subspan(outer, 4, IREE_WHOLE_BUFFER, &inner));
  CHECK(iree_hal_buffer_byte_offset(inner) == 12);
  CHECK(iree_hal_buffer_byte_length(inner) == 28);
  CHECK(iree_hal_buffer_allocated_buffer(inner) == buffer);
  CHECK(iree_hal_buffer_allocated_buffer(buffer) == buffer);
  CHECK(iree_hal_buffer_test_overlap(outer, 0, IREE_WHOLE_BUFFER, inner, 0,
                                     IREE_WHOLE_BUFFER) ==
        IREE_HAL_BUFFER_OVERLAP_PARTIAL);
  CHECK(iree_hal_buffer_test_overlap(inner, 0, 4, buffer, 12, 4) ==
        IREE_HAL_BUFFER_OVERLAP_COMPLETE);
  iree_hal_buffer_t* whole = NULL;
  CHECK_OK(iree_hal_buffer_subspan(buffer, 0, IREE_WHOLE_BUFFER, &whole));
  CHECK(whole == buffer);
  iree_hal_buffer_release(whole);
  iree_hal_buffer_t* none = (iree_hal_buffer_t*)0x1;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_subspan(outer, 30, 4, &none));
  CHECK(none == NULL);

  uint8_t out[4];
  CHECK_OK(iree_hal_buffer_map_read(inner, 0, out, 4));
  CHECK(out[0] == 12 && out[3] == 15);
  uint16_t pattern = 0xABCD;
  CHECK_OK(iree_hal_buffer_map_fill(inner, 0, 4, &pattern, 2));
  CHECK_OK(iree_hal_buffer_map_read(buffer, 12, out, 4));
  CHECK(out[0] == 0xCD && out[1] == 0xAB && out[3] == 0xAB);

  // The allocated buffer's handle may be retained beyond the subspan.
  iree_hal_buffer_t* parent = iree_hal_buffer_allocated_buffer(inner);
  iree_hal_buffer_retain(parent);
  iree_hal_buffer_release(buffer);
  iree_hal_buffer_release(outer);

  iree_hal_buffer_mapping_t mapping;
  CHECK_OK(iree_hal_buffer_map_range(inner, IREE_HAL_MAPPING_MODE_SCOPED,
                                     IREE_HAL_MEMORY_ACCESS_WRITE, 4, 8,
                                     &mapping));
  CHECK(mapping.contents.data_length == 8);
  memset(mapping.contents.data, 0x5A, 8);
  CHECK_OK(iree_hal_buffer_flush_range(&mapping, 0, IREE_WHOLE_BUFFER));
  iree_byte_span_t span;
  CHECK_OK(iree_hal_buffer_mapping_subspan(
      &mapping, IREE_HAL_MEMORY_ACCESS_WRITE, 6, IREE_WHOLE_BUFFER, &span));
  CHECK(span.data_length == 2 && span.data == mapping.contents.data + 6);
  CHECK_OK(iree_hal_buffer_unmap_range(&mapping));
  CHECK_OK(iree_hal_buffer_map_read(parent, 16, out, 4));
  CHECK(out[0] == 0x5A && out[3] == 0x5A);

  iree_hal_buffer_t* target = NULL;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      allocator, host_params(), 8, iree_const_byte_span_empty(), &target));
  CHECK_OK(iree_hal_buffer_map_copy(parent, 60, target, 0, IREE_WHOLE_BUFFER));
  CHECK_OK(iree_hal_buffer_map_read(target, 0, out, 4));
  CHECK(out[0] == 60 && out[3] == 63);
  iree_hal_buffer_release(target);

  iree_hal_buffer_release(inner);
  iree_hal_buffer_release(parent);
  iree_hal_allocator_statistics_t stats;
  iree_hal_allocator_query_statistics(allocator, &stats);
  CHECK(stats.host_bytes_freed == 72);
  iree_hal_allocator_release(allocator);
}

typedef struct {
  int calls;
  iree_hal_buffer_t* buffer;
} release_state_t;

static void on_release(void* user_data, iree_hal_buffer_t* buffer) {
  release_state_t* state = (release_state_t*)user_data;
  ++state->calls;
  state->buffer = buffer;
}

static void test_import(void) {
  iree_hal_allocator_t* allocator = make_heap();
  void* memory = aligned_alloc(64, 128);
  memset(memory, 7, 128);
  iree_hal_external_buffer_t external = {0};
  external.type = IREE_HAL_EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION;
  external.size = 128;
  external.handle.host_allocation.ptr = memory;
  release_state_t state = {0, NULL};
  iree_hal_buffer_release_callback_t callback = {on_release, &state};
  iree_hal_buffer_t* buffer = NULL;
  CHECK_OK(iree_hal_allocator_import_buffer(allocator, host_params(), &external,
                                            callback, &buffer));
  iree_hal_buffer_t* sub = NULL;
  CHECK_OK(iree_hal_buffer_subspan(buffer, 64, 64, &sub));
  uint8_t out[2];
  CHECK_OK(iree_hal_buffer_map_read(sub, 0, out, 2));
  CHECK(out[0] == 7);
  iree_hal_external_buffer_t exported;
  CHECK_OK(iree_hal_allocator_export_buffer(
      allocator, buffer, IREE_HAL_EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION, 0,
      &exported));
  CHECK(exported.handle.host_allocation.ptr == memory && exported.size == 128);
  CHECK_CODE(IREE_STATUS_UNAVAILABLE,
             iree_hal_allocator_export_buffer(
                 allocator, buffer, IREE_HAL_EXTERNAL_BUFFER_TYPE_OPAQUE_FD, 0,
                 &exported));
  iree_hal_buffer_retain(buffer);
  iree_hal_buffer_release(buffer);
  iree_hal_buffer_release(buffer);
  CHECK(state.calls == 0);  // the subspan keeps the import alive
  iree_hal_buffer_t* expected = buffer;
  iree_hal_buffer_release(sub);
  CHECK(state.calls == 1);
  CHECK(state.buffer == expected);

  // A failed import leaves the memory to the caller: no callback.
  release_state_t failed = {0, NULL};
  iree_hal_buffer_release_callback_t failed_callback = {on_release, &failed};
  external.handle.host_allocation.ptr = (uint8_t*)memory + 1;
  external.size = 8;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_allocator_import_buffer(allocator, host_params(),
                                              &external, failed_callback,
                                              &buffer));
  external.type = IREE_HAL_EXTERNAL_BUFFER_TYPE_OPAQUE_FD;
  CHECK_CODE(IREE_STATUS_UNAVAILABLE,
             iree_hal_allocator_import_buffer(allocator, host_params(),
                                              &external, failed_callback,
                                              &buffer));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_allocator_import_buffer(allocator, host_params(), NULL,
                                              failed_callback, &buffer));
  CHECK(failed.calls == 0);
  free(memory);
  iree_hal_allocator_release(allocator);
}

static void test_buffer_views(void) {
  iree_hal_allocator_t* allocator = make_heap();
  const iree_hal_dim_t shape[2] = {2, 3};
  const float values[6] = {1, 2, 3, 4, 5, 6};
  iree_hal_buffer_view_t* view = NULL;
  CHECK_OK(iree_hal_buffer_view_allocate_buffer(
      allocator, shape, 2, IREE_HAL_ELEMENT_TYPE_FLOAT_32,
      IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR, host_params(),
      iree_make_const_byte_span(values, sizeof(values)), &view));
  CHECK(iree_hal_buffer_view_shape_rank(view) == 2);
  CHECK(iree_hal_buffer_view_shape_dims(view)[1] == 3);
  CHECK(iree_hal_buffer_view_shape_dim(view, 0) == 2);
  CHECK(iree_hal_buffer_view_element_count(view) == 6);
  CHECK(iree_hal_buffer_view_element_size(view) == 4);
  CHECK(iree_hal_buffer_view_byte_length(view) == 24);
  CHECK(iree_hal_buffer_view_element_type(view) == IREE_HAL_ELEMENT_TYPE_FLOAT_32);
  iree_device_size_t offset = 0;
  const iree_hal_dim_t indices[2] = {1, 2};
  CHECK_OK(iree_hal_buffer_view_compute_offset(view, indices, 2, &offset));
  CHECK(offset == 20);
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_view_compute_offset(view, shape, 2, &offset));

  char text[64];
  iree_host_size_t length = 0;
  CHECK_OK(iree_hal_buffer_view_format(view, SIZE_MAX, sizeof(text), text, &length));
  CHECK(strcmp(text, "2x3xf32=[1 2 3][4 5 6]") == 0 && length == 22);
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_view_format(view, SIZE_MAX, 22, text, &length));
  CHECK(length == 22);

  iree_hal_dim_t dims[1];
  iree_host_size_t rank = 0;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_buffer_view_shape(view, 1, dims, &rank));
  CHECK(rank == 2);
  const iree_hal_dim_t flat[2] = {3, 2};
  CHECK_OK(iree_hal_buffer_view_reshape(view, flat, 2));
  CHECK(iree_hal_buffer_view_shape_dims(view)[0] == 3);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_reshape(view, flat, 1));
  iree_hal_buffer_view_retain(view);
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_buffer_view_reshape(view, shape, 2));
  iree_hal_buffer_view_release(view);

  // The view's buffer may be retained past the view.
  iree_hal_buffer_t* buffer = iree_hal_buffer_view_buffer(view);
  iree_hal_buffer_retain(buffer);
  iree_hal_buffer_view_release(view);
  float first = 0;
  CHECK_OK(iree_hal_buffer_map_read(buffer, 0, &first, sizeof(first)));
  CHECK(first == 1.0f);

  // Views of an existing buffer; bad shapes.
  const iree_hal_dim_t negative[1] = {-1};
  view = (iree_hal_buffer_view_t*)0x1;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_create(buffer, negative, 1,
                                         IREE_HAL_ELEMENT_TYPE_FLOAT_32,
                                         IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
                                         iree_allocator_system(), &view));
  CHECK(view == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_create(buffer, NULL, 2,
                                         IREE_HAL_ELEMENT_TYPE_FLOAT_32,
                                         IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
                                         iree_allocator_system(), &view));
  const iree_hal_dim_t six[1] = {6};
  CHECK_OK(iree_hal_buffer_view_create(buffer, six, 1,
                                       IREE_HAL_ELEMENT_TYPE_SINT_32,
                                       IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR,
                                       iree_allocator_system(), &view));
  CHECK(iree_hal_buffer_view_buffer(view) == buffer);
  iree_hal_buffer_release(buffer);
  iree_hal_buffer_view_release(view);

  // Parsing: values, splats, hostile shapes.
  CHECK_OK(iree_hal_buffer_view_parse(iree_make_cstring_view("4xi8=7"),
                                      allocator, &view));
  CHECK_OK(iree_hal_buffer_view_format(view, SIZE_MAX, sizeof(text), text, &length));
  CHECK(strcmp(text, "4xi8=7 7 7 7") == 0);
  iree_hal_buffer_view_release(view);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_parse(iree_make_cstring_view("2x-2xf32=1"),
                                        allocator, &view));
  CHECK(fails(iree_hal_buffer_view_parse(
      iree_make_cstring_view("99999999999x99999999999x99999999999xf32=1"),
      allocator, &view)));
  CHECK(view == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_buffer_view_parse(iree_make_cstring_view("2xf32=1"),
                                        NULL, &view));

  iree_device_size_t size = 0;
  CHECK_OK(iree_hal_buffer_compute_view_size(
      shape, 2, IREE_HAL_ELEMENT_TYPE_FLOAT_16,
      IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR, &size));
  CHECK(size == 12);
  iree_hal_allocator_release(allocator);
}

static iree_status_t fill_with_ones(iree_hal_buffer_mapping_t* mapping,
                                    void* user_data) {
  (void)user_data;
  memset(mapping->contents.data, 1, mapping->contents.data_length);
  return iree_ok_status();
}

static iree_status_t fail_generation(iree_hal_buffer_mapping_t* mapping,
                                     void* user_data) {
  (void)mapping;
  (void)user_data;
  return iree_make_status(IREE_STATUS_DATA_LOSS, "generator gave up");
}

static void test_generate(void) {
  iree_hal_allocator_t* allocator = make_heap();
  const iree_hal_dim_t shape[1] = {4};
  iree_hal_buffer_view_t* view = NULL;
  CHECK_OK(iree_hal_buffer_view_generate_buffer(
      allocator, shape, 1, IREE_HAL_ELEMENT_TYPE_UINT_8,
      IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR, host_params(), fill_with_ones,
      NULL, &view));
  char text[32];
  iree_host_size_t length = 0;
  CHECK_OK(iree_hal_buffer_view_format(view, SIZE_MAX, sizeof(text), text, &length));
  CHECK(strcmp(text, "4xui8=1 1 1 1") == 0);
  iree_hal_buffer_view_release(view);
  CHECK_CODE(IREE_STATUS_DATA_LOSS,
             iree_hal_buffer_view_generate_buffer(
                 allocator, shape, 1, IREE_HAL_ELEMENT_TYPE_UINT_8,
                 IREE_HAL_ENCODING_TYPE_DENSE_ROW_MAJOR, host_params(),
                 fail_generation, NULL, &view));
  CHECK(view == NULL);
  iree_hal_allocator_statistics_t stats;
  iree_hal_allocator_query_statistics(allocator, &stats);
  CHECK(stats.host_bytes_allocated == stats.host_bytes_freed);
  iree_hal_allocator_release(allocator);
}

static void test_formats(void) {
  iree_bitfield_string_temp_t temp;
  iree_string_view_t text =
      iree_hal_memory_type_format(IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL, &temp);
  CHECK(iree_string_view_equal(text, iree_make_cstring_view("DEVICE_LOCAL")));
  text = iree_hal_memory_access_format(IREE_HAL_MEMORY_ACCESS_ALL, &temp);
  CHECK(text.size > 0);
  iree_hal_element_type_t type = 0;
  CHECK_OK(iree_hal_parse_element_type(iree_make_cstring_view("bf16"), &type));
  CHECK(type == IREE_HAL_ELEMENT_TYPE_BFLOAT_16);
  CHECK(iree_hal_element_dense_byte_count(type) == 2);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_parse_element_type(iree_make_cstring_view("q9"), &type));
  iree_hal_dim_t dims[4];
  iree_host_size_t rank = 0;
  CHECK_OK(iree_hal_parse_shape(iree_make_cstring_view("4x5"), 4, dims, &rank));
  CHECK(rank == 2 && dims[1] == 5);
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_parse_shape(iree_make_cstring_view("1x2x3x4x5"), 4, dims,
                                  &rank));
  CHECK(rank == 5);
  CHECK(fails(iree_hal_parse_shape(
      iree_make_cstring_view("4294967296"), 4, dims, &rank)));
  iree_host_size_t length = 0;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_format_shape(dims, 2, 0, NULL, &length));
  CHECK(length == 3);
}

int main(void) {
  test_allocate_and_statistics();
  test_bad_arguments();
  test_subspans_and_mapping();
  test_import();
  test_buffer_views();
  test_generate();
  test_formats();
  return harness_finish();
}
