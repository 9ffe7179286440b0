#!/usr/bin/env bash
# `make test-matrix`: `make test` against each QGIS in its Debian chroot (scripts/qgis_chroot.sh),
# one after the other, then a summary line per version: passed, failed, errors, skipped, time.
# Exit 1 when any version failed.
#
#   scripts/qgis_matrix.sh [VERSION...]        (default: 3.22 3.40 3.44; `make test-matrix MATRIX="3.40 3.44"`)
#
# Each version's whole output goes to build/matrix/qgis-<version>.log (MATRIX_OUT), and the
# failing tests, one a line with pytest's short reason, to build/matrix/failures-<version>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${MATRIX_OUT:-build/matrix}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.22 3.40 3.44)
mkdir -p "$OUT"
# pytest cuts its short summary lines ("FAILED test - reason") to the terminal's width.
export COLUMNS=${COLUMNS:-240}

minutes() { printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); }

# count WORD LINE: the number before WORD in pytest's last line ("3 failed, 700 passed in ...").
count() { grep -oE "[0-9]+ $1" <<< "$2" | grep -oE '^[0-9]+' || echo 0; }

summary=()
overall=0
for version in "${versions[@]}"; do
  log=$OUT/qgis-$version.log
  failures=$OUT/failures-$version.txt
  echo "test-matrix: ===== QGIS $version =====" >&2
  started=$(date +%s)
  status=0
  bash scripts/qgis_chroot.sh "$version" make test 2>&1 | tee "$log" || status=$?
  seconds=$(($(date +%s) - started))
  grep -E '^(FAILED|ERROR) ' "$log" > "$failures" || true
  qgis=$(sed -n 's/^qgis-chroot: QGIS \([^ ]*\) .*/\1/p' "$log" | head -1)
  result=$(grep -E '^=+ .* in [0-9.]+s.* =+$' "$log" | tail -1 || true)
  if [ -z "$result" ]; then
    line="did not get to the end (exit $status; see $log)"
  else
    line=$(printf 'passed %4s  failed %3s  errors %3s  skipped %3s' "$(count passed "$result")" \
      "$(count failed "$result")" "$(count error "$result")" "$(count skipped "$result")")
  fi
  mark=ok
  if [ "$status" -ne 0 ]; then mark=FAILED; overall=1; fi
  summary+=("$(printf '%-5s %-24s %s  %s  %s' "$version" "(${qgis:-QGIS ?})" "$line" \
    "$(minutes "$seconds")" "$mark")")
done

echo >&2
echo "test-matrix: summary (logs and failing tests in $OUT/)" >&2
for line in "${summary[@]}"; do echo "test-matrix: $line" >&2; done
exit "$overall"
