#!/usr/bin/env bash
# The offline demo: the bundled local OS API server and QGIS with the plugin pointed at it,
# in a throwaway QGIS profile. With a display QGIS opens for you to use; without one (or with
# DEMO_HEADLESS=1) it runs under Xvfb, drives the plugin and saves screenshots to demo-shots/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
SHOTS=${DEMO_SHOTS:-$ROOT/demo-shots}
work=$(mktemp -d)
server_pid=""; xvfb_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$PYTHON" -m local_os_api --port 0 --url-file "$work/url" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do [ -s "$work/url" ] && break; sleep 0.1; done
if [ ! -s "$work/url" ]; then echo "demo: the local OS API server did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
export OS_API_BASE_URL=$(cat "$work/url")
echo "demo: local OS API server at $OS_API_BASE_URL" >&2

export QGIS_CUSTOM_CONFIG_PATH="$work/qgis-config"
profile="$QGIS_CUSTOM_CONFIG_PATH/profiles/default"
mkdir -p "$profile/python/plugins" "$profile/QGIS"
ln -s "$ROOT" "$profile/python/plugins/os_data_hub_loader"
printf '[PythonPlugins]\nos_data_hub_loader=true\n\n[qgis]\nshowTips=false\ncheckVersion=false\n' \
  > "$profile/QGIS/QGIS3.ini"

if [ -n "${DISPLAY:-}" ] && [ -z "${DEMO_HEADLESS:-}" ]; then
  echo "demo: for data packages and basemaps, enter the key local-demo-key (or local-premium-key)" >&2
  echo "      in QGIS: Settings → Options → OS Data Hub (QGIS asks for a master password once)." >&2
  qgis --nologo --noversioncheck
  exit 0
fi

display=":$((90 + RANDOM % 500))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
xvfb_pid=$!
sleep 1
mkdir -p "$SHOTS"
export DISPLAY=$display DEMO_SHOTS=$SHOTS
timeout 300 qgis --nologo --noversioncheck --code "$ROOT/scripts/demo_drive.py" \
  > "$work/qgis.log" 2>&1 || true
if ! ls "$SHOTS"/*.png > /dev/null 2>&1; then
  echo "demo: QGIS did not produce screenshots; its log:" >&2; tail -50 "$work/qgis.log" >&2; exit 1
fi
cat "$SHOTS/demo-report.txt" 2>/dev/null || true
echo "demo: screenshots in $SHOTS" >&2
