#!/usr/bin/env bash
# Writes N rides_raw records made by the real producer to OUT (JSONL), through a throwaway embedded log:
#   make_rides_raw.sh N OUT [DLL] [more `datastream produce` options, e.g. --invalid-ratio 0.05]
# The records are what `datastream produce --count N` sends, read back with `topics tail rides_raw`.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 N OUT [DLL] [produce options...]" >&2
  exit 2
fi
count=$1
out=$(realpath -m "$2")
mkdir -p "$(dirname "$out")"
dll=${3:-/work/bins/new1/datastream.dll}
shift $(( $# < 3 ? $# : 3 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
dotnet "$dll" --data-dir "$work/data" produce --count "$count" --rate 0 --seed 14 "$@" >/dev/null
dotnet "$dll" --data-dir "$work/data" topics tail rides_raw --from-beginning >"$out"
echo "$(wc -l <"$out") rides_raw records in $out" >&2
