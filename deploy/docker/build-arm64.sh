#!/usr/bin/env bash
# Builds the linux/arm64 Portico image (Oracle A1 and other arm64 hosts) on an amd64 machine
# without compiling under emulation:
#
# 1. cross-arm64.Dockerfile: amd64 Debian 12 with the aarch64 cross toolchain and the arm64 -dev
#    packages of scripts/setup.sh (tag $PORTICO_CROSS_IMAGE, reused when present).
# 2. The release-arm64 preset (cmake/toolchains/aarch64-linux-gnu.cmake) built in it over a bind
#    mount of the repository into build/release-arm64, with ccache when CCACHE_DIR is set; the
#    runtime component installed into a staging tree and stripped, and its runtime packages
#    listed by runtime-packages.sh, as the Dockerfile's build stage does (with an `ldd` that
#    runs the arm64 loader through qemu-user).
# 3. The runtime stage of the repository's Dockerfile (the one description of the image's
#    shape), built for linux/arm64 FROM $PORTICO_ARM64_BASE with the staging tree in place of
#    the build stage. Its RUN steps run through qemu-user: only apt and useradd, no compiler.
#
#   deploy/docker/build-arm64.sh [TAG]      (default portico:arm64)
#
# Needs a Docker engine (DOCKER_HOST), qemu-user-static's binfmt handler for aarch64 with the F
# flag (`update-binfmts --display qemu-aarch64`), an amd64 Debian 12 image ($PORTICO_CROSS_BASE,
# default debian:bookworm) and an arm64 one ($PORTICO_ARM64_BASE); tests/arm64/run.sh makes
# both with debootstrap when they are missing. Prints `timing: <step>_s=<seconds>` lines.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tag=${1:-portico:arm64}
cross_base=${PORTICO_CROSS_BASE:-debian:bookworm}
cross_image=${PORTICO_CROSS_IMAGE:-portico-cross:arm64}
arm64_base=${PORTICO_ARM64_BASE:-portico/debian-arm64:bookworm-slim}
jobs=${BUILD_JOBS:-2}
out=$repo_root/build/arm64-image
export DOCKER_BUILDKIT=0  # the classic builder uses local base images as they are

log() { printf '[build-arm64] %s\n' "$*" >&2; }
fail() { printf '[build-arm64] FAIL: %s\n' "$*" >&2; exit 1; }

grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null ||
  fail "no qemu-aarch64 binfmt handler with the F flag (Debian: qemu-user-static)"
docker image inspect "$arm64_base" >/dev/null 2>&1 || fail "no arm64 base image $arm64_base"
[ "$(docker image inspect -f '{{.Architecture}}' "$arm64_base")" = arm64 ] ||
  fail "$arm64_base is not an arm64 image"

mkdir -p "$repo_root/build"
t0=$SECONDS
if ! docker image inspect "$cross_image" >/dev/null 2>&1; then
  log "making the cross-compiling image $cross_image from $cross_base"
  ctx=$(mktemp -d /tmp/portico-cross-ctx.XXXXXX)
  trap 'rm -rf "$ctx"' EXIT
  mkdir -p "$ctx/scripts"
  cp "$repo_root/scripts/setup.sh" "$ctx/scripts/"
  docker build --network host --force-rm -t "$cross_image" --build-arg CROSS_BASE="$cross_base" \
    -f "$repo_root/deploy/docker/cross-arm64.Dockerfile" "$ctx" >"$out.cross-image.log" 2>&1 ||
    { tail -30 "$out.cross-image.log" >&2; fail "building $cross_image failed"; }
fi
echo "timing: cross_image_s=$((SECONDS - t0))"

# The repository is mounted at its own path, so build/release-arm64 stays valid on the host and
# ccache's CCACHE_BASEDIR means the same there as here.
t0=$SECONDS
log "cross-compiling (preset release-arm64, $jobs jobs)"
rm -rf "$out"
ccache_opts=()
launcher=""
if [ -n "${CCACHE_DIR:-}" ]; then
  mkdir -p "$CCACHE_DIR"
  ccache_opts=(-v "$CCACHE_DIR:$CCACHE_DIR" -e CCACHE_DIR -e CCACHE_BASEDIR -e CCACHE_NOHASHDIR)
  launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
