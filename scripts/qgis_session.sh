# Sourced by scripts/demo.sh and scripts/gui_test.sh: what both need to run the real QGIS
# desktop with the plugin against the local OS API server.
#
#   session_init                      a work folder ($SESSION_WORK), removed by session_cleanup
#   session_start_server LOG [ARGS]   the local OS API server; exports OS_API_BASE_URL
#   session_make_profile              a throwaway QGIS profile with the plugin enabled; exports
#                                     QGIS_CUSTOM_CONFIG_PATH, sets $SESSION_PLUGINS (its plugin
#                                     folder, for the caller to fill)
#   session_start_xvfb                a virtual display (1600x1000); exports DISPLAY
#   session_cleanup                   stops what was started (call it from an EXIT trap)
#
# Needs ROOT (the repo) and PYTHON (a Python that can import the server's GDAL) to be set.

SESSION_WORK=""
session_server_pid=""
session_xvfb_pid=""

session_init() {
  SESSION_WORK=$(mktemp -d)
}

session_cleanup() {
  [ -n "$session_server_pid" ] && kill "$session_server_pid" 2>/dev/null || true
  [ -n "$session_xvfb_pid" ] && kill "$session_xvfb_pid" 2>/dev/null || true
  [ -n "$SESSION_WORK" ] && rm -rf "$SESSION_WORK"
  return 0
}

session_start_server() {
  local log=$1; shift
  (cd "$ROOT" && exec "$PYTHON" -m local_os_api --port 0 --url-file "$SESSION_WORK/url" "$@") \
    > "$log" 2>&1 &
  session_server_pid=$!
  for _ in $(seq 1 600); do [ -s "$SESSION_WORK/url" ] && break; sleep 0.1; done
  if [ ! -s "$SESSION_WORK/url" ]; then
    echo "the local OS API server did not start:" >&2; cat "$log" >&2; return 1
  fi
  OS_API_BASE_URL=$(cat "$SESSION_WORK/url")
  export OS_API_BASE_URL
}

session_make_profile() {
  export QGIS_CUSTOM_CONFIG_PATH="$SESSION_WORK/qgis-config"
  local profile="$QGIS_CUSTOM_CONFIG_PATH/profiles/default"
  SESSION_PLUGINS="$profile/python/plugins"
  mkdir -p "$SESSION_PLUGINS" "$profile/QGIS"
  printf '[PythonPlugins]\nos_data_hub_loader=true\n\n[qgis]\nshowTips=false\ncheckVersion=false\n' \
    > "$profile/QGIS/QGIS3.ini"
}

session_start_xvfb() {
  local display
  for _ in 1 2 3 4 5; do
    display=":$((90 + RANDOM % 500))"
    [ -e "/tmp/.X11-unix/X${display#:}" ] && continue
    Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp > "$SESSION_WORK/xvfb.log" 2>&1 &
    session_xvfb_pid=$!
    sleep 1
    if kill -0 "$session_xvfb_pid" 2>/dev/null; then
      export DISPLAY=$display
      return 0
    fi
    session_xvfb_pid=""
  done
  echo "Xvfb did not start:" >&2; cat "$SESSION_WORK/xvfb.log" >&2
  return 1
}
