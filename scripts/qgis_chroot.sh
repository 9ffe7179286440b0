#!/usr/bin/env bash
# `make test QGIS=3.44` (and 3.40, 3.22): run a command in this checkout inside a Debian chroot
# whose QGIS comes from Debian's own packages, as on a fresh Debian machine.
#
#   scripts/qgis_chroot.sh VERSION [COMMAND [ARGS...]]     (default COMMAND: make test)
#
#   VERSION  3.22 → Debian 12 bookworm
#            3.40 → Debian 13 trixie
#            3.44 → Debian 13 with QGIS from trixie-backports (the LTR)
#            (the chroot's name, bookworm / trixie / trixie-backports, works too)
#
# The chroot is built once with debootstrap into $QGIS_CHROOT_CACHE/<name> (default
# /var/cache/os-data-hub-loader/chroots/<name>, outside the checkout, shared by every checkout
# and CI on this machine); its packages are installed by scripts/setup.sh, run inside it, so it
# gets what a fresh Debian machine gets. A stamp file, written last, records the package list:
# without it (a build was killed) the chroot is built again; with another list, what is missing
# is installed. A lock (flock) keeps two runs from building the same chroot at once.
#
# Inside, the command runs as root in the checkout (at the same path), with its own virtualenv
# VENV=.venv-<name> and its own sample-data cache (.cache-<name> of the checkout, seen as
# .cache inside), so host and chroot runs can take turns. The checkout's ../shared is visible
# read-only at the same place. Everything is mounted in a private mount namespace (unshare):
# the mounts are never visible outside, are unmounted on exit, Ctrl-C or failure, and vanish
# with the namespace even if this script is killed.
#
# Environment: QGIS_CHROOT_CACHE (see above); QGIS_CHROOT_MIRROR / QGIS_CHROOT_SECURITY_MIRROR
# (default: the Debian archive URIs the host's apt sources use, read at run time).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${QGIS_CHROOT_CACHE:-/var/cache/os-data-hub-loader/chroots}
STAMP_NAME=.os-data-hub-loader-complete

say() { echo "qgis-chroot: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
VERSION=$1; shift
case $VERSION in
  3.22|bookworm)                NAME=bookworm         SUITE=bookworm APT_TARGET="" ;;
  3.40|trixie)                  NAME=trixie           SUITE=trixie   APT_TARGET="" ;;
  3.44|trixie-backports)        NAME=trixie-backports SUITE=trixie   APT_TARGET=trixie-backports ;;
  *) say "unknown QGIS version '$VERSION' (3.22, 3.40 or 3.44)"; usage ;;
esac
[ $# -gt 0 ] || set -- make test

if [ "$(id -u)" -ne 0 ]; then
  die "building and entering a chroot needs root (debootstrap, mount, chroot); run it as root," \
      "e.g.  sudo make ${*: -1} QGIS=$VERSION   or   sudo $0 $VERSION $*"
fi
for tool in unshare flock chroot mount; do
  command -v "$tool" > /dev/null || die "$tool is not installed (util-linux / coreutils)"
done

# Everything below runs in a private mount namespace of its own.
if [ -z "${QGIS_CHROOT_IN_NAMESPACE:-}" ]; then
  export QGIS_CHROOT_IN_NAMESPACE=1
  exec unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$VERSION" "$@"
fi

R=$CACHE/$NAME
STAMP=$R/$STAMP_NAME
# Packages the chroot needs before scripts/setup.sh can run: make (to run `make test`) and the
# CA certificates. The rest is scripts/setup.sh's list.
BOOTSTRAP_PACKAGES=make,ca-certificates

# --- mounts, and their removal -----------------------------------------------------------------
MOUNTS=()

unmount_all() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null \
      || say "could not unmount ${MOUNTS[i]}"
  done
  MOUNTS=()
}
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT
trap 'unmount_all; exit 143' TERM

# mount_at TARGET MOUNT-ARGS...: mount inside the chroot (TARGET is the path inside) and remember it.
mount_at() {
  local target=$R$1; shift
  mkdir -p "$target"
  mount "$@" "$target"
  MOUNTS+=("$target")
}

# bind_dir PATH [ro]: the host's folder PATH at the same place inside the chroot.
bind_dir() {
  mount_at "$1" --bind "$1"
  if [ "${2:-}" = ro ]; then mount -o remount,bind,ro "$R$1"; fi
}

mounts_under() {  # the mount points at or below $1 in this namespace
  awk -v top="$1" '$5 == top || index($5, top "/") == 1 { print $5 }' /proc/self/mountinfo
}

