"""status-page: the public status page under load, and idle live-event clients.

A real Home Assistant runs PiAlert with 50 entity targets on one public
status page (uptime and response times shown, the page's per-address limit
raised so the load generator's one address is not refused). Rounds alternate
between the page's JSON (``/api/pialert/v1/status-pages/bench``) and the
benchmark helper's bare view answering the same body (``/api/bench_bare``),
50 keep-alive connections each; the HTML page is loaded too. The goal: the
page serves at least 0.9x the bare view's requests per second.

Then 100 Server-Sent Events clients (20 keys, 5 streams each) connect and stay
idle: Home Assistant's CPU over a fixed time with them is compared with the
same time without them, measured in the same process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
from typing import Any
import uuid

import aiohttp

from scripts.hass_process import write_store

from . import Result, say
from ._hass import HassInstance, entity_target, hub_entry, new_id
from .api import _request, client_kind, load, summarize

NAME = "status-page"
TITLE = "Status page vs a bare Home Assistant view; idle SSE clients"

TARGETS = 50
FAILING = 5
CONNECTIONS = 50
SSE_CLIENTS = 100
STREAMS_PER_KEY = 5
FULL = {"rounds": 4, "duration": 2.0, "warmup": 0.5, "idle": 20.0}
QUICK = {"rounds": 2, "duration": 1.0, "warmup": 0.3, "idle": 5.0}
GOAL_RATIO = 0.9
GOAL_IDLE_CPU = 1.0  # % of a core
SLUG = "bench"


def _keys(count: int) -> tuple[list[str], list[dict[str, Any]]]:
    """Return plain read keys and their saved form (the key file's)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    plain = [f"pa_bench_{uuid.uuid4().hex}" for _ in range(count)]
    saved = [
        {
            "id": uuid.uuid4().hex,
            "name": f"Stream {index:02d}",
            "key_hash": hashlib.sha256(key.encode()).hexdigest(),
            "hint": key[:7] + "…",
            "scope": "read",
            "created_at": now,
            "enabled": True,
            "rate_limit": 1000,
            "last_used_at": None,
            "usage_count": 0,
        }
        for index, key in enumerate(plain)
    ]
    return plain, saved


def _entry() -> dict[str, Any]:
    targets = [
        entity_target(
            f"Service {i:02d}",
            f"sensor.bench_missing_{i:02d}"
            if i < FAILING
            else "input_boolean.bench_ok",
            tags=["bench"],
        )
        for i in range(TARGETS)
    ]
    entry = hub_entry(targets)
    page = {
        "title": "Bench services",
        "slug": SLUG,
        "private": False,
        "show_uptime": True,
        "show_response_time": True,
        "show_details": False,
        "rate_limit": 1_000_000,
        "groups": [{"name": "Services", "targets": [], "tags": ["bench"]}],
    }
    entry["subentries"].append(
        {
            "data": page,
            "subentry_id": new_id(),
            "subentry_type": "status_page",
            "title": page["title"],
            "unique_id": None,
        }
    )
    return entry


async def _idle_streams(
    base_url: str, keys: list[str], seconds: float, hass: HassInstance
) -> tuple[float, int]:
    """Hold SSE_CLIENTS idle streams open; return (CPU seconds, streams ready)."""
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        responses = []
        for index in range(SSE_CLIENTS):
            key = keys[index // STREAMS_PER_KEY]
            response = await session.get(
                f"{base_url}/api/pialert/v1/events", headers={"x-api-key": key}
            )
            if response.status != 200:
                raise RuntimeError(
                    f"stream {index}: {response.status} {await response.text()}"
                )
            await response.content.readuntil(b"\n\n")  # retry
            await response.content.readuntil(b"\n\n")  # ready
            responses.append(response)
        await asyncio.sleep(1.0)
        cpu0 = hass.cpu_seconds()
        await asyncio.sleep(seconds)
        cpu = hass.cpu_seconds() - cpu0
        ready = len(responses)
        for response in responses:
            response.close()
    return cpu, ready


def run(quick: bool) -> Result:
    """Load the page and the bare view in turns; then idle SSE clients."""
    size = QUICK if quick else FULL
    client = client_kind()
    result = Result(
        NAME,
        TITLE,
        params={
            **size,
            "targets": TARGETS,
            "connections": CONNECTIONS,
            "client": client,
        },
    )
    plain, saved = _keys(SSE_CLIENTS // STREAMS_PER_KEY)
    yaml = "input_boolean:\n  bench_ok:\n    initial: true\n"
    with HassInstance("status-page", yaml=yaml, entry=_entry()) as hass:
        write_store(hass.dir, "pialert.api_keys", {"keys": saved}, replace=False)
        hass.start()
        info = hass.wait_ready()
        say(f"status-page: Home Assistant ready after {info['ready_after_s']:.1f} s")
        page_url = f"{hass.base_url}/api/pialert/v1/status-pages/{SLUG}"
        html_url = f"{hass.base_url}/pialert/status/{SLUG}"
        bare_url = f"{hass.base_url}/api/bench_bare"
        status, body = _request(page_url)
        if status != 200:
            raise RuntimeError(f"the page answered {status}")
        parsed = json.loads(body)
        if len(parsed["groups"][0]["targets"]) != TARGETS:
            raise RuntimeError(f"expected {TARGETS} targets on the page")
        _request(bare_url, data=body, headers={"Content-Type": "application/json"})
        result.details["body_bytes"] = {
            "page": len(body),
            "bare": len(_request(bare_url)[1]),
        }
        rounds: dict[str, list[dict[str, Any]]] = {"bare": [], "page": [], "html": []}
        for index in range(int(size["rounds"])):
            for name, url in (
                ("bare", bare_url),
                ("page", page_url),
                ("html", html_url),
            ):
                report = load(
                    hass, url, {}, CONNECTIONS, size["duration"], size["warmup"], client
                )
                rounds[name].append(report)
                say(
                    f"status-page round {index + 1} {name}: {report['rps']:.0f} req/s,"
                    f" p99 {report['p99_ms']:.2f} ms"
                )
        runs = {name: summarize(reports) for name, reports in rounds.items()}
        result.details["runs"] = runs
        bare, page, html = runs["bare"], runs["page"], runs["html"]
        ratio = page["rps"] / bare["rps"] if bare["rps"] else None
        result.add(
            "status page JSON / bare view throughput",
            ratio,
            "x",
            f">= {GOAL_RATIO}x",
            ratio is not None
            and ratio >= GOAL_RATIO
            and page["ok"] == page["requests"],
            f"{page['rps']:,.0f} / {bare['rps']:,.0f} req/s",
        )
        html_ratio = html["rps"] / bare["rps"] if bare["rps"] else None
        result.add(
            "status page HTML / bare view throughput",
            html_ratio,
            "x",
            note=f"{html['rps']:,.0f} req/s, HTML {len(_request(html_url)[1]):,} bytes",
        )
        result.add("status page JSON: p99", page["p99_ms"], "ms")
        # Idle cost: the same time without and then with the streams open.
        time.sleep(1.0)
        cpu0 = hass.cpu_seconds()
        time.sleep(size["idle"])
        baseline = hass.cpu_seconds() - cpu0
        with_streams, ready = asyncio.run(
            _idle_streams(hass.base_url, plain, size["idle"], hass)
        )
        extra = max(0.0, with_streams - baseline) / size["idle"] * 100
        result.add(
            f"{SSE_CLIENTS} idle SSE clients: extra CPU",
            extra,
            "% of a core",
            f"< {GOAL_IDLE_CPU:g} %",
            ready == SSE_CLIENTS and extra < GOAL_IDLE_CPU,
            f"{with_streams / size['idle'] * 100:.2f} % with vs "
            f"{baseline / size['idle'] * 100:.2f} % without, {ready} streams",
        )
        errors = [line for line in hass.errors() if "pialert" in line]
        result.details["pialert_errors"] = errors[:10]
        if errors:
            raise RuntimeError(f"Home Assistant logged errors: {errors[:3]}")
    return result
