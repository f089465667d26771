#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds and runs a separate project that
# uses find_package(notionsync CONFIG) against that prefix only. Its program is named after its
# folder.
#   run_consumer.sh BUILD_DIR CONSUMER_DIR [FORBIDDEN_LIBRARY]
# With FORBIDDEN_LIBRARY (e.g. pqxx), the consumer fails if its configuration looked that library
# up (its CMake cache names it) or its link names it.
set -euo pipefail
build_dir="$1"
source_dir="$2"
forbidden="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="${CONSUMER_CXX_FLAGS:-}" \
  -DCMAKE_EXE_LINKER_FLAGS="${CONSUMER_CXX_FLAGS:-}" >/dev/null
cmake --build "$work/build" >/dev/null
if [ -n "$forbidden" ] &&
  grep -qi -- "$forbidden" "$work/build/build.ninja" "$work/build/CMakeCache.txt"; then
  echo "the consumer looks up or links $forbidden:" >&2
  grep -i -- "$forbidden" "$work/build/build.ninja" "$work/build/CMakeCache.txt" >&2
  exit 1
fi
"$work/build/$(basename "$source_dir")"
