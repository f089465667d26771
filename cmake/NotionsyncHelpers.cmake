# Shared build settings for every notionsync target.

function(notionsync_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
endfunction()

# Declares a library module of the notionsync package: warnings on, public headers from include/,
# exported under notionsync::, and linked by the notionsync::notionsync umbrella.
function(notionsync_add_component name)
  add_library(${name} STATIC ${ARGN})
  add_library(notionsync::${name} ALIAS ${name})
  notionsync_set_warnings(${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  set_property(GLOBAL APPEND PROPERTY NOTIONSYNC_COMPONENTS ${name})
endfunction()

# A GoogleTest binary registered with CTest, one CTest entry per test case.
function(notionsync_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  notionsync_set_warnings(${name})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# Links mimalloc into a program, in place of glibc's malloc. A sync allocates and frees a few small
# strings per row on three threads (reading, declaring, reading tracked rows), and glibc's arenas
# serialise the frees of memory another thread allocated: the 100,000-row no-op sync of
# BENCHMARKS.md went from 0.18 s to 0.15 s with mimalloc alone. Programs only: the libraries leave
# the choice to the program that links them. Sanitizer builds keep their own allocator.
function(notionsync_use_fast_allocator target)
  if(NOT NOTIONSYNC_USE_MIMALLOC OR CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    return()
  endif()
  find_package(mimalloc CONFIG QUIET)
  if(TARGET mimalloc)
    # Linked as a shared library, it replaces malloc and free for the whole process, libraries
    # (libcurl, SQLite) included.
    target_link_libraries(${target} PRIVATE mimalloc)
  elseif(NOT NOTIONSYNC_MIMALLOC_WARNED)
    set(NOTIONSYNC_MIMALLOC_WARNED ON CACHE INTERNAL "")
    message(STATUS "mimalloc not found (Debian: libmimalloc-dev): programs use glibc's malloc")
  endif()
endfunction()
