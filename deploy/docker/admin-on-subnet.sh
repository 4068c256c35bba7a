#!/bin/sh
# Entry point of compose.yaml's web service: binds the admin listener (metrics, plugin list,
# operator console) to this container's address on the network PORTICO_ADMIN_SUBNET names
# (the internal network Prometheus shares), so that no other network, Traefik's included,
# reaches it; then runs `portico "$@"`. Without PORTICO_ADMIN_SUBNET it only runs portico.
set -eu
if [ -n "${PORTICO_ADMIN_SUBNET:-}" ]; then
  address=$(hostname -I | tr ' ' '\n' | awk -v cidr="$PORTICO_ADMIN_SUBNET" '
    function number(ip, p) { split(ip, p, "."); return ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4] }
    BEGIN { split(cidr, c, "/"); size = 2 ^ (32 - c[2]); base = number(c[1]); base -= base % size }
    /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ { n = number($0); if (n - n % size == base) { print; exit } }')
  if [ -z "$address" ]; then
    printf '{"level":"error","logger":"entrypoint","msg":"no address of this container is in PORTICO_ADMIN_SUBNET %s (addresses: %s); is web on the admin network?"}\n' \
      "$PORTICO_ADMIN_SUBNET" "$(hostname -I)" >&2
    exit 1
  fi
  export PORTICO_ADMIN_ADDRESS="$address"
fi
exec portico "$@"
