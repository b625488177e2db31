#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR [CC] [CXX]
# Installs the zmem in BUILD_DIR into a temporary prefix and checks that a consumer can use it:
#   1. CMake: tests/install/consumer (find_package(zmem) + zmem::zmem / zmem::zmem_shared),
#      with the README's two examples built beside it; every program is run.
#   2. pkg-config: consumer/main.c built with `cc $(pkg-config --cflags --libs zmem)` (shared
#      library) and with libzmem.a plus `pkg-config --static` (the static library from C).
set -euo pipefail

build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
cc=${3:-cc}
cxx=${4:-c++}
work=$(mktemp -d "${TMPDIR:-/tmp}/zmem-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
consumer=$source/tests/install/consumer
# Where GNUInstallDirs put the libraries for this build (lib, or lib/<multiarch> under /usr).
lib=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
lib=${lib:-lib}

step() { printf '\n--- %s\n' "$*"; }

step "install $build into $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; exit 1; }
for f in include/zmem/zmem.h include/zmem/zmem.hpp include/zmem/heap.hpp include/zmem/zend_alloc.h \
  "$lib/libzmem.a" "$lib/libzmem.so" "$lib/cmake/zmem/zmemConfig.cmake" "$lib/cmake/zmem/zmemConfigVersion.cmake" \
  "$lib/cmake/zmem/zmemTargets.cmake" "$lib/pkgconfig/zmem.pc"; do
  [[ -e $prefix/$f ]] || { echo "not installed: $f" >&2; find "$prefix" >&2; exit 1; }
done

# The README's examples, taken from its first ```cpp and ```c blocks, so they stay compilable.
extract() { awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && /^```/ { exit } on' "$source/README.md"; }
mkdir -p "$work/readme"
extract cpp >"$work/readme/readme_example.cpp"
extract c >"$work/readme/readme_example.c"
for f in "$work"/readme/readme_example.*; do
  [[ -s $f ]] || { echo "README.md has no example for $f" >&2; exit 1; }
done

step "CMake consumer: find_package(zmem)"
cmake -S "$consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DZMEM_README_DIR="$work/readme"
cmake --build "$work/consumer" -j2
for exe in consumer_cpp consumer_c consumer_cpp_shared readme_example_cpp readme_example_c; do
  step "run $exe"
  "$work/consumer/$exe"
done

step "pkg-config: cc main.c \$(pkg-config --cflags --libs zmem)"
export PKG_CONFIG_PATH=$prefix/$lib/pkgconfig
pkg-config --modversion zmem
flags=$(pkg-config --cflags --libs zmem)
echo "flags: $flags"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -o "$work/pc_shared" "$consumer/main.c" $flags
LD_LIBRARY_PATH=$prefix/$lib "$work/pc_shared"

step "pkg-config --static: cc main.c libzmem.a"
libdir=$(pkg-config --variable=libdir zmem)
# Everything `--static --libs` names except -lzmem itself, which would pick the shared library.
private=$(pkg-config --static --libs-only-l zmem | tr ' ' '\n' | grep -vx -- '-lzmem' | tr '\n' ' ')
echo "flags: $(pkg-config --cflags zmem) $libdir/libzmem.a $private"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -o "$work/pc_static" "$consumer/main.c" $(pkg-config --cflags zmem) \
  "$libdir/libzmem.a" $private
if readelf -d "$work/pc_static" | grep -q 'libzmem\.so'; then
  echo "pc_static links libzmem.so, expected the archive" >&2
  exit 1
fi
"$work/pc_static"

step "install test passed"
