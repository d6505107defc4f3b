#!/usr/bin/env bash
# Builds the matched ffmpeg/ffprobe pair the packaged app ships (its bundled folder), from
# Debian's own source package of ffmpeg, into vendor/media-tools/<platform>-<arch>/.
#
# Why a build of our own: the station starts ffprobe once per imported file and ffmpeg/ffprobe
# three times per clip. Debian's binaries are linked against about 215 shared libraries with
# BIND_NOW, so each start spends ~0.1 s of CPU in the dynamic loader before reading a byte. This
# pair links the FFmpeg libraries, libx264, libaom and zlib statically (one binary each, the C library
# only), has no network protocols and no capture devices (the station reads local files only),
# and starts in a few milliseconds. It is the same release, with the same Debian security
# patches, as the system's pair it replaces.
#
# Where the source comes from: `apt-get source`, through a throwaway copy of this machine's own
# apt sources with `deb-src` enabled. apt checks the source index against Debian's archive
# signature and every downloaded file against that index, and dpkg-source applies Debian's
# patches. Nothing here names a mirror; nothing outside the temporary folder and the output
# folder is written (no root needed when the build packages below are installed).
#
# Needs: apt-get, dpkg-source (dpkg-dev), a C compiler and make (build-essential), nasm,
# libx264-dev, libaom-dev, zlib1g-dev, pkg-config.
#
# --version pins the source: Debian's version with its epoch, as `apt-cache policy ffmpeg` shows it
# (7:5.1.9-0+deb12u1; without the 7: apt finds nothing). Default: the newest in the sources.
#
# Usage: scripts/buildMediaTools.sh [--version DEBIAN_VERSION] [--out DIR] [--jobs N]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
arch="$(uname -m)"
case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac
out="$root/vendor/media-tools/linux-$arch"
version=""
jobs="$(nproc 2>/dev/null || echo 2)"

while [ $# -gt 0 ]; do
  case "$1" in
    --version|--out|--jobs)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "buildMediaTools: $1 needs a value" >&2; exit 2; fi
      case "$1" in --version) version="$2" ;; --out) out="$2" ;; --jobs) jobs="$2" ;; esac
      shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "buildMediaTools: unknown argument: $1" >&2; exit 2 ;;
  esac
done
# A trailing slash (a shell's completion adds one) would put the stage and the old pair inside
# the output folder, and the final rename would move that folder into itself.
while [ "$out" != / ] && [ "${out%/}" != "$out" ]; do out="${out%/}"; done
if [ -e "$out" ] && [ ! -d "$out" ]; then
  echo "buildMediaTools: $out exists and is not a folder; give --out a folder" >&2
  exit 2
fi

say() { printf 'buildMediaTools: %s\n' "$*"; }

# A build killed outright (SIGKILL, a power cut) ran no exit trap: its stage, and the old pair if it
# died between its two renames, are still beside --out, named by its process id. A build still
# running keeps its own (its process is alive); the old pair takes its name back if nothing has.
# Done first, so that even a run that stops for missing packages below tidies up.
for left in "$out".partial-* "$out".old-*; do
  [ -e "$left" ] || continue
  [ -d "/proc/${left##*-}" ] && continue
  if [ "${left%.old-*}" = "$out" ] && [ ! -e "$out" ]; then
    say "putting back the pair an interrupted build had moved aside: $left"
    mv -T "$left" "$out"
  else
    rm -rf "$left"
  fi
done

if [ "$(uname -s)" != Linux ] || ! command -v apt-get >/dev/null; then
  echo "buildMediaTools: this script builds on Debian or Ubuntu (apt-get); elsewhere put a matched static pair in $out" >&2
  exit 2
fi

