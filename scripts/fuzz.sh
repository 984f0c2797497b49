#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader and decoder: builds tools/Fuzz in Release, instruments a copy of
# WeightShare.Engine.dll with SharpFuzz (the local dotnet tool of .config/dotnet-tools.json), then runs Debian's
# afl-fuzz on each harness in turn for the seconds given, starting from its seeds in tools/Fuzz/corpus/<harness>, and
# prints per harness the executions, the corpus afl grew (paths), crashes and hangs from afl's fuzzer_stats.
# Needs the .NET SDK; installs afl++ with apt when missing (as root). Harnesses run one after another, never at once.
# Usage: bash scripts/fuzz.sh [-s SECONDS] [-o DIR] [HARNESS...]
#   -s SECONDS  fuzzing time per harness (afl-fuzz -V), default 60
#   -o DIR      findings (DIR/<harness>/default/{crashes,hangs,queue,fuzzer_stats}), logs and the instrumented
#               build (DIR/bin), default /tmp/wsw-fuzz; a harness's earlier findings there are replaced
#   HARNESS     any of `dotnet run --project tools/Fuzz -- list`; default all of them
# Bounds every execution is held to (the readers' contract is "a value or InvalidInputException, within a time and a
# memory bound"):
#   time    afl-fuzz -t 5000: an input that runs more than 5 s is saved as a hang.
#   memory  inside the process, not with afl's -m: the harness's runtimeconfig sets System.GC.HeapHardLimit to 1 GiB,
#           so an allocation past it throws OutOfMemoryException, which escapes and is saved as a crash. afl's -m
#           limits address space, and the .NET runtime reserves far more of it than it uses, so it would not start
#           (hence -m none). Inputs are capped at 256 KiB (-G), which the readers' own inflation bounds keep well under
#           1 GiB.
# A crash or hang replays without afl, on the uninstrumented build:
#   dotnet tools/Fuzz/bin/Release/net10.0/WeightShare.Fuzz.dll HARNESS DIR/HARNESS/default/crashes
# Exit status: 0 when no harness found a crash or hang, 1 when one did, 2 on a usage or set-up error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
out=/tmp/wsw-fuzz
while getopts "s:o:h" option; do
  case $option in
    s) seconds=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $seconds in ''|*[!0-9]*) echo "fuzz.sh: -s takes whole seconds, not '$seconds'" >&2; exit 2 ;; esac

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
  else
    echo "fuzz.sh: afl-fuzz is missing; install Debian's afl++ (apt-get install afl++)" >&2; exit 2
  fi
fi

# Built in the tree, then copied to DIR/bin, where SharpFuzz rewrites the Engine in place: the tree's own build stays
# uninstrumented (replays run there: instrumented code outside afl has no trace memory to write to), and a build in
# the tree during a campaign cannot change the program under it. The native libraries (libtorch alone is hundreds of
# MB, and no reader calls it) are hard-linked where the file system allows: a build never rewrites them.
dotnet build "$root/tools/Fuzz/Fuzz.csproj" -c Release -nologo -v q >/dev/null
build="$root/tools/Fuzz/bin/Release/net10.0"
bin="$out/bin"
rm -rf "$bin"
mkdir -p "$bin"
for entry in "$build"/*; do
  if [ "$(basename "$entry")" = runtimes ]; then
    cp -al "$entry" "$bin/" 2>/dev/null || cp -a "$entry" "$bin/"
  else
    cp -a "$entry" "$bin/"
  fi
done
(cd "$root" && dotnet tool restore >/dev/null && dotnet sharpfuzz "$bin/WeightShare.Engine.dll" >/dev/null)

if [ $# -gt 0 ]; then
  harnesses=("$@")
else
  mapfile -t harnesses < <(dotnet "$bin/WeightShare.Fuzz.dll" list | awk '{print $1}')
fi
for harness in "${harnesses[@]}"; do
  if [ ! -d "$root/tools/Fuzz/corpus/$harness" ]; then
    echo "fuzz.sh: no harness '$harness' (no tools/Fuzz/corpus/$harness)" >&2; exit 2
  fi
done

# dotnet itself carries no afl instrumentation: the coverage comes from the instrumented Engine through SharpFuzz,
# which speaks afl's fork-server protocol. Runs are unattended (no UI) on whatever CPU governor and core pattern the
# machine has.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_CLI_TELEMETRY_OPTOUT=1
for harness in "${harnesses[@]}"; do
  echo "fuzzing $harness for $seconds s" >&2
  rm -rf "${out:?}/$harness"
  if ! afl-fuzz -i "$root/tools/Fuzz/corpus/$harness" -o "$out/$harness" -t 5000 -m none -G 262144 -V "$seconds" \
      -- dotnet "$bin/WeightShare.Fuzz.dll" "$harness" >"$out/$harness.log" 2>&1; then
    echo "fuzz.sh: afl-fuzz failed on $harness; the end of $out/$harness.log:" >&2
    tail -n 15 "$out/$harness.log" >&2
  fi
done

stat_of() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$2"; }
found=0
summary="$out/summary.md"
{
  echo "| harness | seconds | executions | execs/s | paths | crashes | hangs |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for harness in "${harnesses[@]}"; do
    stats="$out/$harness/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
      echo "| $harness | - | afl did not run: see $out/$harness.log | | | | |"
      found=1
      continue
    fi
    crashes=$(stat_of saved_crashes "$stats")
    hangs=$(stat_of saved_hangs "$stats")
    [ "$crashes" = 0 ] && [ "$hangs" = 0 ] || found=1
    echo "| $harness | $(stat_of run_time "$stats") | $(stat_of execs_done "$stats") | $(stat_of execs_per_sec "$stats") |" \
      "$(stat_of corpus_count "$stats") | $crashes | $hangs |"
  done
} >"$summary"
cat "$summary"
echo "findings under $out; replay them: dotnet $build/WeightShare.Fuzz.dll HARNESS $out/HARNESS/default/crashes" >&2
exit $found
