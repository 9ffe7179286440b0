#!/usr/bin/env bash
# The offline demo: the bundled local OS API server and QGIS with the plugin pointed at it,
# in a throwaway QGIS profile. With a display QGIS opens for you to use; without one (or with
# DEMO_HEADLESS=1) it runs under Xvfb, drives the plugin and saves screenshots to demo-shots/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/${VENV:-.venv}/bin/python}
SHOTS=${DEMO_SHOTS:-$ROOT/demo-shots}
# shellcheck source=scripts/qgis_session.sh
source "$ROOT/scripts/qgis_session.sh"
session_init
trap session_cleanup EXIT
work=$SESSION_WORK

if ! session_start_server "$work/server.log"; then echo "demo: cannot continue" >&2; exit 1; fi
echo "demo: local OS API server at $OS_API_BASE_URL" >&2

session_make_profile
ln -s "$ROOT" "$SESSION_PLUGINS/os_data_hub_loader"

if [ -n "${DISPLAY:-}" ] && [ -z "${DEMO_HEADLESS:-}" ]; then
  echo "demo: for data packages and basemaps, enter the key local-demo-key (or local-premium-key)" >&2
  echo "      in QGIS: Settings → Options → OS Data Hub (QGIS asks for a master password once)." >&2
  qgis --nologo --noversioncheck
  exit 0
fi

session_start_xvfb
mkdir -p "$SHOTS"
export DEMO_SHOTS=$SHOTS
timeout 300 qgis --nologo --noversioncheck --code "$ROOT/scripts/demo_drive.py" \
  > "$work/qgis.log" 2>&1 || true
if ! ls "$SHOTS"/*.png > /dev/null 2>&1; then
  echo "demo: QGIS did not produce screenshots; its log:" >&2; tail -50 "$work/qgis.log" >&2; exit 1
fi
cat "$SHOTS/demo-report.txt" 2>/dev/null || true
echo "demo: screenshots in $SHOTS" >&2
