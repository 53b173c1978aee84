#!/bin/sh
# Sandbox entrypoint (runs under tini as PID 1's child).
#  1. wait until the host has delegated this sandbox's cgroups (it writes /handson/cgroups-delegated),
#  2. rebuild /sys/fs/cgroup from the hierarchies we now own (v1) or the unified tree (v2),
#  3. write the inner daemon.json from the environment (registry address comes from the host config),
#  4. point DNS at loopback (nothing may leave the sandbox; fail fast instead of timing out),
#  5. keep containerd and dockerd running: a lesson may stop or restart dockerd (`pkill dockerd`),
#     so each is restarted when it exits.
set -u
HOSTDIR=/handson
log() { echo "handson-entrypoint: $*" >&2; }

# Every program started here delays the learner's engine (~5-10 ms each on a busy host), so this
# script leans on shell builtins and starts as few as it can.

wait_for_delegation() {
  i=0
  while [ ! -e "$HOSTDIR/cgroups-delegated" ]; do
    i=$((i + 1))
    if [ "$i" -gt 1500 ]; then log "cgroups were not delegated within 30 s; starting anyway"; return; fi
    sleep 0.02
  done
}

# cgroup v1: one mount per hierarchy; keep only those the host chowned to us (uid 0 in here).
# All mounts are made by one `mount -a` over a generated fstab. The sources are unique names: a
# source "cgroup" would match the image's own (now hidden) cgroup mounts, which mount -a skips.
setup_cgroup_v1() {
  fstab=/run/handson-cgroups.fstab
  links=""
  # A tmpfs named "handson-cgroup", not "cgroup": dockerd parses mount sources to find hierarchies.
  echo "handson-cgroup /sys/fs/cgroup tmpfs mode=755,nosuid,nodev,noexec 0 0" > "$fstab"
  while IFS=: read -r _ line _; do
    [ -z "$line" ] && continue
    dir=${line#name=}
    [ -d "/sys/fs/cgroup/$dir" ] && [ -O "/sys/fs/cgroup/$dir" ] || continue
    case "$line" in name=*) opts="none,$line" ;; *) opts="$line" ;; esac
    echo "handson-$dir /sys/fs/cgroup/$dir cgroup $opts,nosuid,nodev,noexec,X-mount.mkdir 0 0" >> "$fstab"
    case "$dir" in *,*) links="$links $dir" ;; esac
  done < /proc/self/cgroup
  mount -a -T "$fstab" || log "could not mount every cgroup hierarchy (see $fstab)"
  # Comounted controllers (cpu,cpuacct) also get their single names, as on a normal host.
  for dir in $links; do
    for c in $(echo "$dir" | tr , ' '); do [ -e "/sys/fs/cgroup/$c" ] || ln -s "$dir" "/sys/fs/cgroup/$c"; done
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

# First boot: seed the (empty) quota-disk directories from the image's copies (which hold
# /root/work; the host made /tmp sticky and world-writable).
seed() {
  [ -e /root/.bashrc ] || cp -a /usr/share/handson/root/. /root/
  [ -d /root/work ] || mkdir -p /root/work
}

# Written once: a lesson may edit daemon.json and restart dockerd, and must keep its change.
write_daemon_json() {
  [ -e /etc/docker/daemon.json ] && return 0
  if [ -z "${HANDSON_REGISTRY:-}" ]; then cp /usr/share/handson/daemon.json /etc/docker/daemon.json; return 0; fi
  printf '%s\n' '{' \
    "  \"hosts\": [\"unix:///var/run/docker.sock\", \"unix://$HOSTDIR/docker.sock\"]," \
    "  \"registry-mirrors\": [\"http://$HANDSON_REGISTRY\"]," \
    "  \"insecure-registries\": [\"$HANDSON_REGISTRY\"]," \
    '  "storage-driver": "overlay2",' \
    '  "log-driver": "json-file",' \
    '  "log-opts": { "max-size": "1m", "max-file": "2" }' \
    '}' > /etc/docker/daemon.json
}

# No DNS leaves a sandbox (the firewall rejects it), but the engine's embedded resolver only gives
# up after ~10 s per name, which stalled every pull. A resolver on the sandbox's own loopback
# (where nothing listens) fails at once; names of inner containers still resolve in their networks.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > /etc/resolv.conf 2>/dev/null

wait_for_delegation
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then setup_cgroup_v2; else setup_cgroup_v1; fi
seed
write_daemon_json
# Left by an engine of an earlier boot (a restarted sandbox) only.
if [ -e /var/run/docker.pid ] || [ -e "$HOSTDIR/docker.sock" ]; then rm -f /var/run/docker.pid "$HOSTDIR/docker.sock"; fi

# containerd first and beside dockerd (not started by it): its ~100 ms boot overlaps dockerd's
# own start-up, and a lesson restarting dockerd leaves containerd and its containers running.
(
  while :; do
    containerd --config /usr/share/handson/containerd.toml >>/var/log/containerd.log 2>&1
    log "containerd exited ($?); restarting"
    sleep 1
  done
) &

while :; do
  dockerd --containerd /var/run/docker/containerd/containerd.sock >>/var/log/dockerd.log 2>&1
  log "dockerd exited ($?); restarting"
  rm -f /var/run/docker.pid
  sleep 1
done
