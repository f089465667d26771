# The Debian package of notionsync: the notionsync and notion-emulator programs, and the library
# (headers, static libraries, CMake package config) for find_package(notionsync).
#
#   cmake --build build/release && (cd build/release && cpack -G DEB)
#
# Included at the end of the top-level CMakeLists.txt, after every install rule. Run as a script
# (cmake -DNOTIONSYNC_BINARY_DIR=... -P Packaging.cmake) it is the `package` test: it builds the
# .deb and checks its contents.

if(CMAKE_SCRIPT_MODE_FILE)
  set(output_dir "${NOTIONSYNC_BINARY_DIR}/package-test")
  file(REMOVE_RECURSE "${output_dir}")
  execute_process(
    COMMAND cpack -G DEB --config "${NOTIONSYNC_BINARY_DIR}/CPackConfig.cmake" -B "${output_dir}"
    WORKING_DIRECTORY "${NOTIONSYNC_BINARY_DIR}"
    RESULT_VARIABLE cpack_result OUTPUT_VARIABLE cpack_output ERROR_VARIABLE cpack_output)
  if(NOT cpack_result EQUAL 0)
    message(FATAL_ERROR "cpack -G DEB failed:\n${cpack_output}")
  endif()
  file(GLOB packages "${output_dir}/notionsync_*.deb")
  list(LENGTH packages package_count)
  if(NOT package_count EQUAL 1)
    message(FATAL_ERROR "expected one notionsync_*.deb in ${output_dir}, found: ${packages}")
  endif()
  execute_process(COMMAND dpkg-deb --contents ${packages} OUTPUT_VARIABLE contents
                  RESULT_VARIABLE contents_result)
  execute_process(COMMAND dpkg-deb --field ${packages} Package Version Depends
                  OUTPUT_VARIABLE fields)
  if(NOT contents_result EQUAL 0)
    message(FATAL_ERROR "dpkg-deb --contents ${packages} failed")
  endif()
  foreach(expected IN ITEMS
          " ./usr/bin/notionsync\n"
          " ./usr/bin/notion-emulator\n"
          "/cmake/notionsync/notionsyncConfig.cmake\n"
          "/cmake/notionsync/notionsyncTargets.cmake\n"
          "/include/notionsync/")
    string(FIND "${contents}" "${expected}" found)
    if(found EQUAL -1)
      message(FATAL_ERROR "${packages} lacks ${expected}; it holds:\n${contents}")
    endif()
  endforeach()
  if(NOT contents MATCHES " \\./usr/lib/([a-z0-9_-]+/)?cmake/notionsync/notionsyncConfig\\.cmake\n")
    message(FATAL_ERROR "notionsyncConfig.cmake is not under /usr/lib:\n${contents}")
  endif()
  message(STATUS "${packages}\n${fields}")
  return()
endif()

if(TARGET notion-emulator)
  install(TARGETS notion-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME notionsync)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "notionsync developers")
set(CPACK_PACKAGE_CONTACT "notionsync developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "notionsync developers")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the text under it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "notionsync reads rows from CSV, JSONL, SQLite or PostgreSQL and creates, updates and trashes \
Notion pages so that a database matches them, tracking what it wrote in a state store.

This package holds the notionsync command, the notion-emulator local Notion API emulator, and \
the C++ library (headers, static libraries and CMake package config).")
# The programs' shared libraries (libcurl, libsqlite3, libpqxx, toml++, cpp-httplib) come from
# dpkg-shlibdeps; linking the static libraries needs the development packages as well.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libcurl4-openssl-dev, libsqlite3-dev, nlohmann-json3-dev, libxxhash-dev, libutf8proc-dev, \
pkg-config")
if(NOTIONSYNC_WITH_POSTGRES)
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", libpqxx-dev")
endif()
include(CPack)

if(NOTIONSYNC_BUILD_TESTS)
  add_test(NAME package_deb
           COMMAND ${CMAKE_COMMAND} -DNOTIONSYNC_BINARY_DIR=${CMAKE_BINARY_DIR}
                   -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(package_deb PROPERTIES LABELS package TIMEOUT 300)
endif()
