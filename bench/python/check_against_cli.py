"""Compares compute_cost.transform with what the real compute-cost pipeline wrote, record by record.

Usage: check_against_cli.py RAW RAW_TAIL RESULT_TAIL DLQ_TAIL
RAW is the rides_raw JSONL file that was produced; the *_TAIL files are `datastream topics tail <topic>
--from-beginning` of rides_raw, rides_result and rides_dlq after `pipeline compute-cost --until-idle`. rides_raw
must have one partition, so that line i of RAW is offset i (checked: RAW_TAIL must equal RAW byte for byte).

For each record: both accept it or both refuse it. When both accept it: the same ride_id, distance_km and
price_total (equal to the cent, and also compared exactly), the same document once parsed, and whether the
bytes are identical too. When both refuse it: whether the kind is the same (information only: Python files a
duplicate key as schema like Datastream, a lone surrogate as schema where Datastream says encoding).
Prints one JSON summary; exits 1 when a ride's verdict, ride_id, distance or price differ.
"""

import json
import sys
from datetime import datetime, timezone

import compute_cost


def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def main(raw_path, raw_tail_path, result_path, dlq_path):
    raw = read_lines(raw_path)
    if read_lines(raw_tail_path) != raw:
        sys.exit("rides_raw in the log is not the input file line for line: cannot align offsets")
    results = read_lines(result_path)
    dead = {}
    for line in read_lines(dlq_path):
        envelope = json.loads(line)
        source = envelope["source"]
        if source["topic"] != "rides_raw" or source["partition"] != 0:
            sys.exit(f"unexpected dead letter source {source}: the check needs rides_raw with one partition")
        dead[source["offset"]] = envelope["error"]
    if len(results) + len(dead) != len(raw):
        sys.exit(f"{len(raw)} raw records but {len(results)} results and {len(dead)} dead letters")

    now = datetime.now(timezone.utc)
    counts = dict(records=len(raw), cli_results=len(results), cli_dead_letters=len(dead), python_valid=0, python_invalid=0,
                  verdict_mismatches=0, both_valid=0, matched=0, ride_id_mismatches=0, distance_mismatches=0,
                  price_mismatches=0, price_exact_mismatches=0, documents_equal=0, documents_byte_identical=0,
                  default_tariffs=0, both_invalid=0, same_kind=0)
    kinds = {}
    examples = []
    next_result = 0
    for offset, payload in enumerate(raw):
        try:
            mine = compute_cost.transform(payload, now)
            counts["python_valid"] += 1
        except compute_cost.Rejected as rejected:
            mine = rejected
            counts["python_invalid"] += 1

        if offset in dead:
            theirs = dead[offset]
            if isinstance(mine, compute_cost.Rejected):
                counts["both_invalid"] += 1
                same = mine.kind == theirs["kind"]
                counts["same_kind"] += same
                key = f"{theirs['kind']} -> {mine.kind}"
                kinds[key] = kinds.get(key, 0) + 1
            else:
                counts["verdict_mismatches"] += 1
                examples.append(dict(offset=offset, cli=theirs, python="accepted"))
            continue

        result = results[next_result]
        next_result += 1
        if isinstance(mine, compute_cost.Rejected):
            counts["verdict_mismatches"] += 1
            examples.append(dict(offset=offset, cli="accepted", python=str(mine)))
            continue

        counts["both_valid"] += 1
        cli_doc, py_doc = json.loads(result), json.loads(mine)
        ok = True
        if cli_doc["ride_id"] != py_doc["ride_id"]:
            counts["ride_id_mismatches"] += 1
            ok = False
        if cli_doc["distance_km"] != py_doc["distance_km"]:
            counts["distance_mismatches"] += 1
            ok = False
        if round(cli_doc["price_total"] * 100) != round(py_doc["price_total"] * 100):
            counts["price_mismatches"] += 1
            ok = False
        if cli_doc["price_total"] != py_doc["price_total"]:
            counts["price_exact_mismatches"] += 1
        counts["matched"] += ok
        counts["documents_equal"] += cli_doc == py_doc
        counts["documents_byte_identical"] += result == mine
        tariff = (py_doc["price_base"], py_doc["price_per_km"], py_doc["price_per_min"])
        counts["default_tariffs"] += tariff == compute_cost.DEFAULT_TARIFFS[py_doc["comfort"]]
        if not ok or cli_doc != py_doc:
            if len(examples) < 10:
                examples.append(dict(offset=offset, cli=result.decode(), python=mine.decode()))

    counts["dead_letter_kinds_cli_to_python"] = kinds
    counts["examples"] = examples[:10]
    print(json.dumps(counts, indent=1))
    failed = counts["verdict_mismatches"] or counts["ride_id_mismatches"] or counts["distance_mismatches"] or counts["price_mismatches"]
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
