#!/usr/bin/env bash
# `datastream bench transform` against the per-message Python transform (bench/python/transform_bench.py),
# run alternately on the same file in the same run, as issue 14 asks ("bench transform >= 25x the
# per-message Python transform in the same run"):
#   bench/compare_transform.sh FILE [ROUNDS=3] [DLL=/work/bins/new1/datastream.dll]
# Each round runs both once (C# first in odd rounds, Python first in even ones, so a drift in the host's
# load does not always favour the same side); each run is one warm-up pass and PASSES timed passes
# (environment, default 5) over the file held in memory. Prints one line per round: best and median rec/s
# of each, and the ratios C# median / Python median and C# best / Python best. The raw JSON lines of every
# run go to stderr.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 FILE [ROUNDS=3] [DLL]" >&2
  exit 2
fi
file=$(realpath "$1")
rounds=${2:-3}
dll=${3:-/work/bins/new1/datastream.dll}
passes=${PASSES:-5}
here=$(cd "$(dirname "$0")" && pwd)
[[ -f $file ]] || { echo "$file: no such file" >&2; exit 2; }
[[ -f $dll ]] || { echo "$dll: no such file" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_cs() {
  # The data dir is never written by bench transform; a throwaway one keeps the caller's directory clean.
  (cd "$work" && dotnet "$dll" --data-dir "$work/data" bench transform --input "$file" --passes "$passes") | tail -n 1
}
run_py() {
  python3 "$here/python/transform_bench.py" "$file" --passes "$passes" | tail -n 1
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

echo "file: $file ($(wc -l <"$file") records), rounds: $rounds, passes: $passes + 1 warm-up, dll: $dll"
echo "host: $(nproc) cores, $(python3 -c 'import platform; print("Python", platform.python_version())'), dotnet $(dotnet --version 2>/dev/null || echo '?')"
printf '%-5s %12s %12s %12s %12s %14s %12s %s\n' round cs_best cs_median py_best py_median median_ratio best_ratio load_avg
for ((round = 1; round <= rounds; round++)); do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if ((round % 2 == 1)); then
    cs=$(run_cs); py=$(run_py)
  else
    py=$(run_py); cs=$(run_cs)
  fi
  echo "round $round C#: $cs" >&2
  echo "round $round Python: $py" >&2
  cs_valid=$(field "$cs" valid); py_valid=$(field "$py" valid)
  if [[ $cs_valid != "$py_valid" ]]; then
    echo "C# found $cs_valid valid records, Python $py_valid: they do not do the same work" >&2
    exit 1
  fi
  cs_best=$(field "$cs" records_per_second); cs_median=$(field "$cs" median_records_per_second)
  py_best=$(field "$py" best_records_per_second); py_median=$(field "$py" median_records_per_second)
  python3 - "$round" "$cs_best" "$cs_median" "$py_best" "$py_median" "$load" <<'PY'
import sys
r, cb, cm, pb, pm, load = sys.argv[1], *map(float, sys.argv[2:6]), sys.argv[6]
print(f"{r:<5} {cb:12,.0f} {cm:12,.0f} {pb:12,.0f} {pm:12,.0f} {cm / pm:13.1f}x {cb / pb:11.1f}x {load}")
PY
done
