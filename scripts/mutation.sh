#!/usr/bin/env bash
# Mutation testing of the core with dotnet-stryker (the local tool of .config/dotnet-tools.json): mutates one folder of
# src/Engine at a time and runs, for each mutant, the Engine tests of that folder's own test folder (and the fuzz
# findings) that cover it, one test session at a time (tests/Engine.Tests/stryker-config.json), then prints the score.
# Slow by design (about an hour for Coding on one core): a script, not part of the test suite.
# Usage: bash scripts/mutation.sh [-o DIR] [FOLDER...]
#   -o DIR   reports (DIR/<folder>/reports/mutation-report.{html,json}) and logs, default /tmp/wsw-mutation
#   FOLDER   a folder of src/Engine: Coding, Wsz or Codecs (default all three, in that order)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=/tmp/wsw-mutation
while getopts "o:h" option; do
  case $option in
    o) out=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(Coding Wsz Codecs)
for folder in "${folders[@]}"; do
  [ -d "$root/src/Engine/$folder" ] || { echo "mutation.sh: no folder src/Engine/$folder" >&2; exit 2; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
dotnet tool restore >/dev/null
cd "$root/tests/Engine.Tests"
for folder in "${folders[@]}"; do
  echo "mutating src/Engine/$folder"
  # The tests that can see a mutant of the folder: its own, and the replayed fuzz findings; the codecs' also through
  # the .wsz round trips.
  case $folder in
    Codecs) tests="FullyQualifiedName~WeightShare.Engine.Tests.Codecs|FullyQualifiedName~WeightShare.Engine.Tests.Wsz" ;;
    *) tests="FullyQualifiedName~WeightShare.Engine.Tests.$folder|FullyQualifiedName~FuzzFindings" ;;
  esac
  dotnet dotnet-stryker --mutate "**/$folder/**/*.cs" --test-case-filter "$tests" --output "$out/$folder" >"$out/$folder.log" 2>&1 \
    || { echo "mutation.sh: stryker failed on $folder, see $out/$folder.log" >&2; exit 1; }
  python3 - "$out/$folder/reports/mutation-report.json" "$folder" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
status = {}
for f in report["files"].values():
    for m in f["mutants"]:
        status[m["status"]] = status.get(m["status"], 0) + 1
killed = status.get("Killed", 0) + status.get("Timeout", 0)
survived = status.get("Survived", 0) + status.get("NoCoverage", 0)
score = 100 * killed / (killed + survived) if killed + survived else 0
print(f"{sys.argv[2]}: score {score:.1f} % ({killed} killed or timed out, {status.get('Survived', 0)} survived, "
      f"{status.get('NoCoverage', 0)} not covered; {status.get('CompileError', 0)} did not compile, {status.get('Ignored', 0)} ignored)")
PY
done