mount_everything() {
  mount_at /proc -t proc proc
  mount_at /sys --bind /sys
  mount_at /dev --bind /dev
  mount_at /dev/pts --bind /dev/pts
  mount_at /dev/shm --bind /dev/shm
  # A fresh /tmp per run: what the tests leave there does not pile up in the cached chroot.
  mount_at /tmp -t tmpfs -o mode=1777 tmpfs
  bind_dir "$ROOT"
  local shared
  shared=$(dirname "$ROOT")/shared
  if [ -d "$shared" ]; then bind_dir "$shared" ro; fi
  # This chroot's own sample-data cache, where the tests look for it (the checkout's .cache).
  mkdir -p "$ROOT/.cache-$NAME" "$ROOT/.cache"
  mount_at "$ROOT/.cache" --bind "$ROOT/.cache-$NAME"
  local dir
  for dir in $(pip_local_dirs); do bind_dir "$dir" ro; done
}

# --- what the host uses: apt mirror and proxy, CA bundle, pip configuration --------------------

# host_archive_uri SUITE: the first URI the host's apt sources list for SUITE (deb822 or one-line).
host_archive_uri() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local existing=() f
  for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
  [ ${#existing[@]} -gt 0 ] || return 0
  awk -v want="$1" '
    function flush(   i, n, s) {
      n = split(suites, s, " ")
      for (i = 1; i <= n; i++) if (s[i] == want && uris != "" && !found) { split(uris, u, " "); print u[1]; found = 1 }
      uris = ""; suites = ""
    }
    FNR == 1 { flush() }
    /^[[:space:]]*#/ { next }
    /^[[:space:]]*$/ { flush(); next }
    /^URIs:/   { sub(/^URIs:[[:space:]]*/, ""); uris = $0; next }
    /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0; next }
    $1 == "deb" {
      line = $0; sub(/\[[^]]*\]/, "", line); split(line, w, " ")
      if (w[3] == want && !found) { print w[2]; found = 1 }
    }
    END { flush() }' "${existing[@]}"
}

# shellcheck disable=SC1091  # the host's, read at run time
host_codename() ( . /etc/os-release && echo "${VERSION_CODENAME:-}" )

