#!/usr/bin/env bash
# An arm64 Debian sysroot with Python and Node, for running the aarch64 artefacts under qemu-user: the packages
# come from Debian's arm64 archive through apt-get with a private state directory (the host's dpkg architectures
# and package lists are left alone), unpacked with dpkg -x. Idempotent (stamp).
# Usage: arm64-sysroot.sh <work dir>   -> <work dir>/root (run: qemu-aarch64-static -L <root> <root>/usr/bin/...)
#                                         and <work dir>/musl-gcc-arm64.specs (aarch64-linux-gnu-gcc -specs ...)
set -euo pipefail
mkdir -p "$1" && work=$(cd "$1" && pwd)
root=$work/root
stamp=$work/.stamp-v4
[ -e "$stamp" ] && exit 0
if ! command -v qemu-aarch64-static >/dev/null; then
  apt-get install -y -q qemu-user-static >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q qemu-user-static >/dev/null; }
fi
state=$work/apt
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs" "$root"
: >"$state/status"
apt_opts=(-o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "Dir::State=$state"
  -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status" -o "Dir::Cache=$state/cache"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" update -q >/dev/null
pkgs=$(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances --no-pre-depends python3.11 nodejs libc6 musl musl-dev |
  awk '/^[a-z0-9]/ && !/^</ {print $1}' | sed 's/:arm64$//' | sort -u)
(cd "$state/debs" && apt-get "${apt_opts[@]}" download $pkgs >/dev/null 2>"$work/download.log" || true)
for deb in "$state/debs"/*.deb; do dpkg -x "$deb" "$root"; done
# Debian's python3.11 looks for its stdlib relative to the binary: nothing else to set up.
qemu-aarch64-static -L "$root" "$root/usr/bin/python3.11" -c 'import platform, ssl; print("arm64 python", platform.python_version(), platform.machine())'
qemu-aarch64-static -L "$root" "$root/usr/bin/node" -e 'console.log("arm64 node", process.version, process.arch)'
[ -e "$root/lib/ld-musl-aarch64.so.1" ] || { echo "arm64 sysroot: musl loader missing" >&2; exit 1; }
# A gcc specs file for building arm64 musl programs with Debian's aarch64-linux-gnu-gcc against this sysroot's
# musl (musl-dev's own specs, with the sysroot's paths; libc.so lives in /lib/aarch64-linux-musl).
sed -e "s|/usr/|$root/usr/|g" \
  -e "s|-L$root/usr/lib/aarch64-linux-musl|-L$root/lib/aarch64-linux-musl -L$root/usr/lib/aarch64-linux-musl|" \
  "$root/usr/lib/aarch64-linux-musl/musl-gcc.specs" >"$work/musl-gcc-arm64.specs"
touch "$stamp"
