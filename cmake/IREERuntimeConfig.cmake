# CMake package configuration for the Rust IREE runtime.
#
#   find_package(IREERuntime REQUIRED)
#   target_link_libraries(my_app PRIVATE iree::runtime)         # shared
#   target_link_libraries(my_app PRIVATE iree::runtime_static)  # static
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

unset(_iree_runtime_file)
unset(_iree_runtime_prefix)
