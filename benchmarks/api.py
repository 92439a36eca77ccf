"""api: ``GET /api/v1/alert-status`` under load, against a bare view of the same size.

A real Home Assistant runs PiAlert with 200 entity targets (no network needed:
150 watch an ``input_boolean`` that is on, 50 watch entities that do not
exist, so they are down and the alert-status body lists 50 failing targets).
A read key with a raised per-key limit is made with ``pialert.create_api_key``.
The benchmark's helper integration registers ``/api/bench_bare``, a bare
``HomeAssistantView`` (no auth) that serialises a constant copy of that same
alert-status body on every GET.

The load generator is a separate process (``benchmarks._loadgen``: aiohttp,
or ``wrk`` when installed), with 50 keep-alive connections on loopback,
closed loop (each connection sends its next request when the answer is in),
for a fixed time after a short warm-up; then one connection alone, for the
latency of an idle server. Home Assistant's CPU time during each run is read
from /proc to show whether the server or the client was the bottleneck.

Then the same rounds run in a second Home Assistant that has 100 API keys
configured (99 written into its key file before the start, plus the one used),
so the ratio shows whether the key check costs more with more keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any
import urllib.request
import uuid

from scripts.hass_process import write_store

from . import ROOT, Result, say
from ._hass import HassInstance, entity_target, hub_entry

NAME = "api"
TITLE = "HTTP API: alert-status vs a bare Home Assistant view"

TARGETS = 200
FAILING = 50
CONNECTIONS = 50
# Bare and alert-status alternate in rounds (medians reported), so a slow
# moment of the machine does not land on one side only.
FULL = {"rounds": 5, "duration": 2.0, "warmup": 0.5, "single_duration": 2.0}
QUICK = {"rounds": 2, "duration": 1.0, "warmup": 0.3, "single_duration": 1.0}
GOAL_RATIO = 0.9
GOAL_P99_MS = 10.0
KEY = {"name": "bench", "scope": "read", "rate_limit": 1_000_000}
# The second Home Assistant has this many keys configured (the one used and
# others), so the figure shows whether a request's cost grows with them.
MANY_KEYS = 100
KEYS_STORE = "pialert.api_keys"

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with _OPENER.open(request, timeout=30) as response:
        return response.status, response.read()


def client_kind() -> str:
    """Return the load generator to use: PIALERT_BENCH_CLIENT, else wrk if installed."""
    wanted = os.environ.get("PIALERT_BENCH_CLIENT", "auto")
    if wanted == "auto":
        return "wrk" if shutil.which("wrk") else "aiohttp"
    return wanted


def load(
    hass: HassInstance,
    url: str,
    headers: dict[str, str],
    connections: int,
    duration: float,
    warmup: float,
    client: str,
) -> dict[str, Any]:
    """Run the load generator process; return its report plus server CPU."""
    command = [
        sys.executable,
        "-m",
        "benchmarks._loadgen",
        url,
        "--connections",
        str(connections),
        "--duration",
        str(duration),
        "--warmup",
        str(warmup),
        "--max-requests",
        str(int(duration * 50_000)),
        "--client",
        client,
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    cpu0 = hass.cpu_seconds()
    wall0 = time.monotonic()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + warmup + 120,
    )
    cpu = hass.cpu_seconds() - cpu0
    wall = time.monotonic() - wall0
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["server_cpu_s"] = cpu
    # Over the whole run, warm-up included (and the generator's start-up).
    report["server_cpu_share"] = cpu / wall
    return report


def summarize(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the medians of the rounds (and every round, for the record)."""
    keys = ("rps", "p50_ms", "p90_ms", "p99_ms", "server_cpu_share", "client_cpu_share")
    summary: dict[str, Any] = {
        key: statistics.median(r[key] for r in reports if r.get(key) is not None)
        for key in keys
        if any(r.get(key) is not None for r in reports)
    }
    summary["requests"] = sum(r["requests"] for r in reports)
    summary["ok"] = sum(r["ok"] for r in reports)
    summary["worst_p99_ms"] = max(r["p99_ms"] or 0 for r in reports)
    summary["rounds"] = reports
    return summary


