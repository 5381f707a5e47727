#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster and OFFBOARD_TEST_POSTGRES_URL pointing at
# it, so the server's PostgreSQL test runs for real in `make test`. The cluster lives in a temp
# dir and is stopped and deleted afterwards, whatever the command's outcome.
set -euo pipefail

bin=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1)")
[ -x "$bin/initdb" ] || { echo "with-postgres: no PostgreSQL found (make install-postgres)" >&2; exit 1; }

dir=$(mktemp -d /tmp/offboard-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: run the cluster as `nobody` then.
as_owner=()
if [ "$(id -u)" = 0 ]; then chown nobody "$dir"; as_owner=(runuser -u nobody --); fi

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U offboard --auth=trust >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null

export OFFBOARD_TEST_POSTGRES_URL="postgres://offboard@127.0.0.1:$port/postgres"
"$@"
