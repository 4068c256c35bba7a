# The arm64 cross-compiling environment of deploy/docker/build-arm64.sh: amd64 Debian 12 with
# Debian's aarch64 cross toolchain and, through multiarch, the arm64 builds of every -dev package
# in scripts/setup.sh's build list (the list the Dockerfile's build stage uses too). No amd64
# -dev package is installed, so none can clash with its arm64 twin. Context: a folder holding
# scripts/setup.sh only.
ARG CROSS_BASE=debian:bookworm
FROM ${CROSS_BASE}
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/setup.sh /tmp/setup.sh
RUN dpkg --add-architecture arm64 \
 && sed -n '/^build_packages=(/,/^)/p' /tmp/setup.sh | tr -s ' ()' '\n' | grep -E -- '-dev$' \
      | sed 's/$/:arm64/' | sort > /tmp/dev-packages.txt \
 && apt-get update -q \
 && apt-get install -y -q --no-install-recommends \
      crossbuild-essential-arm64 cmake ninja-build pkg-config ccache file cmark ca-certificates \
      $(cat /tmp/dev-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/setup.sh