def _other_keys(count: int) -> list[dict[str, Any]]:
    """Return ``count`` saved keys (the key file's form), none of them used."""
    now = dt.datetime.now(dt.UTC).isoformat()
    return [
        {
            "id": uuid.uuid4().hex,
            "name": f"Other {index:03d}",
            "key_hash": hashlib.sha256(
                ("pa_" + secrets.token_urlsafe(32)).encode()
            ).hexdigest(),
            "hint": "pa_xxxx…",
            "scope": "read",
            "created_at": now,
            "enabled": True,
            "rate_limit": 120,
            "last_used_at": None,
            "usage_count": 0,
        }
        for index in range(count)
    ]


def measure(
    keys: int, size: dict[str, float], client: str, result: Result
) -> dict[str, dict[str, Any]]:
    """Run the rounds in one Home Assistant with ``keys`` API keys configured."""
    targets = [
        entity_target(
            f"Service {i:03d}",
            f"sensor.bench_missing_{i:03d}"
            if i < FAILING
            else "input_boolean.bench_ok",
        )
        for i in range(TARGETS)
    ]
    yaml = "input_boolean:\n  bench_ok:\n    initial: true\n"
    label = f"api-{keys}keys"
    with HassInstance(
        label, yaml=yaml, entry=hub_entry(targets), probe={"api_key": KEY}
    ) as hass:
        if keys > 1:
            # The others are in the key file before the start; the probe
            # makes the one the load uses, so it is the newest of them.
            write_store(
                hass.dir,
                KEYS_STORE,
                {"keys": _other_keys(keys - 1)},
                replace=False,
            )
        hass.start()
        info = hass.wait_ready()
        say(f"{label}: Home Assistant ready after {info['ready_after_s']:.1f} s")
        key = info["api_key"]
        status_url = f"{hass.base_url}/api/v1/alert-status"
        bare_url = f"{hass.base_url}/api/bench_bare"
        headers = {"x-api-key": key}
        status, body = _request(status_url, headers=headers)
        if status != 200:
            raise RuntimeError(f"alert-status answered {status}: {body[:200]!r}")
        parsed = json.loads(body)
        if parsed.get("failing_count") != FAILING:
            raise RuntimeError(f"expected {FAILING} failing targets: {parsed}")
        _request(bare_url, data=body, headers={"Content-Type": "application/json"})
        status, bare_body = _request(bare_url)
        result.details.setdefault(
            "body_bytes",
            {
                "alert_status": len(body),
                "bare": len(bare_body),
            },
        )
        rounds: dict[str, list[dict[str, Any]]] = {"bare": [], "pialert": []}
        for index in range(int(size["rounds"])):
            for name, url, extra in (
                ("bare", bare_url, {}),
                ("pialert", status_url, headers),
            ):
                report = load(
                    hass,
                    url,
                    extra,
                    CONNECTIONS,
                    size["duration"],
                    size["warmup"],
                    client,
                )
                rounds[name].append(report)
                say(
                    f"{label} round {index + 1} {name}: {report['rps']:.0f} req/s,"
                    f" p50 {report['p50_ms']:.2f} ms, p99 {report['p99_ms']:.2f} ms,"
                    f" server CPU {report['server_cpu_share']:.0%},"
                    f" client CPU {report.get('client_cpu_share', 0):.0%}"
                )
        runs: dict[str, dict[str, Any]] = {
            name: summarize(reports) for name, reports in rounds.items()
        }
        if keys == 1:
            for name, url, extra in (
                ("bare_single", bare_url, {}),
                ("pialert_single", status_url, headers),
            ):
                runs[name] = load(
                    hass, url, extra, 1, size["single_duration"], size["warmup"], client
                )
        errors = [line for line in hass.errors() if "pialert" in line]
        result.details.setdefault("pialert_errors", []).extend(errors[:10])
    return runs