missing=()
command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
command -v cc >/dev/null && command -v make >/dev/null || missing+=(build-essential)
command -v nasm >/dev/null || missing+=(nasm)
command -v pkg-config >/dev/null || missing+=(pkg-config)
libdir="$(cc -print-multiarch 2>/dev/null || true)"
libdir="/usr/lib/${libdir:-$(uname -m)-linux-gnu}"
[ -f "$libdir/libx264.a" ] || missing+=(libx264-dev)
[ -f "$libdir/libaom.a" ] || missing+=(libaom-dev)
[ -f "$libdir/libz.a" ] || missing+=(zlib1g-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "buildMediaTools: missing build packages; install them with: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/station-media-tools.XXXXXX")"
stage="$out.partial-$$"
step_pid=""
# configure, the compiler and apt put their own temporary files in TMPDIR; inside the work folder
# they go with it, even from a step that was ended before it could clean up.
mkdir "$work/tmp"
export TMPDIR="$work/tmp"
# A build that fails or is stopped leaves neither its temporary folder nor a half-filled stage, and
# --out holds a whole pair: the new one, or the old one if the build stopped between its renames.
# bash runs this at once when it is stopped, while a step's processes would go on (a make writing
# into the folder being removed), so the step's process group is ended first.
cleanup() {
  if [ -n "$step_pid" ]; then
    kill -TERM -- "-$step_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$step_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$step_pid" 2>/dev/null || true
    wait "$step_pid" 2>/dev/null || true
    while kill -0 -- "-$step_pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$work" "$stage"
  if [ -e "$out.old-$$" ] && [ ! -e "$out" ]; then mv -T "$out.old-$$" "$out"; fi
  rm -rf "$out.old-$$"
}
trap cleanup EXIT
# Runs one long step (apt, dpkg-source, configure, make) as a process group of its own, which
# cleanup can end as a whole.
run_step() {
  local status=0
  setsid "$@" </dev/null &
  step_pid=$!
  wait "$step_pid" || status=$?
  # Ended: its number may be reused, and cleanup must never end a stranger's group.
  step_pid=""
  return "$status"
}

# --- the source, verified by apt ---------------------------------------------------------------
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d"
: >"$apt_dir/sources.list"
# The machine's own sources, with their source indexes switched on.
"$root/scripts/debSrcSources.sh" /etc/apt "$apt_dir/sources.list.d"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1"
  # The temporary folder is this user's; apt's unprivileged `_apt` user could not write into it.
  -o "APT::Sandbox::User=root"
)
say "reading the source indexes of this machine's apt sources"
run_step apt-get "${apt_opts[@]}" -qq update
mkdir -p "$work/src"
run_step env -C "$work/src" apt-get "${apt_opts[@]}" -qq source --download-only "ffmpeg${version:+=$version}"
dsc="$(ls "$work"/src/ffmpeg_*.dsc)"
say "verified $(basename "$dsc") ($(sha256sum "$dsc" | cut -c1-16)…)"
# apt has checked every file against the archive-signed index; the .dsc's own signature is an
# uploader's key, which needs debian-keyring, so dpkg-source is not asked to check it again.
run_step dpkg-source --no-check -x "$dsc" "$work/src/ffmpeg" >/dev/null
deb_version="$(sed -nE 's/^Version: //p' "$dsc" | head -1)"

