#!/usr/bin/env bash
# `make gui-test`: the plugin zip, installed into a throwaway QGIS profile, in the real QGIS
# desktop under Xvfb, against the local OS API server, driven like a person by
# scripts/gui_drive.py. Screenshots, result.json and the logs go to build/gui/ (GUI_OUT).
#
# Fails (exit 1) when a step fails, when QGIS does not finish within GUI_TIMEOUT seconds, and
# when any Python error or traceback shows in the QGIS message log or QGIS's output.
# Exit 2: qgis or Xvfb is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/${VENV:-.venv}/bin/python}
OUT=${GUI_OUT:-$ROOT/build/gui}
TIMEOUT=${GUI_TIMEOUT:-180}

for tool in qgis Xvfb; do
  if ! command -v "$tool" > /dev/null; then
    echo "gui-test: $tool is not installed (scripts/setup.sh installs it)" >&2; exit 2
  fi
done

# shellcheck source=scripts/qgis_session.sh
source "$ROOT/scripts/qgis_session.sh"
session_init
trap session_cleanup EXIT

zip=$(python3 scripts/package.py)  # build/os_data_hub_loader-<version>.zip, as `make package`
rm -rf "$OUT"
mkdir -p "$OUT"
echo "gui-test: installing $(basename "$zip") into a throwaway profile" >&2

# GUI_SERVER_ARGS: more server options, e.g. a fault switch (tests/gui/test_gui.py uses one).
# shellcheck disable=SC2086
session_start_server "$OUT/server.log" --verbose ${GUI_SERVER_ARGS:-}
session_make_profile
python3 -m zipfile -e "$zip" "$SESSION_PLUGINS"
session_start_xvfb
unset QT_QPA_PLATFORM  # the real desktop on the Xvfb display, even when run from the tests

# The driver reports and exits by GUI_DEADLINE (QGIS's start-up counts); `timeout` is the backstop.
export GUI_OUT=$OUT GUI_SERVER_LOG=$OUT/server.log GUI_DEADLINE=$(($(date +%s) + TIMEOUT))
export GUI_PLUGIN_DIR=$SESSION_PLUGINS/os_data_hub_loader
status=0
timeout -k 10 "$((TIMEOUT + 20))" qgis --nologo --noversioncheck \
  --code "$ROOT/scripts/gui_drive.py" > "$OUT/qgis-output.log" 2>&1 || status=$?

failed=0
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "gui-test: QGIS did not finish within $((TIMEOUT + 20)) s and was stopped" >&2; failed=1
fi
if [ ! -s "$OUT/result.json" ]; then
  echo "gui-test: QGIS wrote no result (exit status $status); the end of its output:" >&2
  tail -40 "$OUT/qgis-output.log" >&2; failed=1
else
  python3 - "$OUT/result.json" <<'EOF' || failed=1
import json, sys
result = json.load(open(sys.argv[1], encoding="utf-8"))
for step in result["steps"]:
    mark = "ok  " if step["ok"] else "FAIL"
    print(f"gui-test: {mark} {step['name']:<22} {step['seconds']:6.1f} s  {step['detail']}",
          file=sys.stderr)
for error in result["python_errors"]:
    print(f"gui-test: Python error in the QGIS log:\n{error}", file=sys.stderr)
sys.exit(0 if result["ok"] else 1)
EOF
fi
if grep -n -E "Traceback \(most recent call last\)|^Python error" "$OUT/qgis-output.log" >&2; then
  echo "gui-test: Python errors in QGIS's output ($OUT/qgis-output.log)" >&2; failed=1
fi
if [ "$failed" -ne 0 ]; then
  echo "gui-test: FAILED; screenshots and logs in $OUT" >&2; exit 1
fi
echo "gui-test: passed; screenshots in $OUT" >&2
