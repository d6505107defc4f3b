#!/usr/bin/env bash
# Writes, into OUT_DIR, the source-package twin of every apt source configured under ETC_APT_DIR:
# the same archives, suites, components, options and signing keys, with `deb-src` for `deb`.
# scripts/buildMediaTools.sh fetches FFmpeg's source through them, so the source comes from the
# archives (and is checked against the keys) this machine already trusts for its binaries.
#
# Both forms apt reads: deb822 `*.sources` files (Debian 12 and Ubuntu 24.04 install only these)
# and one-line `sources.list` / `*.list` files (older installs, and offices that kept theirs).
# Commented-out lines and entries that are already deb-src stay out; apt ignores the disabled
# ones (`Enabled: no`) itself.
#
# Usage: scripts/debSrcSources.sh ETC_APT_DIR OUT_DIR
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/debSrcSources.sh ETC_APT_DIR OUT_DIR" >&2
  exit 2
fi
etc="$1"
out="$2"
mkdir -p "$out"

for f in "$etc"/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  # A stanza lists its types on one line ("Types: deb deb-src"); it becomes source-only.
  sed -E 's/^Types:.*$/Types: deb-src/' "$f" >"$out/$(basename "$f")"
done
: >"$out/machine.list"
for f in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  # apt allows blanks before the type; `deb-src` lines do not match "deb" followed by a blank.
  sed -nE 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f" >>"$out/machine.list"
done
