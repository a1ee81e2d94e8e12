#!/usr/bin/env bash
# Recompresses a .deb's contents with xz, as Debian's own packages are: the
# bundler writes gzip, which leaves the package about 40 % bigger. The files,
# control data and checksums are unchanged. Usage: scripts/repack-deb.sh FILE.deb
set -euo pipefail
deb=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --raw-extract "$deb" "$work/root"
dpkg-deb --root-owner-group -Zxz -z9 --build "$work/root" "$work/out.deb" >/dev/null
mv "$work/out.deb" "$deb"
echo "repacked with xz: $deb ($(( $(stat -c %s "$deb") / 1024 )) KiB)"
