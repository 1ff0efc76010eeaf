"""The Python counterpart of `datastream bench transform`: compute_cost.transform once per message.

Usage: transform_bench.py FILE [--passes N]   (default 5)
Reads the rides_raw JSONL file into memory as one bytes object per line (a Kafka message value), then runs
one warm-up pass and N timed passes over it, single-threaded, as BenchCommand does: one processing time for
the whole run, each result document built and encoded to bytes, then dropped. Prints one JSON line:
{records, valid, invalid, passes, best_records_per_second, median_records_per_second, ...}.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compute_cost import Rejected, transform  # noqa: E402


def read_lines(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def one_pass(records, now):
    valid = invalid = 0
    for record in records:
        try:
            transform(record, now)
            valid += 1
        except Rejected:
            invalid += 1
    return valid, invalid


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--passes", type=int, default=5, help="timed passes after the warm-up pass (default 5)")
    args = parser.parse_args()
    if args.passes < 1:
        parser.error("--passes must be at least 1")

    records = read_lines(args.file)
    now = datetime.now(timezone.utc)
    valid, invalid = one_pass(records, now)
    seconds = []
    for i in range(args.passes):
        start = time.perf_counter()
        counts = one_pass(records, now)
        seconds.append(time.perf_counter() - start)
        if counts != (valid, invalid):
            sys.exit(f"pass {i + 1} found {counts}, the warm-up pass {(valid, invalid)}")
        gc.collect()  # between passes, outside the timing

    best = min(seconds)
    median = statistics.median(seconds)
    print(json.dumps({
        "records": len(records),
        "valid": valid,
        "invalid": invalid,
        "passes": args.passes,
        "best_records_per_second": round(len(records) / best),
        "median_records_per_second": round(len(records) / median),
        "seconds": round(best, 4),
        "median_seconds": round(median, 4),
        "python": platform.python_version(),
    }))


if __name__ == "__main__":
    main()
