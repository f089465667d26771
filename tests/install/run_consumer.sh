#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds and runs a separate project that
# uses find_package(notionsync CONFIG) against that prefix only.
set -euo pipefail
build_dir="$1"
source_dir="$(cd "$(dirname "$0")" && pwd)/consumer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="${CONSUMER_CXX_FLAGS:-}" \
  -DCMAKE_EXE_LINKER_FLAGS="${CONSUMER_CXX_FLAGS:-}" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
