#!/usr/bin/env bash
# Install what `make test` and `make demo` need and is missing: QGIS and GDAL from the
# distribution's packages (Debian/Ubuntu), then a virtualenv with the test tools.
# Safe to run again: it only installs what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PYTHON=${SYSTEM_PYTHON:-/usr/bin/python3}
VENV=${VENV:-.venv}
PACKAGES=(qgis python3-qgis qgis-providers gdal-bin python3-gdal python3-numpy python3-requests
          python3-venv xvfb xauth pyqt5-dev-tools qttools5-dev-tools
          curl unzip)

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
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! "$SYSTEM_PYTHON" -c "import qgis.core, osgeo.gdal, requests" 2>/dev/null; then
  echo "setup: $SYSTEM_PYTHON cannot import qgis.core, osgeo.gdal and requests after install." >&2
  exit 1
fi

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