def add_ratio(result: Result, runs: dict[str, dict[str, Any]], keys: int) -> None:
    """Add alert-status / bare throughput, measured in the same Home Assistant."""
    bare, pialert = runs["bare"], runs["pialert"]
    ratio = pialert["rps"] / bare["rps"] if bare["rps"] else None
    configured = "1 key" if keys == 1 else f"{keys} keys"
    result.add(
        f"alert-status / bare throughput, {configured} configured",
        ratio,
        "x",
        f">= {GOAL_RATIO}x",
        ratio is not None
        and ratio >= GOAL_RATIO
        and pialert["ok"] == pialert["requests"],
        f"{pialert['rps']:,.0f} / {bare['rps']:,.0f} req/s",
    )
    # Throughput swings with what else the machine runs; the server's CPU
    # time per request much less so.
    cost = {name: cpu_per_request(runs[name]) for name in ("bare", "pialert")}
    result.add(
        f"Home Assistant CPU per request, alert-status / bare, {configured}",
        cost["pialert"] / cost["bare"] if cost["bare"] else None,
        "x",
        note=f"{cost['pialert']:.0f} / {cost['bare']:.0f} us (warm-up included)",
    )


def cpu_per_request(summary: dict[str, Any]) -> float:
    """Return the server's CPU time per request (us) over all rounds."""
    rounds = summary["rounds"]
    requests = sum(r["requests"] for r in rounds)
    return sum(r["server_cpu_s"] for r in rounds) * 1e6 / requests if requests else 0.0


def run(quick: bool) -> Result:
    """Start Home Assistant, load both endpoints, compare; again with many keys."""
    size = QUICK if quick else FULL
    client = client_kind()
    result = Result(
        NAME,
        TITLE,
        params={
            **size,
            "targets": TARGETS,
            "failing": FAILING,
            "connections": CONNECTIONS,
            "client": client,
            "many_keys": MANY_KEYS,
        },
    )
    runs = measure(1, size, client, result)
    many = measure(MANY_KEYS, size, client, result)
    result.details["runs"] = runs
    result.details["runs_many_keys"] = many
    bare, pialert = runs["bare"], runs["pialert"]
    for label, run_data in (("bare view", bare), ("alert-status", pialert)):
        non_ok = run_data["requests"] - run_data["ok"]
        result.add(
            f"{label}: requests/s ({CONNECTIONS} conns)",
            run_data["rps"],
            "req/s",
            note=f"{non_ok} non-200" if non_ok else "",
        )
        result.add(f"{label}: p50", run_data["p50_ms"], "ms")
        worst = f"worst round {run_data['worst_p99_ms']:.1f} ms"
        if label == "alert-status":
            result.add(
                f"{label}: p99",
                run_data["p99_ms"],
                "ms",
                f"< {GOAL_P99_MS:g} ms",
                run_data["p99_ms"] is not None and run_data["p99_ms"] < GOAL_P99_MS,
                worst,
            )
        else:
            result.add(f"{label}: p99", run_data["p99_ms"], "ms", note=worst)
    add_ratio(result, runs, 1)
    add_ratio(result, many, MANY_KEYS)
    for label, run_data in (
        ("bare view", runs["bare_single"]),
        ("alert-status", runs["pialert_single"]),
    ):
        result.add(f"{label}: p50, 1 connection", run_data["p50_ms"], "ms")
        result.add(f"{label}: p99, 1 connection", run_data["p99_ms"], "ms")
    for label, run_data in (("bare view", bare), ("alert-status", pialert)):
        result.add(
            f"Home Assistant CPU during {label} load",
            run_data["server_cpu_share"] * 100,
            "% of a core",
            note=f"load generator ({client}) {run_data.get('client_cpu_share', 0) * 100:.0f}%"
            " of a core",
        )
    return result
