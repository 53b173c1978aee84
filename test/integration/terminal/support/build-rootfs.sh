#!/bin/sh
# Builds a tiny rootfs from this Debian host's own binaries (bash, tmux, coreutils) and prints
# its path; the terminal tests `docker import` it. No network needed.
set -eu
out=${1:-/tmp/handson-terminal-rootfs}
rm -rf "$out"
mkdir -p "$out/usr/bin" "$out/usr/sbin" "$out/usr/lib" "$out/usr/lib64"
# Same merged-/usr layout as Debian, made first so copies through /lib land in /usr/lib.
for d in bin sbin lib lib64; do ln -s "usr/$d" "$out/$d"; done
bins="bash sh dash tmux mv stty yes cat base64 head env mkdir sleep ls id tail wc tr seq ps rm touch grep sed"
# dtach too when this host has it (the sandbox image may or may not).
command -v dtach >/dev/null 2>&1 && bins="$bins dtach"
for b in $bins; do
  p=$(PATH=/usr/bin:/bin:/usr/sbin command -v "$b" | grep / || echo "/usr/bin/$b")
  cp --parents -L "$p" "$out"
  for lib in $(ldd "$p" 2>/dev/null | grep -o '/[^ ]*'); do
    cp --parents -L "$lib" "$out" 2>/dev/null || true
  done
done
tar -C / -cf - usr/share/terminfo usr/lib/terminfo usr/lib/locale/C.utf8 2>/dev/null | tar -C "$out" -xf -
mkdir -p "$out/root/work" "$out/tmp" "$out/etc" "$out/proc" "$out/dev" "$out/sys"
chmod 1777 "$out/tmp"
echo 'root:x:0:0:root:/root:/bin/bash' > "$out/etc/passwd"
echo 'root:x:0:' > "$out/etc/group"
echo "$out"
