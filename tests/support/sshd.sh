# shellcheck shell=bash
# A real sshd (Debian's openssh-server) on loopback for the deploy key's tests (source this file;
# needs root). The key files live in one work folder: WORK/host_key, WORK/client_key (made here)
# and WORK/authorized_keys (the caller writes it, with the forced command).
#   sshd_keys WORK                 makes WORK/host_key and WORK/client_key
#   sshd_start WORK                starts sshd on a free 127.0.0.1 port: root may log in with
#                                  a key only through its forced command; sets sshd_pid and
#                                  sshd_port and writes WORK/known_hosts for it; returns 1, its
#                                  log on stderr, when it does not start
#   sshd_client WORK KNOWN_HOSTS COMMAND
#                                  runs COMMAND as root@127.0.0.1 with WORK/client_key, checking
#                                  the server's key against KNOWN_HOSTS only (stdin is passed on)
sshd_pid=""
sshd_port=""

sshd_keys() {
  ssh-keygen -q -t ed25519 -N '' -f "$1/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$1/client_key"
}

sshd_start() {
  local work=$1
  sshd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/sshd_config" <<CFG
ListenAddress 127.0.0.1:$sshd_port
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin forced-commands-only
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
CFG
  install -d -m 755 /run/sshd  # the privilege separation directory Debian's sshd expects
  /usr/sbin/sshd -t -f "$work/sshd_config" || { echo "sshd rejects the test config" >&2; return 1; }
  /usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
  sshd_pid=$!
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$sshd_port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  kill -0 "$sshd_pid" 2>/dev/null || { cat "$work/sshd.log" >&2; return 1; }
  printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$work/host_key.pub")" >"$work/known_hosts"
}

sshd_client() {
  local work=$1 known=$2
  shift 2
  ssh -F /dev/null -p "$sshd_port" -i "$work/client_key" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$known" -o GlobalKnownHostsFile=/dev/null \
    -o ConnectTimeout=10 -o LogLevel=ERROR root@127.0.0.1 "$@"
}
