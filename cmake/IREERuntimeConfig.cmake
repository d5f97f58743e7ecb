# CMake package configuration for the Rust IREE runtime.
#
#   find_package(IREERuntime REQUIRED)
#   target_link_libraries(my_app PRIVATE iree::runtime)         # shared
#   target_link_libraries(my_app PRIVATE iree::runtime_static)  # static
#
# Upstream IREE's build names each library of the runtime separately
# (iree::base, iree::vm, iree_runtime_unified, ...); this library is all of
# them in one, so those names are defined too, each linking iree::runtime,
# and a CMakeLists.txt written against upstream's targets links unchanged.
#
# Installed by tools/install.sh as PREFIX/lib/cmake/IREERuntime/; every path
# is derived from this file's own location, so the install tree can be moved.

cmake_minimum_required(VERSION 3.13)

get_filename_component(_iree_runtime_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(IREERuntime_INCLUDE_DIRS "${_iree_runtime_prefix}/include")
set(IREERuntime_LIBRARY_DIR "${_iree_runtime_prefix}/lib")

include(CMakeFindDependencyMacro)
# The static archive carries the Rust standard library, which needs these
# system libraries at link time (the shared library records them itself).
find_dependency(Threads)

foreach(_iree_runtime_file
    "${IREERuntime_INCLUDE_DIRS}/iree/base/api.h"
    "${IREERuntime_LIBRARY_DIR}/libiree_runtime.so.0"
    "${IREERuntime_LIBRARY_DIR}/libiree_runtime.a")
  if(NOT EXISTS "${_iree_runtime_file}")
    set(IREERuntime_FOUND FALSE)
    set(IREERuntime_NOT_FOUND_MESSAGE
        "IREERuntime install is incomplete: ${_iree_runtime_file} is missing")
    return()
  endif()
endforeach()

if(NOT TARGET iree::runtime)
  add_library(iree::runtime SHARED IMPORTED)
  set_target_properties(iree::runtime PROPERTIES
    IMPORTED_LOCATION "${IREERuntime_LIBRARY_DIR}/libiree_runtime.so.0"
    IMPORTED_SONAME "libiree_runtime.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${IREERuntime_INCLUDE_DIRS}")
endif()

if(NOT TARGET iree::runtime_static)
  add_library(iree::runtime_static STATIC IMPORTED)
  set_target_properties(iree::runtime_static PROPERTIES
    IMPORTED_LOCATION "${IREERuntime_LIBRARY_DIR}/libiree_runtime.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "${IREERuntime_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m;rt;util;gcc_s")
endif()

# Upstream's targets, as its iree_cc_library() names them: package
# iree/<pkg>/ and library <name> give iree::<pkg>::<name> and
# iree_<pkg>_<name>, plus iree::<pkg> when <name> is the package's last
# path component. Only libraries whose headers this install ships (or, for
# iree/runtime, whose API is on the way) are listed.
set(_iree_runtime_upstream_libraries
  "runtime=runtime,impl,unified"
  "base=base,core_headers,loop_sync,target_platform,tracing"
  "base::internal=internal,arena,atomic_slist,cpu,dynamic_library,event_pool,file_io,file_path,flags,fpu_state,main,prng,span,synchronization,threading,wait_handle"
  "vm=vm,impl,cc,bytecode_module")
foreach(_iree_runtime_entry IN LISTS _iree_runtime_upstream_libraries)
  string(REGEX MATCH "^[^=]*" _iree_runtime_package "${_iree_runtime_entry}")
  string(REGEX REPLACE "^[^=]*=" "" _iree_runtime_package_libs "${_iree_runtime_entry}")
  string(REPLACE "," ";" _iree_runtime_package_libs "${_iree_runtime_package_libs}")
  string(REGEX REPLACE "^.*::" "" _iree_runtime_last "${_iree_runtime_package}")
  string(REPLACE "::" "_" _iree_runtime_flat "${_iree_runtime_package}")
  foreach(_iree_runtime_lib IN LISTS _iree_runtime_package_libs)
    set(_iree_runtime_names
      "iree::${_iree_runtime_package}::${_iree_runtime_lib}"
      "iree_${_iree_runtime_flat}_${_iree_runtime_lib}")
    if(_iree_runtime_lib STREQUAL _iree_runtime_last)
      list(APPEND _iree_runtime_names "iree::${_iree_runtime_package}")
    endif()
    foreach(_iree_runtime_name IN LISTS _iree_runtime_names)
      if(NOT TARGET "${_iree_runtime_name}")
        # An INTERFACE IMPORTED target rather than an ALIAS: CMake before
        # 3.18 cannot alias a non-global imported target.
        add_library("${_iree_runtime_name}" INTERFACE IMPORTED)
        set_target_properties("${_iree_runtime_name}" PROPERTIES
          INTERFACE_LINK_LIBRARIES iree::runtime)
      endif()
    endforeach()
  endforeach()
endforeach()

unset(_iree_runtime_upstream_libraries)
unset(_iree_runtime_entry)
unset(_iree_runtime_package)
unset(_iree_runtime_package_libs)
unset(_iree_runtime_last)
unset(_iree_runtime_flat)
unset(_iree_runtime_lib)
unset(_iree_runtime_names)
unset(_iree_runtime_name)
unset(_iree_runtime_file)
unset(_iree_runtime_prefix)
