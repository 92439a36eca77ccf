"""Exporting and importing 1,000 targets each takes < 2 s.

A real Home Assistant starts with 1,000 targets (entity targets and paused
HTTP targets, so nothing is polled). Through the REST API, with a write key:

* baseline (same run): listing all targets, ``GET targets`` in pages of 500;
* export: ``GET targets/export`` as JSON and as YAML;
* import, all unchanged, and a dry run changing every target;
* import updating every target (the interval of each changes);
* import creating 1,000 new targets (the export, renamed): the time until
  the request answers (targets stored, scheduled and checked), the time until
  all their entities exist in Home Assistant's registries, and the event
  loop's largest lag meanwhile (bench_probe's 10 ms ticker).

Each import is validated target by target as the target form does; the
figures are wall-clock request times, best of three where nothing changes.
"""

from __future__ import annotations

import json
import time
from typing import Any
import urllib.request

from . import Result, say
from ._hass import HassInstance, entity_target, http_target, hub_entry

NAME = "targets-as-code"
TITLE = "Targets as code: export and import"
FULL = {"targets": 1000}
QUICK = {"targets": 200}
GOAL_SECONDS = 2.0
KEY = {"name": "bench", "scope": "write", "rate_limit": 100_000}
PREFIX = "/api/pialert/v1"


def _targets(count: int) -> list[dict[str, Any]]:
    half = count // 2
    return [
        entity_target(f"Sensor {i:04d}", "input_boolean.bench_ok", tags=["bench"])
        for i in range(half)
    ] + [
        http_target(
            f"Site {i:04d}", f"http://127.0.0.1:9/{i}", interval=60, enabled=False
        )
        for i in range(count - half)
    ]


