// Shared objects (dynamic libraries) loaded at runtime.
//
// The functions are declared in iree/generated/api.h:
//   iree_dynamic_library_load_from_file(file_path, flags, allocator, out)
//   iree_dynamic_library_load_from_files(count, search_paths, flags,
//                                        allocator, out)
//       Opens the first path the system loader accepts; paths may be
//       absolute, relative or bare names found through the platform's search
//       rules (LD_LIBRARY_PATH and friends). IREE_STATUS_NOT_FOUND when none
//       loads. Symbols of one library never resolve against another.
//   iree_dynamic_library_load_from_memory(identifier, buffer, flags,
//                                         allocator, out)
//       Loads an image held in memory (written to a temp file, then opened;
//       |identifier| names it for tools). The environment variable
//       IREE_PRESERVE_DYLIB_TEMP_FILES keeps the temp files: "1" keeps them
//       in $TMPDIR (default /tmp), any other value names the directory.
//   iree_dynamic_library_retain / iree_dynamic_library_release
//       Reference counting; the library is unloaded with its last reference.
//   iree_dynamic_library_lookup_symbol(library, symbol_name, out_fn)
//       Address of an exported symbol, IREE_STATUS_NOT_FOUND if absent.
//   iree_dynamic_library_attach_symbols_from_file / _from_memory
//       Registers a debug database (PDB/DWARF) with the platform's symbol
//       store when it has one; succeeds without effect otherwise.

#ifndef IREE_BASE_INTERNAL_DYNAMIC_LIBRARY_H_
#define IREE_BASE_INTERNAL_DYNAMIC_LIBRARY_H_

#include <stdint.h>

#include "iree/base/api.h"

#endif  // IREE_BASE_INTERNAL_DYNAMIC_LIBRARY_H_
