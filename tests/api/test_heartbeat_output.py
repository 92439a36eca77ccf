"""Heartbeat output, run ids and cron schedules through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.ping_log import OUTPUT_LIMIT

from ..test_heartbeat import TARGET_ID, URL, advance, heartbeat_target
from .conftest import Hub

PINGS = f"/targets/{TARGET_ID}/pings"


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """One heartbeat target (thresholds 1)."""
    return (heartbeat_target(),)


async def send(hub: Hub, suffix: str = "", **kwargs: Any) -> Any:
    """Ping with a POST (no key); return the JSON answer."""
    body = await hub.json("POST", URL + suffix, key=None, **kwargs)
    await hub.settle()
    return body


async def test_failure_output_is_kept_and_shown_with_the_incident(hub: Hub) -> None:
    """A failing job's POST body is shown in its incident and its pings."""
    await send(hub, "/2", data="rsync: connection refused\nexit 2\n")
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.DOWN

    incidents = (await hub.json("GET", "/incidents", key="read"))["incidents"]
    assert incidents[0]["output"] == "rsync: connection refused\nexit 2\n"
    assert incidents[0]["first_error"] == "Job reported exit code 2"
    pings = await hub.json("GET", PINGS, key="read")
    assert pings["output_limit"] == OUTPUT_LIMIT
    assert pings["pings"] == [
        {
            "at": pings["pings"][0]["at"],
            "signal": "fail",
            "rid": None,
            "exit_code": 2,
            "duration_ms": None,
            "body": "rsync: connection refused\nexit 2\n",
        }
    ]


async def test_a_long_body_keeps_its_last_bytes(hub: Hub) -> None:
    """Of 200 KiB of output, the last 4 KiB are kept."""
    lines = "".join(f"line {n:06d}\n" for n in range(200 * 1024 // 12))
    await send(hub, data=lines.encode())
    kept = (await hub.json("GET", PINGS, key="read"))["pings"][0]["body"]
    assert len(kept.encode()) == OUTPUT_LIMIT
    assert lines.endswith(kept)


async def test_log_signal_records_output_only(hub: Hub) -> None:
    """``/log`` keeps the text and changes no status."""
    answer = await send(hub, "/log", data="50 % copied")
    assert answer == {"ok": True, "target": "Nightly backup", "signal": "log"}
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.UNKNOWN
    pings = (await hub.json("GET", PINGS, key="read"))["pings"]
    assert [(p["signal"], p["body"]) for p in pings] == [("log", "50 % copied")]


async def test_overlapping_runs_by_rid(
    hass: HomeAssistant, hub: Hub, freezer: FrozenDateTimeFactory
) -> None:
    """Two runs started 10 s apart are each timed from their own start."""
    await send(hub, "/start", params={"rid": "run-a"})
    await advance(hass, freezer, 10)
    await send(hub, "/start", params={"rid": "run-b"})
    await advance(hass, freezer, 5)
    await send(hub, params={"rid": "run-a"})
    assert hub.coordinator.data.targets[TARGET_ID].response_time_ms == 15_000
    await advance(hass, freezer, 20)
    await send(hub, params={"rid": "run-b"})
    assert hub.coordinator.data.targets[TARGET_ID].response_time_ms == 25_000
    pings = (await hub.json("GET", PINGS, key="read"))["pings"]
    assert [(p["rid"], p["duration_ms"]) for p in pings] == [
        ("run-b", 25_000),
        ("run-a", 15_000),
        ("run-b", None),
        ("run-a", None),
    ]


@pytest.mark.parametrize("rid", ["", "a b", "x" * 65, "ü"])
async def test_bad_run_id_is_refused(hub: Hub, rid: str) -> None:
    detail = await hub.error("GET", URL, 400, key=None, params={"rid": rid})
    assert detail == "rid must be 1 to 64 letters, digits, '.', '_' or '-'"
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.UNKNOWN


async def test_too_large_body_is_refused(hub: Hub) -> None:
    """Bodies over 10 MiB are refused (read to the limit, never kept)."""
    detail = await hub.error(
        "POST", URL, 413, key=None, data=b"x" * (10 * 1024 * 1024 + 1)
    )
    assert detail == "The body is larger than 10 MiB"
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.UNKNOWN


async def test_pings_of_other_targets(hub: Hub) -> None:
    assert await hub.error("GET", "/targets/nope/pings", 404, key="read") == (
        "Unknown target: nope"
    )
    assert await hub.error("GET", PINGS, 401, key=None) == (
        "Missing API key in x-api-key header"
    )


async def test_create_cron_heartbeat_and_refusals(hub: Hub) -> None:
    """The schedule and zone are fields of the API; bad ones get a detail."""
    created = await hub.json(
        "POST",
        "/targets",
        201,
        json={
            "kind": "heartbeat",
            "name": "Cron job",
            "period": 86400,
            "grace": 300,
            "schedule": "30 2 * * 1-5",
            "time_zone": "Europe/Berlin",
        },
    )
    assert created["settings"]["schedule"] == "30 2 * * 1-5"
    assert created["settings"]["time_zone"] == "Europe/Berlin"
    base = {"kind": "heartbeat", "name": "X", "period": 60, "grace": 0}
    detail = await hub.error(
        "POST", "/targets", 400, json=base | {"schedule": "0 25 * * *"}
    )
    assert detail.startswith("Invalid field 'schedule': Enter a cron expression")
    detail = await hub.error(
        "POST", "/targets", 400, json=base | {"time_zone": "Mars/Base"}
    )
    assert detail.startswith("Invalid field 'time_zone': Enter a time zone")


async def test_cron_heartbeat_across_dst_in_home_assistants_zone(
    hass: HomeAssistant, make_hub: Any, freezer: FrozenDateTimeFactory
) -> None:
    """A schedule without a zone runs in Home Assistant's, across the DST change."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(datetime(2026, 3, 28, 8, 0, tzinfo=UTC))  # 09:00 CET
    hub = await make_hub(heartbeat_target(schedule="0 9 * * *", grace=300))
    await send(hub)
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.UP
    # Sunday 09:00 CEST is 07:00 UTC: 23 h later; due with grace at 07:05.
    await advance(hass, freezer, 23 * 3600 + 299)
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.UP
    await advance(hass, freezer, 2)
    assert hub.coordinator.data.targets[TARGET_ID].status is Status.DOWN
