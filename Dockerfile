# syntax=docker/dockerfile:1
# Portico image: build on Debian 12, run on debian:bookworm-slim with only the shared libraries the
# final binaries load. Multi-arch: `docker buildx build --platform linux/amd64,linux/arm64 .`.
#
#   docker build -t portico .
#   docker run -p 8080:8080 -v portico-data:/srv/portico/data portico

ARG DEBIAN_SUITE=bookworm

# Every -dev package of scripts/setup.sh's build list (its test-only list stays out), so a
# library another engineer adds there reaches the image build without a second list. Extracted
# in a stage of its own: the build stage copies only the list, so an edit elsewhere in setup.sh
# does not rebuild the compiled layers.
FROM debian:${DEBIAN_SUITE} AS dev-packages
COPY scripts/setup.sh /tmp/setup.sh
RUN sed -n '/^build_packages=(/,/^)/p' /tmp/setup.sh | tr -s ' ()' '\n' | grep -E -- '-dev$' \
      | sort > /dev-packages.txt

FROM debian:${DEBIAN_SUITE} AS build
ARG BUILD_JOBS=2
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=dev-packages /dev-packages.txt /tmp/dev-packages.txt
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates $(cat /tmp/dev-packages.txt) \
 && rm -rf /var/lib/apt/lists/*
# Debian's libcmark-dev CMake package names /usr/bin/cmark (package cmark) without depending on it.
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends cmark \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the compiler reads, so edits to the site, config or docs reuse the compiled layer.
# plugins/studio is built as its own project against the SDK the build installs into a staging
# prefix first (cmake/PorticoExternalPlugin.cmake); its site files install to share/portico/studio.
# .clang-format: `portico plugins new` formats its templates with it (host/CMakeLists.txt).
COPY CMakeLists.txt CMakePresets.json .clang-format ./
COPY cmake/ cmake/
COPY sdk/ sdk/
COPY host/ host/
COPY plugins/ plugins/
RUN cmake --preset release \
 && cmake --build --preset release --parallel "${BUILD_JOBS}"
# The runtime component installs the site too (share/portico, as the .deb has it); the image
# takes the site from the site stage below into /srv/portico instead, so it is dropped here.
COPY README.md ./
COPY config/ config/
COPY locales/ locales/
COPY www/ www/
RUN cmake --install build/release --component runtime --prefix /staging/opt/portico \
 && test -f /staging/opt/portico/lib/portico/plugins/studio.so \
 && test -f /staging/opt/portico/share/portico/studio/templates/layout.mustache \
 && test ! -e /staging/opt/portico/lib/libportico_testkit.so \
 && cd /staging/opt/portico/share/portico && rm -rf www locales config README.md && cd / \
 && find /staging -type f \( -name '*.so*' -o -perm -u+x \) -exec strip --strip-unneeded {} +
COPY deploy/docker/runtime-packages.sh /usr/local/bin/runtime-packages
RUN runtime-packages /staging /staging/opt/portico > /staging/runtime-packages.txt \
 && echo "runtime packages:" $(cat /staging/runtime-packages.txt)

# The site files, copied apart so that a missing optional folder is no error.
FROM debian:${DEBIAN_SUITE} AS site
COPY . /ctx
RUN mkdir -p /out && cd /ctx && for d in config www locales; do \
      if [ -d "$d" ]; then cp -a "$d" /out/; fi; done

FROM debian:${DEBIAN_SUITE}-slim AS runtime
COPY --from=build /staging/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive xargs apt-get install -y -q --no-install-recommends \
      < /tmp/runtime-packages.txt \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log /tmp/* \
 && groupadd --system --gid 10001 portico \
 && useradd --system --uid 10001 --gid portico --home-dir /srv/portico --no-create-home \
      --shell /usr/sbin/nologin portico \
 && mkdir -p /srv/portico/data /backups \
 && chown portico:portico /srv/portico/data /backups \
 && chmod 700 /backups
# /backups belongs to portico so that a fresh volume mounted there (compose's backup profile)
# starts out writable by the server's user: Docker copies the mount point's owner into it.
COPY --from=build /staging/opt/portico/ /opt/portico/
COPY deploy/docker/admin-on-subnet.sh /usr/local/bin/portico-admin-on-subnet
COPY --from=site /out/ /srv/portico/
ENV PATH=/opt/portico/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PORTICO_CONFIG=/srv/portico/config/portico.json \
    PORTICO_DATA_DIR=/srv/portico/data \
    PORTICO_LOG_FORMAT=json
WORKDIR /srv/portico
USER portico:portico
VOLUME ["/srv/portico/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 \
  CMD ["portico", "healthcheck"]
# Last: the revision changes with every commit and would otherwise rebuild the layers above.
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=
LABEL org.opencontainers.image.title="Portico" \
      org.opencontainers.image.description="A plugin-based site host in C++ on Poco" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="debian:bookworm-slim"
ENTRYPOINT ["portico"]
CMD ["serve"]