# Local folders the host's pip configuration points at (find-links, file:// indexes), to be
# seen inside the chroot too. For an index .../simple, its parent (the files sit beside it).
pip_local_dirs() {
  local conf values=() v path
  for conf in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"; do
    [ -f "$conf" ] && mapfile -t -O ${#values[@]} values < <(grep -E '^[[:space:]]*(find-links|extra-index-url|index-url)[[:space:]]*=' "$conf" | cut -d= -f2-)
  done
  values+=("${PIP_FIND_LINKS:-}" "${PIP_EXTRA_INDEX_URL:-}" "${PIP_INDEX_URL:-}")
  for v in ${values[@]+"${values[@]}"}; do
    for path in $v; do
      path=${path#file://}
      case $path in /*) ;; *) continue ;; esac
      path=${path%/}
      [ "$(basename "$path")" = simple ] && path=$(dirname "$path")
      [ -d "$path" ] && echo "$path"
    done
  done | sort -u
}

# put SOURCE DEST: copy a file so that a run using the chroot meanwhile never reads half of it.
put() { cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"; }

# Copied in at every entry, so that a change on the host reaches the chroot.
copy_host_config() {
  mkdir -p "$R/etc/ssl/certs" "$R/usr/local/share/ca-certificates" "$R/etc/apt/apt.conf.d"
  # The host's CA bundle (it trusts the TLS-inspecting proxy), and its local CAs, so that the
  # chroot's own update-ca-certificates keeps them too.
  put /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
  local f
  for f in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$f" ] && put "$f" "$R/usr/local/share/ca-certificates/$(basename "$f")"
  done
  [ -f /etc/resolv.conf ] && put /etc/resolv.conf "$R/etc/resolv.conf"
  # apt settings about fetching: proxy, validity of snapshot mirrors, retries.
  rm -f "$R"/etc/apt/apt.conf.d/host-*
  for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
    [ -f "$f" ] && grep -qE 'Acquire::.*(Proxy|Check-Valid-Until|Check-Date|Retries)' "$f" && put "$f" "$R/etc/apt/apt.conf.d/host-$(basename "$f")"
  done
  # pip's configuration (the local wheel folders it names are bind-mounted, see pip_local_dirs).
  [ -f /etc/pip.conf ] && put /etc/pip.conf "$R/etc/pip.conf"
  for f in /etc/xdg/pip/*; do
    [ -f "$f" ] && mkdir -p "$R/etc/xdg/pip" && put "$f" "$R/etc/xdg/pip/$(basename "$f")"
  done
  # No services started by packages' install scripts inside the chroot.
  printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d.tmp.$$"
  chmod +x "$R/usr/sbin/policy-rc.d.tmp.$$"
  mv -f "$R/usr/sbin/policy-rc.d.tmp.$$" "$R/usr/sbin/policy-rc.d"
  return 0
}

write_apt_sources() {
  local mirror=$1 security=$2 suites="$SUITE $SUITE-updates"
  [ -n "$APT_TARGET" ] && suites="$suites $APT_TARGET"
  rm -f "$R/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$mirror" "$suites"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$security" "$SUITE"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } > "$R/etc/apt/sources.list.d/debian.sources"
}

# --- inside the chroot -------------------------------------------------------------------------

# in_chroot COMMAND...: run in the checkout inside the chroot, with a clean environment: the
# variables below, plus the host's proxy, CA and pip settings and the test knobs.
in_chroot() {
  local vars=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
              LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive
              VENV=".venv-$NAME" QGIS= QGIS_APT_TARGET="$APT_TARGET" QGIS_CHROOT="$NAME")
  local name
  while IFS= read -r name; do
    case $name in
      PIP_*|*_CA_BUNDLE|SSL_CERT_*|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|\
      PYTEST_ARGS|PYTEST_ADDOPTS|GUI_*|DEMO_*|ONLY|LANGUAGES|COLUMNS)
        vars+=("$name=${!name}") ;;
    esac
  done < <(compgen -e)
  # shellcheck disable=SC2016  # $1 and $@ are the inner shell's
  env -i "${vars[@]}" /usr/sbin/chroot "$R" /bin/bash -c 'cd "$1" && shift && exec "$@"' \
    in-chroot "$ROOT" "$@"
}

# The stamp's content: what the chroot was built for and the packages it holds.
wanted_stamp() {
  printf 'suite=%s\napt_target=%s\nbootstrap=%s\npackages=%s\n' "$SUITE" "$APT_TARGET" \
    "$BOOTSTRAP_PACKAGES" "$(in_chroot bash scripts/setup.sh --list | tr '\n' ' ')"
}

# --- build or update the chroot ---------------------------------------------------------------
# Runs that use the chroot share a lock; building or updating it takes the lock for itself.
mkdir -p "$CACHE"
exec 9> "$CACHE/$NAME.lock"
lock() {  # lock -s|-x WHAT-THE-OTHERS-DO: take the lock on fd 9, saying so when that means waiting
  flock -n "$1" 9 && return 0
  say "waiting for another run that $2 $R ..."
  flock "$1" 9
}

lock -s "builds"
ready=""
if [ -f "$STAMP" ]; then
  copy_host_config
  mount_everything
  [ "$(cat "$STAMP")" = "$(wanted_stamp)" ] && ready=1
fi

if [ -z "$ready" ]; then
  unmount_all
  flock -u 9
  lock -x "uses"
  if [ -e "$R" ] && [ ! -f "$STAMP" ]; then
    say "$R is incomplete (a build was interrupted): building it again"
    if [ -n "$(mounts_under "$R")" ]; then
      die "there are mounts under $R, not removing it:" "$(mounts_under "$R")"
    fi
    rm -rf --one-file-system "$R"
  fi

  started=$(date +%s)
  built=""
  if [ ! -e "$R" ]; then
    codename=$(host_codename)
    mirror=${QGIS_CHROOT_MIRROR:-$(host_archive_uri "$codename")}
    security=${QGIS_CHROOT_SECURITY_MIRROR:-$(host_archive_uri "$codename-security")}
    [ -n "$mirror" ] || die "cannot find the host's Debian mirror in /etc/apt/sources*;" \
                            "set QGIS_CHROOT_MIRROR=http://.../debian"
    if ! command -v debootstrap > /dev/null; then
      say "installing debootstrap on the host"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2
    fi
    # debootstrap fetches with wget: give it the proxy apt uses, if any.
    proxy=""
    eval "$(apt-config shell proxy Acquire::http::Proxy)"
    say "building the $NAME chroot in $R from $mirror (debootstrap $SUITE; a few minutes, once)"
    http_proxy=${http_proxy:-$proxy} debootstrap --variant=minbase --include="$BOOTSTRAP_PACKAGES" \
      "$SUITE" "$R" "$mirror" > "$CACHE/$NAME.debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/$NAME.debootstrap.log" >&2
           die "debootstrap failed (log: $CACHE/$NAME.debootstrap.log)"; }
    write_apt_sources "$mirror" "$security"
    built=1
  fi

  copy_host_config
  mount_everything
  want=$(wanted_stamp)
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    [ -z "$built" ] && say "the package list changed: installing what is missing in $R"
    in_chroot bash scripts/setup.sh --packages
    echo "$want" > "$STAMP"  # last: only a complete chroot has it
    say "chroot $NAME ready in $(( $(date +%s) - started )) s"
  fi
  flock -s 9  # back to sharing it with other runs
fi

qgis_version=$(in_chroot /usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.version())' 2>/dev/null) \
  || die "QGIS does not import in the $NAME chroot"
# shellcheck disable=SC2016  # dpkg-query's format, not the shell's
package_version=$(in_chroot dpkg-query -W -f '${Version}' qgis)
say "QGIS $qgis_version (Debian package qgis $package_version, $NAME) in $R"
say "running: $*"

status=0
in_chroot "$@" || status=$?
exit "$status"
