"""ComputeCostTravel per message, as the original Python/Airflow/Kafka stack's consumer would run it.

The baseline of issue 14's acceptance item "`bench transform` >= 25x the per-message Python transform in
the same run". Written from SPEC §3.1, §3.3 and §3.4, standard library only: per message, decode the
bytes, `json.loads`, validate, compute haversine distance and price, `json.dumps` the rides_result
document and encode it to bytes, ready for a producer. Nothing is batched or vectorized: one Python call
per message, as a `for msg in consumer: producer.produce(transform(msg.value()))` loop does.

What it checks (SPEC §3.1, standard format):
- size: more than 64 KiB (`MAX_MESSAGE_BYTES`) -> too_large;
- encoding: strict UTF-8 (`bytes.decode("utf-8")`, which refuses encoded surrogates too) -> encoding;
- JSON: `json.loads` with NaN/Infinity refused -> invalid_json; duplicate keys at any depth, or a document
  that is not an object -> schema, as Datastream files them;
- ride_id: a 36-character hyphenated UUID (any case; written lower case);
- ts: ISO-8601 read by `datetime.fromisoformat` with an explicit offset required, normalized to UTC,
  written `yyyy-MM-ddTHH:mm:ss.fffZ` (sub-milliseconds truncated); at most 24 h after the processing time;
- origin/destination: objects whose `lat` in [-90, 90] and `lon` in [-180, 180] are finite JSON numbers
  (booleans are not numbers);
- comfort: low|medium|high or an alias (eco, economy, standard / comfort / business, premium, hight), ASCII
  case-insensitive, written canonical;
- duration_min, price_base, price_per_km, price_per_min: finite numbers >= 0 and at most the documented
  defaults (10,080 min; 100,000 for each price); price_total at most 1e9.
Unknown fields are ignored and not carried (distance_km and price_total in a raw record are unknown too).
A lone escaped surrogate can only reach a field that is read as a string (ride_id, ts, comfort), where it
fails that field's check, so it is refused as SPEC asks (as schema, where Datastream says encoding).

Distance and price (SPEC §3.3): haversine on a sphere of radius 6371.0 km, `distance_km` rounded to 3
decimals; `price_total = price_base + distance_km * price_per_km + duration_min * price_per_min` with the
rounded distance, to cents, midpoint away from zero. The tariffs are the record's own price_base,
price_per_km and price_per_min, which the producer fills from the default tariff table (`DEFAULT_TARIFFS`,
SPEC §3.3). The cents are computed in binary floating point and only a total within 1e-6 cent of a midpoint
x.xx5 is recomputed with `decimal` (ROUND_HALF_UP on the values' decimal texts), since in binary 0.675 sits
just below its midpoint: the same rule as Datastream's C#, at the cost of a plain `round()` for nearly every
ride, so the baseline is not slowed down by an always-decimal computation.

Not covered:
- The alternative course format of SPEC §3.2 (`{"data": [...]}`, `data_projet.json`-shaped) is skipped: such
  a record is refused (kind `unsupported`). It is not in the benchmark's input.
- Edge cases of the ts grammar: `datetime.fromisoformat` (Python 3.11) accepts a few ISO-8601 shapes that
  .NET refuses (basic format `20251030T160947Z`, offsets without a colon, more than 7 fraction digits) and the
  error messages differ from Datastream's. On the producer's records, valid or not, the outcome is the same
  (bench/python/check_against_cli.sh checks this against the real pipeline).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

EARTH_RADIUS_KM = 6371.0
MAX_MESSAGE_BYTES = 64 * 1024
MAX_TS_AHEAD = timedelta(hours=24)
MAX_DURATION_MIN = 10_080.0
MAX_PRICE = 100_000.0  # price_base, price_per_km and price_per_min each
MAX_PRICE_TOTAL = 1_000_000_000.0

# SPEC §3.3: (price_base, price_per_km, price_per_min) per canonical comfort; the producer's defaults.
DEFAULT_TARIFFS = {
    "low": (1.50, 0.80, 0.20),
    "medium": (2.00, 1.10, 0.30),
    "high": (3.00, 1.60, 0.45),
}

COMFORTS = {
    "low": "low", "eco": "low", "economy": "low", "standard": "low",
    "medium": "medium", "comfort": "medium",
    "high": "high", "business": "high", "premium": "high", "hight": "high",
}

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DEG = math.pi / 180.0
_CENT = Decimal("0.01")
_UTC = timezone.utc


class Rejected(Exception):
    """A record that goes to rides_dlq: kind (SPEC §3.5), JSON path, message."""

    def __init__(self, kind: str, path: str, message: str):
        super().__init__(f"{kind} {path}: {message}")
        self.kind = kind
        self.path = path
        self.message = message


class _DuplicateKey(ValueError):
    pass


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _object(pairs):
    document = dict(pairs)
    if len(document) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return document


_decoder = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_no_constant)


def _number(value, path: str) -> float:
    # bool is a subclass of int: true/false are not numbers.
    if type(value) is float:
        if math.isfinite(value):
            return value
    elif type(value) is int:
        try:
            return float(value)
        except OverflowError:
            pass
    elif value is None:
        raise Rejected("schema", path, "is required")
    else:
        raise Rejected("schema", path, "must be a number")
    raise Rejected("schema", path, "must be a finite number")


def _amount(document: dict, name: str, maximum: float):
    value = document.get(name)
    number = _number(value, "$." + name)
    if number < 0:
        raise Rejected("schema", "$." + name, "must not be negative")
    if number > maximum:
        raise Rejected("schema", "$." + name, f"must be at most {maximum:g}")
    return value, number


def _point(document: dict, name: str):
    point = document.get(name)
    if type(point) is not dict:
        raise Rejected("schema", "$." + name, "is required" if point is None else "must be an object")
    lat, lon = point.get("lat"), point.get("lon")
    lat_number = _number(lat, f"$.{name}.lat")
    if not -90.0 <= lat_number <= 90.0:
        raise Rejected("schema", f"$.{name}.lat", "must be between -90 and 90")
    lon_number = _number(lon, f"$.{name}.lon")
    if not -180.0 <= lon_number <= 180.0:
        raise Rejected("schema", f"$.{name}.lon", "must be between -180 and 180")
    return lat, lon, lat_number, lon_number


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371.0 km (SPEC §3.3)."""
    phi1 = lat1 * _DEG
    phi2 = lat2 * _DEG
    sin_dlat = math.sin((phi2 - phi1) / 2)
    sin_dlon = math.sin((lon2 - lon1) * _DEG / 2)
    h = sin_dlat * sin_dlat + math.cos(phi1) * math.cos(phi2) * sin_dlon * sin_dlon
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def price_total(distance_km: float, duration_min: float, price_base: float, price_per_km: float, price_per_min: float) -> float:
    """price_base + distance_km x price_per_km + duration_min x price_per_min to cents, midpoint away from zero."""
    total = price_base + distance_km * price_per_km + duration_min * price_per_min
    cents = total * 100
    if 0 <= cents < 1e7:
        whole = math.floor(cents)
        fraction = cents - whole
        # Far from a midpoint, binary and decimal round to the same cent (all terms are >= 0 and small).
        if abs(fraction - 0.5) > 1e-6:
            return (whole + 1 if fraction > 0.5 else whole) / 100
    exact = (Decimal(repr(price_base)) + Decimal(repr(distance_km)) * Decimal(repr(price_per_km))
             + Decimal(repr(duration_min)) * Decimal(repr(price_per_min)))
    return float(exact.quantize(_CENT, rounding=ROUND_HALF_UP))


