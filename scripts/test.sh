#!/usr/bin/env bash
# The whole suite: on SQLite (with the browser tests) and on a real PostgreSQL when its server
# binaries are installed. LMS_REQUIRE_POSTGRES=1 turns "not installed" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== Lint (ruff, import-linter)"
"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/lint-imports"

# The two runs share nothing but the CPU, so they run side by side: each is mostly one busy process, and on
# a 2-core machine this halves the wall time. The PostgreSQL run's output is printed once it ends.
pg_pid=""
pg_log=$(mktemp /tmp/lms-pg-run.XXXXXX)
trap 'rm -f "$pg_log"' EXIT
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== Tests on PostgreSQL started alongside (output below the SQLite run)"
  scripts/throwaway-postgres.sh "$bin/pytest" -m "not e2e" "$@" >"$pg_log" 2>&1 &
  pg_pid=$!
elif [ "${LMS_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL server binaries are required (LMS_REQUIRE_POSTGRES=1) but not installed." >&2
  exit 1
else
  echo "== PostgreSQL not installed here: the PostgreSQL run is skipped (apt-get install postgresql to enable it)."
fi

echo "== Tests on SQLite"
sqlite_status=0
"$bin/pytest" "$@" || sqlite_status=$?

pg_status=0
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || pg_status=$?
  echo "== Tests on PostgreSQL"
  cat "$pg_log"
fi
if [ "$sqlite_status" != 0 ] || [ "$pg_status" != 0 ]; then
  echo "== Failed: SQLite run exit $sqlite_status, PostgreSQL run exit $pg_status" >&2
  exit 1
fi
