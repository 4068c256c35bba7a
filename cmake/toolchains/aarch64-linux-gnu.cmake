# Cross-compiles for 64-bit ARM Linux (the arm64 image, Oracle A1) with Debian's cross toolchain
# (crossbuild-essential-arm64) against the arm64 -dev packages of a Debian 12 multiarch system:
# headers in /usr/include, libraries and CMake packages in /usr/lib/aarch64-linux-gnu.
#
#   cmake --preset release-arm64 && cmake --build --preset release-arm64
#
# deploy/docker/build-arm64.sh runs this in a container made for it, because on a machine that
# has the amd64 -dev packages installed, Debian 12 cannot install libpoco-dev:arm64 beside
# them (libpoco-dev, libpq-dev, libyaml-cpp-dev and libhttp-parser-dev are not Multi-Arch: same).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# pkg-config (libpq, brotli) must read the arm64 .pc files, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Anything the build runs that it built goes through qemu-user (Debian: qemu-user-static).
find_program(PORTICO_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(PORTICO_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PORTICO_QEMU_AARCH64})
endif()