def _request(
    base: str, key: str, method: str, path: str, body: bytes | None = None
) -> tuple[float, int, bytes]:
    """Return (seconds, status, body) of one request."""
    headers = {"x-api-key": key}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(
        base + PREFIX + path, data=body, headers=headers, method=method
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        data, status = err.read(), err.code
    return time.perf_counter() - start, status, data


def _timed(
    base: str, key: str, method: str, path: str, body: bytes | None = None
) -> tuple[float, Any]:
    seconds, status, data = _request(base, key, method, path, body)
    if status != 200:
        raise RuntimeError(f"{method} {path} answered {status}: {data[:300]!r}")
    return seconds, data


def _best(
    base: str, key: str, method: str, path: str, body: bytes | None = None
) -> tuple[float, bytes]:
    runs = [_timed(base, key, method, path, body) for _ in range(3)]
    return min(r[0] for r in runs), runs[-1][1]


def run(quick: bool) -> Result:
    """Measure and return the figures."""
    params = QUICK if quick else FULL
    count = params["targets"]
    result = Result(NAME, TITLE, params=dict(params))
    yaml = "input_boolean:\n  bench_ok:\n    initial: true\n"
    with HassInstance(
        NAME, yaml=yaml, entry=hub_entry(_targets(count)), probe={"api_key": KEY}
    ) as hass:
        hass.start()
        info = hass.wait_ready()
        key, base = info["api_key"], hass.base_url
        say(
            f"{count} targets; Home Assistant ready after {info['ready_after_s']:.1f} s"
        )

        listing = 0.0
        for offset in range(0, count, 500):
            seconds, _ = _best(base, key, "GET", f"/targets?limit=500&offset={offset}")
            listing += seconds
        export_json, body = _best(base, key, "GET", "/targets/export")
        export_yaml, _ = _best(base, key, "GET", "/targets/export?format=yaml")
        document = json.loads(body)
        if len(document["targets"]) != count:
            raise RuntimeError(f"exported {len(document['targets'])} targets")

        unchanged, answer = _best(base, key, "POST", "/targets/import", body)
        if len(json.loads(answer)["unchanged"]) != count:
            raise RuntimeError(f"expected every target unchanged: {answer[:300]!r}")
        for item in document["targets"]:
            item["interval"] = 120
        changed = json.dumps(document).encode()
        dry, _ = _best(base, key, "POST", "/targets/import?dry_run=true", changed)
        say(f"export {export_json:.3f} s, dry-run import {dry:.3f} s")
        update, answer = _timed(base, key, "POST", "/targets/import", changed)
        if len(json.loads(answer)["updated"]) != count:
            raise RuntimeError(f"expected every target updated: {answer[:300]!r}")
        for item in document["targets"]:
            item["name"] = "Copy of " + item["name"]
        renamed = json.dumps(document).encode()
        before = _load(hass.base_url, "GET")["pialert_entities"]
        _load(hass.base_url, "POST")  # the loop's lag, from now on
        started = time.perf_counter()
        create, answer = _timed(base, key, "POST", "/targets/import", renamed)
        if len(json.loads(answer)["created"]) != count:
            raise RuntimeError(f"expected every target created: {answer[:300]!r}")
        # The answer comes once the targets are stored, scheduled and checked.
        settle_start = time.perf_counter()
        _, page = _timed(base, key, "GET", "/targets?limit=1")
        settled = time.perf_counter() - settle_start
        if json.loads(page)["total"] != 2 * count:
            raise RuntimeError(f"expected {2 * count} targets: {page[:200]!r}")
        all_entities, load = _until_entities(hass.base_url)
        all_entities -= started
        say(
            f"import of {count} new: answered after {create:.2f} s, all entities"
            f" after {all_entities:.1f} s, max loop lag {load['max_lag_ms']:.0f} ms"
        )
        errors = [line for line in hass.errors() if "pialert" in line]
        if errors:
            raise RuntimeError("Home Assistant logged errors:\n" + "\n".join(errors))

    startup = float(info["ready_after_s"])
    result.add(
        f"Home Assistant start with {count} targets (baseline: creates their entities)",
        round(startup, 2),
        "s",
    )
    result.details = {
        "listing_s": round(listing, 4),
        "next_request_s": round(settled, 3),
    }
    result.add(f"List {count} targets (baseline)", round(listing, 3), "s")
    for label, seconds in (
        (f"Export {count} targets, JSON", export_json),
        (f"Export {count} targets, YAML", export_yaml),
        (f"Import {count} targets, none changed", unchanged),
        (f"Import {count} targets, dry run, all changed", dry),
        (f"Import {count} targets, all updated", update),
        (f"Import {count} new targets", create),
    ):
        result.add(
            label,
            round(seconds, 3),
            "s",
            f"< {GOAL_SECONDS:g} s",
            seconds < GOAL_SECONDS,
            note=f"{seconds / listing:.1f} x listing",
        )
    # The import answers once its targets are stored, scheduled and checked;
    # Home Assistant then makes their devices and entities (as its own start
    # does for the same number), a slice at a time.
    result.figures[-1].note += f", {create / startup:.2f} x start"
    result.add(
        f"Import {count} new targets: all their entities exist",
        round(all_entities, 2),
        "s",
        note=f"{all_entities / startup:.2f} x start,"
        f" {load['pialert_entities'] - before} new entities",
    )
    result.add(
        f"Import {count} new targets: max event-loop lag until then",
        load["max_lag_ms"],
        "ms",
        note="includes Python's garbage collector's pauses",
    )
    return result


def _load(base: str, method: str) -> dict[str, Any]:
    """Call bench_probe's load view (GET: entity counts and the largest lag)."""
    request = urllib.request.Request(base + "/api/bench_probe/load", method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def _until_entities(base: str, settled: float = 3.0) -> tuple[float, dict[str, Any]]:
    """Poll until PiAlert's entity count stops growing for ``settled`` seconds.

    Return when it last grew, and the last load.
    """
    deadline = time.perf_counter() + 600
    count, grew = -1, time.perf_counter()
    while True:
        load = _load(base, "GET")
        now = time.perf_counter()
        if load["pialert_entities"] != count:
            count, grew = load["pialert_entities"], now
        elif now - grew >= settled:
            return grew, load
        if now > deadline:
            raise RuntimeError(f"entities still growing: {count}")
        time.sleep(0.1)