# --- configure and build -----------------------------------------------------------------------
# libx264, libaom and zlib from a folder that holds only their static archives, so the linker
# cannot pick the shared ones.
mkdir -p "$work/static"
ln -s "$libdir/libx264.a" "$libdir/libaom.a" "$libdir/libz.a" "$work/static/"
# libaom for its AV1 decoder only: FFmpeg's own AV1 decoder decodes nothing without a hardware
# decoder, so without it an AV1 recording (screen captures, downloaded clips) would get no
# thumbnail, filmstrip, still or exact clip. Debian's libdav1d, the faster one, ships no static
# archive.
configure=(
  --disable-autodetect --enable-gpl --enable-libx264 --enable-libaom --disable-encoder=libaom_av1
  --enable-zlib
  --disable-doc --disable-ffplay --disable-network
  --disable-indevs --enable-indev=lavfi --disable-outdevs
  --disable-debug --enable-stripping
  "--extra-version=${deb_version#*-}-station"
  "--extra-ldflags=-L$work/static" "--extra-libs=-lpthread -lm -ldl"
)
say "configuring FFmpeg $deb_version (static libraries, libx264, libaom, zlib; no network, no devices)"
run_step env -C "$work/src/ffmpeg" ./configure "${configure[@]}" >"$work/configure.log" 2>&1 || {
  tail -20 "$work/configure.log" >&2
  exit 1
}
say "building ffmpeg and ffprobe with $jobs jobs (about 6 minutes on two cores)"
run_step env -C "$work/src/ffmpeg" make -j"$jobs" ffmpeg ffprobe >"$work/make.log" 2>&1 || {
  tail -30 "$work/make.log" >&2
  exit 1
}

# --- check, then install in one rename ---------------------------------------------------------
mkdir -p "$stage"
install -m 0755 "$work/src/ffmpeg/ffmpeg" "$work/src/ffmpeg/ffprobe" "$stage/"
cp "$work/src/ffmpeg/COPYING.GPLv2" "$work/src/ffmpeg/LICENSE.md" "$stage/"
# And the licences of the libraries linked in: Debian's copyright files of their packages (a
# machine that strips /usr/share/doc has none to give).
for pkg in libx264-dev libaom-dev zlib1g-dev; do
  [ -f "/usr/share/doc/$pkg/copyright" ] && cp "/usr/share/doc/$pkg/copyright" "$stage/COPYRIGHT.$pkg"
done
for tool in ffmpeg ffprobe; do
  # Only the C library's own objects may be loaded at run time.
  extra="$(ldd "$stage/$tool" | grep -vE 'linux-vdso|ld-linux|/lib(c|m|pthread|dl)\.so' || true)"
  if [ -n "$extra" ]; then
    echo "buildMediaTools: $tool still loads shared libraries:" >&2
    echo "$extra" >&2
    exit 1
  fi
done
node "$root/scripts/mediaToolsCheck.mjs" "$stage"
{
  printf '{\n'
  printf '  "source": "Debian source package ffmpeg %s",\n' "$deb_version"
  printf '  "dscSha256": "%s",\n' "$(sha256sum "$dsc" | cut -d' ' -f1)"
  # The temporary folder's name is no part of the build (and a TMPDIR may hold any character).
  configure_line="${configure[*]}"
  printf '  "configure": "%s",\n' "${configure_line//"$work"/<tmp>}"
  printf '  "libx264": "%s",\n' "$(dpkg-query -W -f='${Version}' libx264-dev 2>/dev/null || echo unknown)"
  printf '  "libaom": "%s",\n' "$(dpkg-query -W -f='${Version}' libaom-dev 2>/dev/null || echo unknown)"
  printf '  "zlib": "%s",\n' "$(dpkg-query -W -f='${Version}' zlib1g-dev 2>/dev/null || echo unknown)"
  printf '  "licence": "GPL-2.0-or-later (libx264); see COPYING.GPLv2, LICENSE.md and COPYRIGHT.*"\n'
  printf '}\n'
} >"$stage/BUILD-INFO.json"
# The old pair moves aside and the new one takes its name, each in one rename (-T: never into a
# folder of that name, which a concurrent build may just have put there); a station starting in
# between finds no bundled pair and takes the next source, never half of one.
mkdir -p "$(dirname "$out")"
if [ -e "$out" ]; then mv -T "$out" "$out.old-$$"; fi
mv -T "$stage" "$out"
rm -rf "$out.old-$$"
say "done: $out ($("$out/ffmpeg" -version | head -1 | cut -d' ' -f1-3))"
say "use it in a checkout with STATION_FFMPEG_DIR=$out; the packaged app ships it as its bundled pair"
