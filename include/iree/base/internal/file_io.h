// Synchronous whole-file I/O: existence checks, reading a file (or stdin)
// into one allocation, and writing a buffer out.
//
// The functions are declared in iree/generated/api.h:
//   iree_file_exists(path)
//       OK when something exists at |path| (reading it may still fail),
//       IREE_STATUS_NOT_FOUND otherwise.
//   iree_file_read_contents(path, allocator, out_contents)
//       Reads the whole file into memory from |allocator|. The bytes start
//       on a 4096-byte boundary and are followed by a NUL (not counted in
//       data_length) so text can be used as a C string. Free with
//       iree_file_contents_free.
//   iree_file_write_contents(path, content)
//       Creates or truncates |path| and writes |content|.
//   iree_stdin_read_contents(allocator, out_contents)
//       As iree_file_read_contents, reading stdin until EOF.
//   iree_file_contents_deallocator(contents)
//       An allocator whose only valid operation is freeing
//       |contents|->buffer.data, which frees the whole |contents|; lets the
//       buffer be handed to APIs that take ownership through an allocator.
//   iree_file_contents_free(contents)
//       Releases |contents| (NULL is ignored).

#ifndef IREE_BASE_INTERNAL_FILE_IO_H_
#define IREE_BASE_INTERNAL_FILE_IO_H_

#include "iree/base/api.h"

#ifdef __cplusplus
extern "C" {
#endif

// One allocation: this header, then the file bytes. |buffer| and
// |const_buffer| are two views of the same span.
struct iree_file_contents_t {
  // Allocator the block came from (used by iree_file_contents_free).
  iree_allocator_t allocator;
  union {
    iree_byte_span_t buffer;
    iree_const_byte_span_t const_buffer;
  };
};

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_FILE_IO_H_
