#!/usr/bin/env bash
# The whole suite: once on SQLite (with the browser tests), once more on a real PostgreSQL
# when its server binaries are installed. LMS_REQUIRE_POSTGRES=1 turns "not installed" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== Lint (ruff, import-linter)"
"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/lint-imports"

echo "== Tests on SQLite"
"$bin/pytest" "$@"

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== Tests on PostgreSQL"
  scripts/throwaway-postgres.sh "$bin/pytest" -m "not e2e" "$@"
elif [ "${LMS_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL server binaries are required (LMS_REQUIRE_POSTGRES=1) but not installed." >&2
  exit 1
else
  echo "== PostgreSQL not installed here: the PostgreSQL run is skipped (apt-get install postgresql to enable it)."
fi
