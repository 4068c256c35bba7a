"""Static checks of `compose config` output (argv[1]) and deploy/traefik/dynamic.yml (argv[2]).

Prints one line per problem and exits 1 when there is any:
- no service outside the watchtower profile mounts the Docker socket, and watchtower is opt-in;
- Traefik reads its routers from the dynamic file (file provider, mounted), not from Docker;
- the dynamic file, with SITE_DOMAIN filled in as Traefik's templating does, is valid YAML whose
  routers for the site and the studio lead to a service on http://web:8080;
- web: read-only root, no capabilities, no-new-privileges, memory and pids limits, and it trusts
  X-Forwarded-For from the proxy network's subnet only;
- the admin and data networks are internal, and only web and Prometheus share the admin one.
"""
import re
import sys

import yaml

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


config = yaml.safe_load(open(sys.argv[1]))
services = config["services"]
networks = config.get("networks", {})


def service_networks(svc):
    n = services[svc].get("networks", {})
    return set(n) if isinstance(n, (dict, list)) else set()


for name, svc in services.items():
    mounts = [str(v) for v in svc.get("volumes", [])]
    if any("docker.sock" in m for m in mounts):
        check(name == "watchtower", f"{name}: mounts the Docker socket")
check(services.get("watchtower", {}).get("profiles") == ["watchtower"],
      "watchtower: not in its own opt-in profile")

traefik = services["traefik"]
command = " ".join(traefik.get("command", []))
check("providers.docker" not in command, "traefik: still uses the Docker provider")
check("--providers.file.filename=/etc/traefik/dynamic.yml" in command,
      "traefik: no file provider reading /etc/traefik/dynamic.yml")
check(any("deploy/traefik/dynamic.yml" in str(v) and "/etc/traefik/dynamic.yml" in str(v)
          for v in traefik.get("volumes", [])),
      "traefik: deploy/traefik/dynamic.yml is not mounted at /etc/traefik/dynamic.yml")

text = open(sys.argv[2]).read()
rendered = re.sub(r'\{\{\s*env\s+"SITE_DOMAIN"\s*\}\}', "example.test", text)
check("{{" not in rendered, "dynamic.yml: a template expression other than env SITE_DOMAIN")
try:
    dynamic = yaml.safe_load(rendered)
    routers = dynamic["http"]["routers"]
    lb_services = dynamic["http"]["services"]
    wanted = {"site": "Host(`example.test`)", "studio": "Host(`studio.example.test`)"}
    for router, host in wanted.items():
        r = routers.get(router, {})
        check(host in r.get("rule", ""), f"dynamic.yml: router {router} does not match {host}")
        check(r.get("tls", {}).get("certResolver") == "letsencrypt",
              f"dynamic.yml: router {router} has no letsencrypt TLS")
        urls = [s.get("url") for s in
                lb_services.get(r.get("service"), {}).get("loadBalancer", {}).get("servers", [])]
        check(urls == ["http://web:8080"], f"dynamic.yml: router {router} leads to {urls}")
    for router in routers.values():
        for m in router.get("middlewares", []):
            check(m in dynamic["http"].get("middlewares", {}), f"dynamic.yml: no middleware {m}")
except (yaml.YAMLError, KeyError, TypeError, AttributeError) as e:
    problems.append(f"dynamic.yml: not the expected YAML: {e}")

web = services["web"]
check(web.get("read_only") is True, "web: root file system not read-only")
check(web.get("cap_drop") == ["ALL"], f"web: cap_drop is {web.get('cap_drop')}")
check("no-new-privileges:true" in web.get("security_opt", []), "web: no no-new-privileges")
check(bool(web.get("mem_limit")), "web: no memory limit")
check(bool(web.get("pids_limit")), "web: no pids limit")
check(bool(web.get("tmpfs")), "web: no tmpfs for scratch files")
subnet = lambda n: networks.get(n, {}).get("ipam", {}).get("config", [{}])[0].get("subnet")
for n in ("proxy", "data", "admin"):
    check(bool(subnet(n)), f"network {n}: no fixed subnet")
check(web.get("environment", {}).get("PORTICO_TRUSTED_PROXIES") == subnet("proxy"),
      "web: PORTICO_TRUSTED_PROXIES is not the proxy network's subnet")
check(web.get("environment", {}).get("PORTICO_ADMIN_SUBNET") == subnet("admin"),
      "web: PORTICO_ADMIN_SUBNET is not the admin network's subnet")
for n in ("data", "admin"):
    check(networks.get(n, {}).get("internal") is True, f"network {n}: not internal")
on_admin = {s for s in services if "admin" in service_networks(s)}
check(on_admin == {"web", "prometheus"}, f"network admin: shared by {sorted(on_admin)}")
check(service_networks("traefik") == {"proxy"}, "traefik: on networks other than proxy")
check("REDIS_PASSWORD" in str(services["redis"].get("command")), "redis: no requirepass")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