# runtime-packages.sh asks ldd, which knows only amd64 loaders: for arm64 files the arm64 loader
# lists the libraries itself (through qemu-user), finding libportico_sdk in the staging tree as
# the host finds it at run time (plugins have no RUNPATH of their own).
mkdir -p "$out/bin"
cat >"$out/bin/ldd" <<LDD
#!/bin/sh
exec /lib/ld-linux-aarch64.so.1 --library-path $out/staging/opt/portico/lib --list "\$@"
LDD
chmod 755 "$out/bin/ldd"
docker run --rm --network none --user "$(id -u):$(id -g)" -e HOME=/tmp \
  -v "$repo_root:$repo_root" -w "$repo_root" "${ccache_opts[@]}" "$cross_image" bash -ec "
    cmake --preset release-arm64 $launcher >/dev/null
    cmake --build --preset release-arm64 --parallel $jobs
    staging=$out/staging
    cmake --install build/release-arm64 --component runtime --prefix \$staging/opt/portico >/dev/null
    test -f \$staging/opt/portico/lib/portico/plugins/studio.so
    test -f \$staging/opt/portico/share/portico/studio/templates/layout.mustache
    test ! -e \$staging/opt/portico/lib/libportico_testkit.so
    rm -rf \$staging/opt/portico/share/portico/{www,locales,config,README.md}
    find \$staging -type f \( -name '*.so*' -o -perm -u+x \) \
      -exec aarch64-linux-gnu-strip --strip-unneeded {} +
    PATH=$out/bin:\$PATH deploy/docker/runtime-packages.sh \$staging \$staging/opt/portico \
      > \$staging/runtime-packages.txt
  " >"$out.cross-build.log" 2>&1 || { tail -40 "$out.cross-build.log" >&2; fail "cross build failed"; }
log "runtime packages: $(tr '\n' ' ' <"$out/staging/runtime-packages.txt")"
echo "timing: cross_build_s=$((SECONDS - t0))"

# The context: the staging tree, the site (with the repository's .dockerignore, so no .env gets
# in), the helper script, and the Dockerfile's runtime stage reading them instead of the
# build and site stages.
t0=$SECONDS
mkdir -p "$out/site" "$out/deploy/docker"
for d in config www locales; do
  if [ -d "$repo_root/$d" ]; then cp -a "$repo_root/$d" "$out/site/"; fi
done
cp "$repo_root/deploy/docker/admin-on-subnet.sh" "$out/deploy/docker/"
cp "$repo_root/.dockerignore" "$out/"
# shellcheck disable=SC2016 # ${BASE_IMAGE} is the Dockerfile's, not the shell's
{
  echo "# Generated by deploy/docker/build-arm64.sh from the runtime stage of the Dockerfile."
  echo "ARG BASE_IMAGE"
  sed -n '/^FROM .* AS runtime$/,$p' "$repo_root/Dockerfile" |
    sed -e 's|^FROM .* AS runtime$|FROM ${BASE_IMAGE} AS runtime|' \
      -e 's|^COPY --from=build /staging/|COPY staging/|' \
      -e 's|^COPY --from=site /out/|COPY site/|'
} >"$out/Dockerfile"
# shellcheck disable=SC2016
grep -qF 'FROM ${BASE_IMAGE} AS runtime' "$out/Dockerfile" || fail "no runtime stage in the Dockerfile"
if grep -n -- '--from=' "$out/Dockerfile" >&2; then
  fail "the Dockerfile's runtime stage copies from a stage build-arm64.sh does not know"
fi
log "building $tag for linux/arm64 from $arm64_base"
docker build --network host --force-rm --platform linux/arm64 -t "$tag" \
  --build-arg BASE_IMAGE="$arm64_base" \
  --build-arg VERSION="$(git -C "$repo_root" describe --tags --always 2>/dev/null || echo dev)" \
  --build-arg REVISION="$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$out" >"$out.image.log" 2>&1 || { tail -30 "$out.image.log" >&2; fail "docker build failed"; }
echo "timing: image_build_s=$((SECONDS - t0))"
log "built $tag ($(docker image inspect -f '{{.Os}}/{{.Architecture}} {{.Size}}' "$tag") bytes)"
