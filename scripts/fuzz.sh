#!/usr/bin/env bash
# Schema fuzzing of the reference server: starts target/release/offboard-server on a free
# loopback port with a fresh demo database, runs schemathesis against the server's own
# /openapi.json with the demo owner's credentials (scripts/fuzz.toml), prints the figures, and
# stops the server whatever the outcome. Destructive calls are fine: the database is thrown away.
#
# Usage: scripts/fuzz.sh SCHEMATHESIS [schemathesis run options…], e.g. --max-examples 50.
# FUZZ_DB=postgres uses the empty database of OFFBOARD_TEST_POSTGRES_URL instead (run it under
# scripts/with-postgres.sh, as `make fuzz FUZZ_DB=postgres` does).
# Exits non-zero if any check failed (a 5xx, or a response the spec does not describe) or the
# server logged an error.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
st=${1:?usage: scripts/fuzz.sh SCHEMATHESIS [schemathesis run options]}
shift
case $st in */*) st=$(cd "$(dirname "$st")" && pwd)/$(basename "$st") ;; esac
server=$root/target/release/offboard-server
[ -x "$server" ] || { echo "fuzz: no $server (make server)" >&2; exit 1; }

# Everything lands under .tmp/fuzz: the database, the server's log, schemathesis' JSON report
# and its example database (.hypothesis, which replays earlier failures first).
work=$root/.tmp/fuzz
mkdir -p "$work"
rm -f "$work"/fuzz.db "$work"/fuzz.db-wal "$work"/fuzz.db-shm "$work"/report.json
case ${FUZZ_DB:-sqlite} in
  sqlite) database=sqlite://$work/fuzz.db ;;
  postgres) database=${OFFBOARD_TEST_POSTGRES_URL:?FUZZ_DB=postgres: run under scripts/with-postgres.sh} ;;
  *) echo "fuzz: FUZZ_DB is sqlite or postgres, not ${FUZZ_DB}" >&2; exit 2 ;;
esac
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

NO_COLOR=1 "$server" --listen "127.0.0.1:$port" --database "$database" --demo \
  >"$work/server.log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "fuzz: the server exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$base/healthz" >/dev/null || { echo "fuzz: no /healthz on $base" >&2; exit 1; }

status=0
(cd "$work" && "$st" --config-file "$root/scripts/fuzz.toml" run "$base/openapi.json" \
  --report json --report-json-path "$work/report.json" --no-color "$@") || status=$?

# The figures, from schemathesis' JSON report (its summary above says the same at length): a
# server error is a 5xx (ST101, ST102); a schema violation is a response the spec does not
# describe (ST103-ST111: status code, content type, headers, body); anything else is another
# check's failure. The server's own log must have no error either.
python3 - "$work/report.json" "$work/server.log" <<'PY' || status=1
import json, sys

with open(sys.argv[1]) as f:
    report = json.load(f)
with open(sys.argv[2], errors="replace") as f:
    logged = [line.rstrip() for line in f if " ERROR " in line]

def count(codes):
    return sum(f["count"] for f in report["failures"] if f["code"] in codes)

server = count({"ST101", "ST102"})
schema = count({f"ST{n}" for n in range(103, 112)})
other = sum(f["count"] for f in report["failures"]) - server - schema
ops, cases = report["operations"], report["test_cases"]
print(
    f"fuzz: {ops['tested']}/{ops['total']} operations, {cases['generated']} cases, "
    f"{server} server errors, {schema} schema violations, {other} other failures, "
    f"{len(report['errors'])} errors, {len(logged)} errors in the server log, "
    f"{report['running_time']:.0f}s"
)
for failure in report["failures"]:
    print(f"  {failure['code']} {failure['title']}: {', '.join(failure['operations'])}")
for line in logged[:10]:
    print(f"  server log: {line}")
sys.exit(1 if report["failures"] or report["errors"] or logged else 0)
PY
exit "$status"
