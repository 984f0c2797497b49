#!/usr/bin/env bash
# Load test of one app process on loopback (issue 26; docs/benchmarks.md "Load"): builds src/Web and tools/LoadTest in
# Release, then tools/LoadTest starts the app as `dotnet src/Web/bin/Release/net10.0/WeightShare.Web.dll` on a free
# loopback port with a fresh data directory (SQLite file and stored files, removed afterwards), uploads the fixture CNN
# and Fashion-MNIST pair, runs two small seeded compression runs alone (their reference fronts), then starts the same
# two runs again and for the time given drives:
#   browsers   each holds a /hubs/runs connection joined to both runs, and loads /, /runs/{id}, ... in turn: the HTML,
#              its stylesheets and scripts (revalidated with If-None-Match after the first time), and the page's Blazor
#              Server circuit (/_blazor, kept open for the think time, closed with the disconnect beacon);
#   uploaders  POST /api/models of the fixture CNN in a loop (429 + Retry-After counted apart and waited out);
#   downloaders the finished solutions' .wsz and checkpoint in a loop.
# It prints per kind of request the count, 429s, errors, p50/p99/max latency, the server's RSS (idle, peak sampled,
# after, VmHWM) and whether both runs succeeded with the fronts they have alone, and writes OUT/report.json,
# OUT/report.md and OUT/server.log.
# Usage: bash scripts/loadtest.sh [-o OUT] [--seconds 120] [--browsers 20] [--uploads 4] [--downloads 4]
#        [--think-ms 1000] [--circuits on|off] [--generations 8]
#   -o OUT  where the report goes, default /tmp/wsw-load
# Exit status: 0 when the load held (no request error, no fail/crit line in the server's log, both runs Succeeded with
# the same fronts as alone), 1 when it did not, 2 on a usage or set-up error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=/tmp/wsw-load
if [ "${1:-}" = "-o" ]; then out=$2; shift 2; fi
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
cd "$root"
dotnet build -c Release src/Web -v q -nologo >/dev/null
dotnet build -c Release tools/LoadTest -v q -nologo >/dev/null
exec dotnet tools/LoadTest/bin/Release/net10.0/WeightShare.LoadTest.dll \
  --web "$root/src/Web/bin/Release/net10.0/WeightShare.Web.dll" --fixtures "$root/tests/fixtures/out" --out "$out" "$@"
