#!/usr/bin/env bash
# Prepares a fresh Oracle Cloud A1 VM (arm64; Ubuntu 24.04 or Debian 12) for Portico and starts
# the stack: the same steps as deploy/cloud-init.yaml, for a VM that already runs. As root:
#
#   REPO_URL=https://github.com/you/portico.git DEPLOY_SSH_PUBKEY="ssh-ed25519 AAAA... ci" \
#   SITE_DOMAIN=example.com ACME_EMAIL=you@example.com bash bootstrap.sh
#
# Safe to run again. Without SITE_DOMAIN and ACME_EMAIL it prepares everything but the start.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "bootstrap: run as root" >&2; exit 1; }
: "${REPO_URL:?REPO_URL is required: the git URL of the Portico repository}"
: "${DEPLOY_SSH_PUBKEY:?DEPLOY_SSH_PUBKEY is required: the public key CI deploys with}"
deploy_user=${DEPLOY_USER:-deploy}
export DEBIAN_FRONTEND=noninteractive

echo "bootstrap: packages"
apt-get update -q
apt-get -y -q -o Dpkg::Options::=--force-confold upgrade
apt-get install -y -q --no-install-recommends docker.io git ufw unattended-upgrades ca-certificates curl
# The compose plugin; Debian 12 has only the older standalone docker-compose, which deploy.sh
# also accepts.
apt-get install -y -q --no-install-recommends docker-compose-v2 ||
  apt-get install -y -q --no-install-recommends docker-compose

echo "bootstrap: docker log rotation (10m x 3)"
install -d /etc/docker
cat >/etc/docker/daemon.json <<'JSON'
{
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m", "max-file": "3"}
}
JSON
systemctl enable docker
systemctl restart docker

echo "bootstrap: firewall (22, 80, 443)"
ufw default deny incoming
ufw default allow outgoing
ufw allow 22/tcp
ufw allow 80/tcp
ufw allow 443/tcp
ufw --force enable
# Oracle's images also ship iptables rules that reject all but SSH; let 80 and 443 through them.
if [ -f /etc/iptables/rules.v4 ] && command -v netfilter-persistent >/dev/null; then
  for port in 80 443; do
    iptables -C INPUT -p tcp --dport "$port" -m state --state NEW -j ACCEPT 2>/dev/null ||
      iptables -I INPUT 1 -p tcp --dport "$port" -m state --state NEW -j ACCEPT
  done
  netfilter-persistent save
fi

echo "bootstrap: ssh (keys only, no root login)"
cat >/etc/ssh/sshd_config.d/10-portico.conf <<'SSHD'
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
SSHD
sshd -t
systemctl reload ssh 2>/dev/null || systemctl reload sshd

echo "bootstrap: unattended upgrades"
cat >/etc/apt/apt.conf.d/20auto-upgrades <<'APT'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
APT
systemctl enable --now unattended-upgrades

echo "bootstrap: user $deploy_user"
id "$deploy_user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$deploy_user"
usermod -aG docker "$deploy_user"
home=$(getent passwd "$deploy_user" | cut -d: -f6)
install -d -m 700 -o "$deploy_user" -g "$deploy_user" "$home/.ssh"
# CI's key may run the forced command only (deploy TAG or rollback; deploy/ssh-command.sh,
# installed below): no shell, no forwarding, no pty. Log in to the VM with another key.
key_line="restrict,command=\"/usr/local/bin/portico-ssh-command\" $DEPLOY_SSH_PUBKEY"
touch "$home/.ssh/authorized_keys"
if grep -qF "$DEPLOY_SSH_PUBKEY" "$home/.ssh/authorized_keys"; then
  # An unrestricted line for the same key, written by an older bootstrap, is replaced.
  grep -vF "$DEPLOY_SSH_PUBKEY" "$home/.ssh/authorized_keys" >"$home/.ssh/authorized_keys.new" || true
  mv "$home/.ssh/authorized_keys.new" "$home/.ssh/authorized_keys"
fi
printf '%s\n' "$key_line" >>"$home/.ssh/authorized_keys"
chown "$deploy_user:$deploy_user" "$home/.ssh/authorized_keys"
chmod 600 "$home/.ssh/authorized_keys"

echo "bootstrap: repository"
as_deploy() { runuser -u "$deploy_user" -- "$@"; }
if [ ! -d "$home/portico/.git" ]; then
  as_deploy git clone "$REPO_URL" "$home/portico"
fi
cd "$home/portico"
# Root-owned copy outside the checkout: a pull cannot change what the deploy key may run.
install -m 755 -o root -g root deploy/ssh-command.sh /usr/local/bin/portico-ssh-command
if [ ! -f .env ]; then
  as_deploy cp .env.example .env
  chmod 600 .env
fi
for var in SITE_DOMAIN ACME_EMAIL PORTICO_IMAGE; do
  if [ -n "${!var:-}" ]; then
    sed -i "s|^#\?$var=.*|$var=${!var}|" .env
  fi
done

if grep -q '^SITE_DOMAIN=example.com$' .env; then
  echo "bootstrap: done; edit $home/portico/.env (SITE_DOMAIN, ACME_EMAIL), then as $deploy_user:"
  echo "  cd ~/portico && docker compose up -d"
  exit 0
fi
echo "bootstrap: starting the stack"
if docker compose version >/dev/null 2>&1; then
  as_deploy docker compose up -d
else
  as_deploy docker-compose up -d
fi
echo "bootstrap: done"
