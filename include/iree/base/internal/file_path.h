// Lexical file path helpers. Nothing here touches the file system: no
// symlink resolution, no current-directory lookups.
//
// The functions are declared in iree/generated/api.h:
//   iree_file_path_canonicalize(path, path_length)
//       Rewrites |path| in place into the platform's form (`/` becomes `\`
//       on Windows) with runs of separators collapsed, NUL-terminates it and
//       returns the new length (never longer). |path| must have room for the
//       terminator at path[path_length].
//   iree_file_path_join(lhs, rhs, allocator, out_path)
//       Joins with exactly one `/` between non-empty parts ("foo" + "bar" and
//       "/foo/" + "/bar" give "foo/bar" and "/foo/bar"); the NUL-terminated
//       result is allocated from |allocator| and owned by the caller.
//   iree_file_path_split(path, out_dirname, out_basename)
//       Splits at the last `/`; a lone leading `/` stays with the dirname.
//   iree_file_path_dirname(path) / iree_file_path_basename(path)
//       The parts iree_file_path_split produces.
//   iree_file_path_split_basename(path, out_stem, out_extension)
//       Splits the basename at its last `.`; with no `.` (or a trailing one)
//       the extension is empty.
//   iree_file_path_stem(path) / iree_file_path_extension(path)
//       The parts iree_file_path_split_basename produces.
// Returned views point into |path|'s storage.

#ifndef IREE_BASE_INTERNAL_FILE_PATH_H_
#define IREE_BASE_INTERNAL_FILE_PATH_H_

#include "iree/base/api.h"

#endif  // IREE_BASE_INTERNAL_FILE_PATH_H_
