# shellcheck shell=bash
# Shell helpers for the tests that drive the real `portico` binary (source this file).
#   portico_start BIN CONFIG LOG   starts `BIN serve --config CONFIG`; sets portico_pid, and
#                                  portico_port (and portico_admin when it has one) once the
#                                  public listener is up; returns 1 when it exits first
#   portico_stop                   SIGTERM to portico_pid, waits for it
#   portico_ready PORT             waits up to 10 s for /readyz to answer 200
#   portico_contact_token PORT     prints the token of a freshly served /en/contact/ form
#   portico_post_contact PORT NAME [TOKEN]
#                                  posts one message with TOKEN, else with a fresh form's (a
#                                  token is accepted once); prints the status code
# shellcheck disable=SC2034 # set for the scripts that source this file
portico_pid=""
portico_port=""
portico_admin=""

portico_start() {
  local bin=$1 config=$2 log=$3
  : >"$log"
  "$bin" serve --config "$config" >"$log" 2>&1 &
  portico_pid=$!
  portico_port=""
  portico_admin=""
  for _ in $(seq 1 400); do
    portico_port=$(grep -o 'portico listening on http://[^ ]*' "$log" | head -1 | sed 's/.*://' || true)
    if [ -n "$portico_port" ]; then
      # shellcheck disable=SC2034 # read by the scripts that source this file
      portico_admin=$(grep -o 'admin listener on http://[^ ]*' "$log" | head -1 | sed 's/.*://' || true)
      return 0
    fi
    kill -0 "$portico_pid" 2>/dev/null || return 1
    sleep 0.025
  done
  return 1
}

portico_stop() {
  if [ -n "$portico_pid" ]; then
    kill "$portico_pid" 2>/dev/null || true
    wait "$portico_pid" 2>/dev/null || true
    portico_pid=""
  fi
}

portico_ready() {
  for _ in $(seq 1 400); do
    [ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz" 2>/dev/null)" = 200 ] && return 0
    sleep 0.025
  done
  return 1
}

portico_contact_token() {
  curl -fsS "http://127.0.0.1:$1/en/contact/" | grep -o 'name="token" value="[^"]*"' |
    sed 's/.*value="//; s/"$//'
}

portico_post_contact() {
  local token=${3:-}
  [ -n "$token" ] || token=$(portico_contact_token "$1")
  curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "name=$2&email=test%40example.com&message=hi&consent=yes&token=$token" \
    "http://127.0.0.1:$1/en/contact/"
}
