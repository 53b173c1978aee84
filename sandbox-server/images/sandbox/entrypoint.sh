#!/bin/sh
# Sandbox entrypoint (runs under tini as PID 1's child).
#  1. wait until the host has delegated this sandbox's cgroups (it writes /handson/cgroups-delegated),
#  2. rebuild /sys/fs/cgroup from the hierarchies we now own (v1) or the unified tree (v2),
#  3. write the inner daemon.json from the environment (registry address comes from the host config),
#  4. point DNS at loopback (nothing may leave the sandbox; fail fast instead of timing out),
#  5. keep dockerd running: a lesson may stop or restart it (`pkill dockerd`), so restart it on exit.
set -u
HOSTDIR=/handson
log() { echo "handson-entrypoint: $*" >&2; }

wait_for_delegation() {
  i=0
  while [ ! -e "$HOSTDIR/cgroups-delegated" ]; do
    i=$((i + 1))
    if [ "$i" -gt 1500 ]; then log "cgroups were not delegated within 30 s; starting anyway"; return; fi
    sleep 0.02
  done
}

# cgroup v1: one mount per hierarchy; keep only those the host chowned to us (uid 0 in here).
setup_cgroup_v1() {
  owned=""
  for line in $(cut -d: -f2 /proc/self/cgroup); do
    [ -z "$line" ] && continue
    dir=${line#name=}
    [ -d "/sys/fs/cgroup/$dir" ] || continue
    if [ "$(stat -c %u "/sys/fs/cgroup/$dir")" = 0 ]; then owned="$owned $line"; fi
  done
  # A tmpfs named "handson-cgroup", not "cgroup": dockerd parses mount sources to find hierarchies.
  mount -t tmpfs -o mode=755,nosuid,nodev,noexec handson-cgroup /sys/fs/cgroup || { log "cannot mount /sys/fs/cgroup tmpfs"; return 1; }
  for line in $owned; do
    dir=${line#name=}
    case "$line" in name=*) opts="none,$line" ;; *) opts="$line" ;; esac
    mkdir -p "/sys/fs/cgroup/$dir"
    if mount -t cgroup -o "$opts,nosuid,nodev,noexec" cgroup "/sys/fs/cgroup/$dir"; then
      # Comounted controllers (cpu,cpuacct) also get their single names, as on a normal host.
      case "$dir" in *,*) for c in $(echo "$dir" | tr , ' '); do [ -e "/sys/fs/cgroup/$c" ] || ln -s "$dir" "/sys/fs/cgroup/$c"; done ;; esac
    else
      rmdir "/sys/fs/cgroup/$dir"; log "could not mount cgroup hierarchy $line"
    fi
  done
}

# cgroup v2: remount the namespace root read-write, move ourselves into a leaf so the root can
# delegate controllers to dockerd's children ("no internal processes").
setup_cgroup_v2() {
  umount /sys/fs/cgroup 2>/dev/null
  mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup || { log "cannot mount cgroup2"; return 1; }
  mkdir -p /sys/fs/cgroup/init
  for p in $(cat /sys/fs/cgroup/cgroup.procs); do echo "$p" > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null; done
  for c in $(cat /sys/fs/cgroup/cgroup.controllers); do echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; done
}

# First boot: seed the (empty) quota-disk directories from the image's copies.
seed() {
  [ -e /root/.bashrc ] || cp -a /usr/share/handson/root/. /root/
  mkdir -p /root/work
  chmod 1777 /tmp
}

# Written once: a lesson may edit daemon.json and restart dockerd, and must keep its change.
write_daemon_json() {
  [ -e /etc/docker/daemon.json ] && return 0
  if [ -z "${HANDSON_REGISTRY:-}" ]; then cp /usr/share/handson/daemon.json /etc/docker/daemon.json; return 0; fi
  cat > /etc/docker/daemon.json <<JSON
{
  "hosts": ["unix:///var/run/docker.sock", "unix://$HOSTDIR/docker.sock"],
  "registry-mirrors": ["http://$HANDSON_REGISTRY"],
  "insecure-registries": ["$HANDSON_REGISTRY"],
  "storage-driver": "overlay2",
  "log-driver": "json-file",
  "log-opts": { "max-size": "1m", "max-file": "2" }
}
JSON
}

# No DNS leaves a sandbox (the firewall rejects it), but the engine's embedded resolver only gives
# up after ~10 s per name, which stalled every pull. A resolver on the sandbox's own loopback
# (where nothing listens) fails at once; names of inner containers still resolve in their networks.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > /etc/resolv.conf 2>/dev/null

wait_for_delegation
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then setup_cgroup_v2; else setup_cgroup_v1; fi
seed
write_daemon_json
rm -f /var/run/docker.pid "$HOSTDIR/docker.sock"

while :; do
  dockerd >>/var/log/dockerd.log 2>&1
  log "dockerd exited ($?); restarting"
  rm -f /var/run/docker.pid
  sleep 1
done
