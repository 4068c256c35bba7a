#!/usr/bin/env bash
# The only thing CI's deploy key may run on the VM. sshd runs it instead of whatever the client
# asked for (authorized_keys: `restrict,command="/usr/local/bin/portico-ssh-command" ssh-ed25519 …`,
# written by deploy/bootstrap.sh and deploy/cloud-init.yaml) and passes the request in
# SSH_ORIGINAL_COMMAND. Two requests are accepted, word for word:
#
#   deploy TAG    git pull --ff-only, then deploy/deploy.sh TAG; TAG is a Docker tag:
#                 [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. A registry token on stdin (one line) logs
#                 in to PORTICO_IMAGE's registry for this deploy only.
#   rollback      deploy/deploy.sh --rollback
#
# Anything else is refused with a message and exit status 2, before any command runs. Nothing
# from the request reaches a shell: it is matched as one string and the tag is passed as one
# argument. PORTICO_DEPLOY_REPO names the checkout (default ~/portico).
set -euo pipefail

repo=${PORTICO_DEPLOY_REPO:-$HOME/portico}
request=${SSH_ORIGINAL_COMMAND-}
tag_re='^deploy ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$'

refuse() {
  # The request is the client's text: print it escaped, never raw, on the operator's terminal.
  printf 'portico-ssh: refused %q: %s\n' "$request" "$1" >&2
  printf '%s\n' "portico-ssh: allowed: 'deploy TAG' (TAG: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or 'rollback'" >&2
  logger -t portico-ssh -p auth.warning "refused $(printf '%q' "$request")" 2>/dev/null || true
  exit 2
}

[ -n "$request" ] || refuse "no command (interactive logins are not allowed with this key)"
if [[ $request =~ $tag_re ]]; then
  action=deploy
  tag=${BASH_REMATCH[1]}
elif [ "$request" = rollback ]; then
  action=rollback
else
  refuse "not an allowed command"
fi
logger -t portico-ssh -p auth.info "$request" 2>/dev/null || true
cd "$repo"

# The image's registry: the first part of PORTICO_IMAGE in .env when it names a host.
registry() {
  local image
  image=$(sed -n 's/^PORTICO_IMAGE=//p' .env 2>/dev/null | tail -1)
  case $image in */*) image=${image%%/*} ;; *) return 0 ;; esac
  case $image in *.* | *:* | localhost) printf '%s\n' "$image" ;; esac
}

logged_in=""
logout() { if [ -n "$logged_in" ]; then docker logout "$logged_in" >/dev/null 2>&1 || true; fi; }
trap logout EXIT

if [ "$action" = deploy ]; then
  token=""
  if [ ! -t 0 ]; then IFS= read -r -t 10 token || true; fi
  if [ -n "$token" ]; then
    host=$(registry)
    [ -n "$host" ] || { echo "portico-ssh: a registry token was sent but PORTICO_IMAGE in .env names no registry" >&2; exit 1; }
    printf '%s\n' "$token" |
      docker login "$host" --username "${PORTICO_REGISTRY_USER:-portico-deploy}" --password-stdin >/dev/null
    logged_in=$host
  fi
  git pull --ff-only --quiet
  deploy/deploy.sh "$tag"
else
  deploy/deploy.sh --rollback
fi
