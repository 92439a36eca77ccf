"""``/targets/{id}/checks``: the check log, paged and filtered by date."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.util import dt as dt_util
import pytest

from custom_components.pialert.engine.check_log import CHECK_LOG_SIZE

from .conftest import TARGETS, Hub, MakeHub

# Hourly checks of the CPU target from here; the log keeps the last 100.
T0 = datetime(2026, 3, 1, tzinfo=UTC)
RECORDED = 130


def hour(n: int) -> datetime:
    return T0 + timedelta(hours=n)


async def record_hours(hub: Hub) -> None:
    """Record RECORDED hourly checks; every tenth fails."""
    for n in range(RECORDED):
        failed = n % 10 == 0
        hub.record(
            "cpu",
            not failed,
            hour(n),
            response_time_ms=n + 0.25,
            **({"error": f"load {n}"} if failed else {}),
        )
    await hub.settle()


def times(body: dict[str, Any]) -> list[datetime]:
    return [datetime.fromisoformat(c["checked_at"]) for c in body["checks"]]


async def test_checks_are_paged_newest_first(hub: Hub) -> None:
    await record_hours(hub)
    body = await hub.json("GET", "/targets/cpu/checks", key="read")
    assert (body["total"], body["limit"], body["offset"]) == (CHECK_LOG_SIZE, 50, 0)
    assert times(body) == [hour(n) for n in range(129, 79, -1)]
    assert body["checks"][0] == {
        "checked_at": hour(129).isoformat(),
        "ok": True,
        "response_time_ms": 129.25,
        "error": None,
    }
    assert body["checks"][9] == {
        "checked_at": hour(120).isoformat(),
        "ok": False,
        "response_time_ms": 120.25,
        "error": "load 120",
    }

    page = await hub.json("GET", "/targets/cpu/checks?limit=10&offset=95", key="read")
    assert (page["total"], page["limit"], page["offset"]) == (100, 10, 95)
    # The oldest kept is check 30: the 30 before it were dropped.
    assert times(page) == [hour(n) for n in range(34, 29, -1)]
    page = await hub.json("GET", "/targets/cpu/checks?offset=100", key="read")
    assert page["checks"] == []
    assert page["total"] == 100


async def test_checks_by_date_range(hub: Hub) -> None:
    await record_hours(hub)
    # A date alone is a whole local day of Home Assistant's time zone.
    zone = dt_util.get_default_time_zone()
    assert zone.key != "UTC"
    body = await hub.json(
        "GET",
        "/targets/cpu/checks?start_date=2026-03-04&end_date=2026-03-04&limit=500",
        key="read",
    )
    day_start = datetime(2026, 3, 4, tzinfo=zone)
    expected = [
        hour(n)
        for n in range(129, 29, -1)
        if day_start <= hour(n) < day_start + timedelta(days=1)
    ]
    assert len(expected) == 24
    assert times(body) == expected
    assert body["total"] == 24

    body = await hub.json(
        "GET",
        "/targets/cpu/checks",
        key="read",
        params={
            "start_date": hour(100).isoformat(),
            "end_date": (hour(103) + timedelta(minutes=30)).isoformat(),
            "limit": "2",
            "offset": "1",
        },
    )
    assert times(body) == [hour(102), hour(101)]
    assert body["total"] == 4
    body = await hub.json(
        "GET", "/targets/cpu/checks", key="read", params={"start_date": "2026-03-05"}
    )
    assert body["total"] == sum(
        1 for n in range(30, 130) if hour(n) >= datetime(2026, 3, 5, tzinfo=zone)
    )
    # Before anything kept: nothing, not an error.
    body = await hub.json("GET", "/targets/cpu/checks?end_date=2026-02-01", key="read")
    assert (body["checks"], body["total"]) == ([], 0)


@pytest.mark.parametrize(
    ("query", "status", "detail"),
    [
        (
            "start_date=yesterday",
            400,
            "Invalid query parameter 'start_date': expected a date (YYYY-MM-DD) "
            "or an ISO 8601 date and time",
        ),
        (
            "end_date=2026-02-30",
            400,
            "Invalid query parameter 'end_date': out of range (not a real date and "
            "time, or beyond year 9999)",
        ),
        (
            "start_date=2026-03-05&end_date=2026-03-04",
            400,
            "start_date must not be after end_date",
        ),
        (
            "limit=0",
            400,
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "offset=-1",
            400,
            "Invalid query parameter 'offset': expected a whole number of at least 0",
        ),
        ("target_id=cpu", 400, "Unknown query parameter: target_id"),
    ],
)
async def test_bad_queries(hub: Hub, query: str, status: int, detail: str) -> None:
    assert await hub.error("GET", f"/targets/cpu/checks?{query}", status) == detail


async def test_unknown_target_and_keys(hub: Hub) -> None:
    assert (
        await hub.error("GET", "/targets/nope/checks", 404, key="read")
        == "Unknown target: nope"
    )
    await hub.error("GET", "/targets/cpu/checks", 401, key=None)
    body = await hub.json("GET", "/targets/backup/checks", key="read")
    assert body == {"checks": [], "total": 0, "limit": 50, "offset": 0}


async def test_real_probe_results_are_logged(make_hub: MakeHub) -> None:
    """A TCP check against a real loopback socket lands in the log."""
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    hub = await make_hub(
        *TARGETS,
        {
            "id": "port",
            "kind": "tcp",
            "name": "Port",
            "host": "127.0.0.1",
            "port": port,
            "interval": 60,
            "timeout": 2,
        },
    )
    coordinator = hub.coordinator
    await coordinator.async_check_now(["port"])
    server.close()
    await server.wait_closed()
    await coordinator.async_check_now(["port"])
    await hub.settle()
    body = await hub.json("GET", "/targets/port/checks", key="read")
    # The check at set-up and the first check now found the port open.
    newest, before, *_ = body["checks"]
    assert before["ok"] is True
    assert before["error"] is None
    assert before["response_time_ms"] > 0
    assert newest["ok"] is False
    assert newest["error"]
    assert body["total"] == len(coordinator.monitor.history.checks.recent("port"))
