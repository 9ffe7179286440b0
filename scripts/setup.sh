#!/usr/bin/env bash
# Install what `make test` and `make demo` need and is missing: QGIS and GDAL from the
# distribution's packages (Debian/Ubuntu), then a virtualenv with the test tools.
# Safe to run again: it only installs what is not there.
#
#   scripts/setup.sh              the packages, then the virtualenv
#   scripts/setup.sh --packages   only the distribution's packages
#   scripts/setup.sh --list       print the package list (one a line) and do nothing else
#
# The same list serves Debian 12 (bookworm) and 13 (trixie); scripts/qgis_chroot.sh runs this
# script inside its chroots. QGIS_APT_TARGET=trixie-backports installs with
# `apt-get install -t trixie-backports`: QGIS (and whatever else that release has newer) from
# there.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PYTHON=${SYSTEM_PYTHON:-/usr/bin/python3}
VENV=${VENV:-.venv}
QGIS_APT_TARGET=${QGIS_APT_TARGET:-}
PACKAGES=(qgis python3-qgis qgis-providers gdal-bin python3-gdal python3-numpy python3-requests
          python3-venv xvfb xauth pyqt5-dev-tools qttools5-dev-tools
          curl unzip zip)

case ${1:-} in
  --list) printf '%s\n' "${PACKAGES[@]}"; exit 0 ;;
  --packages|"") ;;
  *) echo "usage: $0 [--packages | --list]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing from the distribution: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: these packages are missing and I am not root (and there is no sudo):" >&2
      echo "  apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends ${QGIS_APT_TARGET:+-t "$QGIS_APT_TARGET"} \
    "${missing[@]}"
fi

if ! "$SYSTEM_PYTHON" -c "import qgis.core, osgeo.gdal, requests" 2>/dev/null; then
  echo "setup: $SYSTEM_PYTHON cannot import qgis.core, osgeo.gdal and requests after install." >&2
  exit 1
fi
[ "${1:-}" = --packages ] && exit 0

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV (with the system site packages, for QGIS)" >&2
  "$SYSTEM_PYTHON" -m venv --system-site-packages "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