def transform(payload: bytes, now: datetime | None = None) -> bytes:
    """One rides_raw message to its rides_result document (UTF-8 JSON bytes); raises Rejected for rides_dlq."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise Rejected("too_large", "$", f"{len(payload)} bytes exceeds the limit of {MAX_MESSAGE_BYTES}")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("encoding", "$", "payload is not valid UTF-8") from None
    try:
        document = _decoder.decode(text)
    except _DuplicateKey as duplicate:
        raise Rejected("schema", "$", f"duplicate key {duplicate}") from None
    except (ValueError, RecursionError) as error:
        raise Rejected("invalid_json", "$", f"invalid JSON: {error}") from None
    if type(document) is not dict:
        raise Rejected("schema", "$", "must be a JSON object")

    ride_id = document.get("ride_id")
    if ride_id is None:
        if "data" in document:
            raise Rejected("unsupported", "$.data", "the course format is not implemented here")
        raise Rejected("schema", "$.ride_id", "is required")
    if type(ride_id) is not str or len(ride_id) != 36 or not _UUID.fullmatch(ride_id):
        raise Rejected("schema", "$.ride_id", "must be a UUID")

    ts = document.get("ts")
    if type(ts) is not str:
        raise Rejected("schema", "$.ts", "is required" if ts is None else "must be an ISO-8601 timestamp string")
    try:
        moment = datetime.fromisoformat(ts)
    except ValueError:
        raise Rejected("schema", "$.ts", "must be an ISO-8601 timestamp") from None
    if moment.tzinfo is None:
        raise Rejected("schema", "$.ts", "must have an explicit UTC offset (Z or +hh:mm)")
    try:
        moment = moment.astimezone(_UTC)
    except OverflowError:
        raise Rejected("schema", "$.ts", "must be an ISO-8601 timestamp") from None
    if now is None:
        now = datetime.now(_UTC)
    if moment - now > MAX_TS_AHEAD:
        raise Rejected("schema", "$.ts", "must not be more than 24 h after the processing time")

    origin_lat, origin_lon, lat1, lon1 = _point(document, "origin")
    destination_lat, destination_lon, lat2, lon2 = _point(document, "destination")

    comfort = document.get("comfort")
    if type(comfort) is not str:
        raise Rejected("schema", "$.comfort", "is required" if comfort is None else "must be a string")
    canonical = COMFORTS.get(comfort.lower()) if comfort.isascii() else None
    if canonical is None:
        raise Rejected("schema", "$.comfort", "must be low, medium or high (or an alias)")

    duration_min, duration = _amount(document, "duration_min", MAX_DURATION_MIN)
    price_base, base = _amount(document, "price_base", MAX_PRICE)
    price_per_km, per_km = _amount(document, "price_per_km", MAX_PRICE)
    price_per_min, per_min = _amount(document, "price_per_min", MAX_PRICE)

    distance_km = round(haversine_km(lat1, lon1, lat2, lon2), 3)
    total = price_total(distance_km, duration, base, per_km, per_min)
    if not total <= MAX_PRICE_TOTAL:
        raise Rejected("schema", "$.price_total", f"computed as {total!r}, must be at most {MAX_PRICE_TOTAL:g}")

    result = {
        "ride_id": ride_id.lower(),
        "ts": moment.isoformat(timespec="milliseconds")[:-6] + "Z",
        "origin": {"lat": origin_lat, "lon": origin_lon},
        "destination": {"lat": destination_lat, "lon": destination_lon},
        "comfort": canonical,
        "duration_min": duration_min,
        "price_base": price_base,
        "price_per_km": price_per_km,
        "price_per_min": price_per_min,
        "distance_km": distance_km,
        "price_total": total,
    }
    return json.dumps(result, separators=(",", ":")).encode()


if __name__ == "__main__":
    # A rides_raw JSONL file (or stdin) in, one line out per record: the rides_result document or
    # {"rejected": {"kind", "path", "message"}}.
    import sys

    source = open(sys.argv[1], "rb") if len(sys.argv) > 1 else sys.stdin.buffer
    out = sys.stdout.buffer
    processing_time = datetime.now(_UTC)
    with source:
        for line in source:
            line = line.rstrip(b"\r\n")
            try:
                out.write(transform(line, processing_time))
            except Rejected as rejected:
                out.write(json.dumps({"rejected": {"kind": rejected.kind, "path": rejected.path, "message": rejected.message}}).encode())
            out.write(b"\n")
