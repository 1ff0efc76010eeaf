#!/usr/bin/env bash
# Checks bench/python/compute_cost.py against the real compute-cost pipeline on a rides_raw JSONL file:
#   check_against_cli.sh RAW.jsonl [DLL]
# Sends each line of RAW to rides_raw of a throwaway embedded log (`produce --from-file`), runs
# `pipeline compute-cost --until-idle`, tails rides_raw, rides_result and rides_dlq, and compares record by
# record (check_against_cli.py): verdict, ride_id, distance_km, price_total. Exits 1 on a mismatch.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 RAW.jsonl [DLL]" >&2
  exit 2
fi
raw=$(realpath "$1")
dll=${2:-/work/bins/new1/datastream.dll}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
ds() { dotnet "$dll" --data-dir "$work/data" "$@"; }
ds produce --from-file "$raw" --rate 0 >/dev/null
ds pipeline compute-cost --until-idle >&2
for topic in rides_raw rides_result rides_dlq; do
  ds topics tail "$topic" --from-beginning >"$work/$topic.jsonl"
done
python3 "$here/check_against_cli.py" "$raw" "$work/rides_raw.jsonl" "$work/rides_result.jsonl" "$work/rides_dlq.jsonl"
