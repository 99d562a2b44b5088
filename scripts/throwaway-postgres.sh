#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a free loopback port.
# The cluster's URL is exported as LMS_TEST_DATABASE_URL; the cluster is removed on exit.
# Usage: scripts/throwaway-postgres.sh COMMAND [ARGS...]
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "throwaway-postgres: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 3
fi

dir=$(mktemp -d /tmp/lms-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres lms_test

export LMS_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/lms_test"
echo "throwaway-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $port"
"$@"
