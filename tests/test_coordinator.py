"""The coordinator against real servers on 127.0.0.1: checks, ticks, events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
import socket
import time
from types import MappingProxyType
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.const import MAX_TICK_SECONDS, SUBENTRY_TYPE_TARGET
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Silence, Status
from custom_components.pialert.engine.schedule import phase_of
from custom_components.pialert.engine.state import TargetView
from custom_components.pialert.entity import PiAlertTargetEntity

from .conftest import SetupHub

# The Home Assistant test plugin only lets sockets reach 127.0.0.1, and only
# with this fixture.
pytestmark = pytest.mark.usefixtures("socket_enabled")

HOST = "127.0.0.1"


# --- a web server on the loopback interface ---------------------------------


@dataclass
class Site:
    """A test web server whose answers the test controls."""

    server: TestServer
    status: int = 200
    hits: dict[str, int] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str) -> str:
        """Return the full URL of ``path``."""
        return str(self.server.make_url(path))


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    """Serve /status (the site's status code) and /hang (never answers)."""
    app = web.Application()
    holder: dict[str, Site] = {}

    async def status(request: web.Request) -> web.Response:
        current = holder["site"]
        current.hits["status"] = current.hits.get("status", 0) + 1
        return web.Response(status=current.status, text="status page")

    async def hang(request: web.Request) -> web.Response:
        current = holder["site"]
        current.hits["hang"] = current.hits.get("hang", 0) + 1
        await current.release.wait()
        return web.Response(text="too late")

    app.router.add_get("/status", status)
    app.router.add_get("/hang", hang)
    server = TestServer(app, host=HOST)
    await server.start_server()
    holder["site"] = site = Site(server)
    yield site
    site.release.set()
    await server.close()


def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def http_target(target_id: str, url: str, **settings: Any) -> dict[str, Any]:
    """Return the subentry data of an HTTP target."""
    data: dict[str, Any] = {
        "id": target_id,
        "kind": "http",
        "name": target_id.replace("_", " ").title(),
        "url": url,
        "method": "GET",
        "accepted_status": "200-299",
        "keyword_absent": False,
        "verify_ssl": True,
        "interval": 60,
        "timeout": 5,
        "failure_threshold": 3,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def tcp_target(target_id: str, port: int, **settings: Any) -> dict[str, Any]:
    """Return the subentry data of a TCP target."""
    data: dict[str, Any] = {
        "id": target_id,
        "kind": "tcp",
        "name": target_id.replace("_", " ").title(),
        "host": HOST,
        "port": port,
        "interval": 60,
        "timeout": 5,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    return coordinator


def view(entry: MockConfigEntry, target_id: str) -> TargetView:
    """Return a target's latest view."""
    return coordinator_of(entry).data.targets[target_id]


async def run_checks(hass: HomeAssistant, entry: MockConfigEntry, *ids: str) -> None:
    """Make targets due, run a tick and wait for their checks."""
    coordinator = coordinator_of(entry)
    for target_id in ids:
        coordinator.scheduler.run_now(target_id)
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


async def wait_for(condition: Callable[[], bool], seconds: float = 3) -> None:
    """Wait (bounded) until ``condition`` holds."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.01)


# --- HTTP --------------------------------------------------------------------


async def test_http_up(hass: HomeAssistant, setup_hub: SetupHub, site: Site) -> None:
    """A target answering 200 is up as soon as the hub has started."""
    entry = await setup_hub(http_target("web", site.url("/status")))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert site.hits["status"] == 1
    web_view = view(entry, "web")
    assert web_view.status is Status.UP
    assert web_view.last_error is None
    assert web_view.response_time_ms is not None
    assert not coordinator_of(entry).data.alert


async def test_http_down_and_recovery_on_ticks(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    site: Site,
    freezer: FrozenDateTimeFactory,
) -> None:
    """500 goes pending, then down at the threshold; 200 brings it back."""
    site.status = 500
    events = {
        name: async_capture_events(hass, f"pialert_{name}")
        for name in ("target_down", "target_up", "alert_started", "alert_cleared")
    }
    entry = await setup_hub(http_target("web", site.url("/status"), interval=20))
    coordinator = coordinator_of(entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert view(entry, "web").status is Status.PENDING
    assert view(entry, "web").last_error == "HTTP 500 (expected 200-299)"

    # Move the clock on: the coordinator's timer and the scheduler follow it.
    async def tick(seconds: float) -> None:
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)

    # Checked at once when new; then on its phase, half an interval to 1.5
    # intervals later, and one interval apart from there.
    wait = coordinator.scheduler.seconds_until_next()
    assert wait is not None
    assert 10 <= wait < 30
    await tick(wait - 1)  # not due yet
    assert site.hits["status"] == 1
    await tick(2)
    assert site.hits["status"] == 2
    assert view(entry, "web").status is Status.PENDING
    assert not events["target_down"]

    await tick(20)
    assert site.hits["status"] == 3
    assert view(entry, "web").status is Status.DOWN
    assert [f.name for f in coordinator.data.failing] == ["Web"]
    assert len(events["target_down"]) == 1
    assert events["target_down"][0].data["failures"] == 3
    assert len(events["alert_started"]) == 1
    assert {
        "failing_count": 1,
        "failing_targets": ["Web"],
    }.items() <= events["alert_started"][0].data.items()

    await tick(20)  # still failing: no new events
    assert site.hits["status"] == 4
    assert view(entry, "web").consecutive_failures == 4
    assert len(events["target_down"]) == 1
    assert len(events["alert_started"]) == 1

    site.status = 204
    await tick(20)
    assert view(entry, "web").status is Status.UP
    assert len(events["target_up"]) == 1
    assert events["target_up"][0].data["name"] == "Web"
    assert events["target_up"][0].data["downtime_seconds"] is not None
    assert len(events["alert_cleared"]) == 1
    assert not coordinator.data.alert


async def test_hanging_check_times_out_without_delaying_others(
    hass: HomeAssistant, setup_hub: SetupHub, site: Site
) -> None:
    """A check that hangs fails at its timeout; other checks finish meanwhile."""
    entry = await setup_hub(
        http_target("slow", site.url("/hang"), timeout=0.5, failure_threshold=1),
        http_target("fast", site.url("/status")),
    )
    coordinator = coordinator_of(entry)
    started = time.monotonic()
    await wait_for(lambda: coordinator.data.targets["fast"].last_check is not None)
    assert time.monotonic() - started < 0.4
    assert "slow" in coordinator.scheduler.in_flight
    assert view(entry, "slow").last_check is None
    assert view(entry, "fast").status is Status.UP

    await hass.async_block_till_done(wait_background_tasks=True)
    assert view(entry, "slow").status is Status.DOWN
    assert view(entry, "slow").last_error == "Timed out after 0.5 s"
    assert "slow" not in coordinator.scheduler.in_flight


async def test_unload_cancels_checks_in_flight(
    hass: HomeAssistant, setup_hub: SetupHub, site: Site
) -> None:
    """Unloading does not wait for hanging checks."""
    entry = await setup_hub(http_target("slow", site.url("/hang"), timeout=30))
    await wait_for(lambda: site.hits.get("hang") == 1)
    assert check_tasks()

    async with asyncio.timeout(5):
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    assert not check_tasks()


def check_tasks() -> list[asyncio.Task[Any]]:
    """Return the checks still running (their tasks are named for them)."""
    return [
        task
        for task in asyncio.all_tasks()
        if task.get_name().startswith("pialert check") and not task.done()
    ]


async def test_disabled_target_is_paused_and_not_checked(
    hass: HomeAssistant, setup_hub: SetupHub, site: Site
) -> None:
    """A paused target is never checked."""
    entry = await setup_hub(
        http_target("web", site.url("/status"), enabled=False),
    )
    await run_checks(hass, entry, "web")
    assert "status" not in site.hits
    assert view(entry, "web").status is Status.PAUSED
    assert view(entry, "web").last_check is None

    # Resuming it makes it due at once.
    subentry = entry.subentries["web"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "enabled": True}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == 1
    assert view(entry, "web").status is Status.UP


# --- TCP and dependencies ------------------------------------------------------


async def test_tcp_target(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """A TCP target is up while something listens, down when it stops."""
    connections = 0

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        nonlocal connections
        connections += 1
        writer.close()

    server = await asyncio.start_server(handle, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    try:
        entry = await setup_hub(tcp_target("db", port))
        await hass.async_block_till_done(wait_background_tasks=True)
        assert view(entry, "db").status is Status.UP
        await wait_for(lambda: connections == 1)
    finally:
        server.close()
        await server.wait_closed()

    await run_checks(hass, entry, "db")
    assert view(entry, "db").status is Status.DOWN
    assert view(entry, "db").last_error == "Connection refused"


async def test_dependency_makes_child_unreachable(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A child of a down target is unreachable and does not alert."""
    port = closed_port()
    entry = await setup_hub(
        tcp_target("router", port, name="Router", enabled=False),
        tcp_target("nas", port, name="NAS", depends_on="router", enabled=False),
    )
    coordinator = coordinator_of(entry)
    started = async_capture_events(hass, "pialert_alert_started")
    for target_id in ("router", "nas"):  # parent first: no race
        subentry = entry.subentries[target_id]
        hass.config_entries.async_update_subentry(
            entry, subentry, data={**subentry.data, "enabled": True}
        )
        await hass.async_block_till_done(wait_background_tasks=True)

    assert view(entry, "router").status is Status.DOWN
    assert view(entry, "nas").status is Status.UNREACHABLE
    assert view(entry, "nas").last_error == "Connection refused"
    assert [f.name for f in coordinator.data.failing] == ["Router"]
    assert not view(entry, "nas").in_hub_alert
    assert len(started) == 1
    assert started[0].data["failing_targets"] == ["Router"]


# --- publishing ------------------------------------------------------------------


async def test_no_update_when_nothing_changed(
    hass: HomeAssistant, setup_hub: SetupHub, site: Site
) -> None:
    """A tick that ran nothing leaves listeners alone; a check notifies them."""
    entry = await setup_hub(http_target("web", site.url("/status")))
    coordinator = coordinator_of(entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    calls: list[int] = []
    unsub = coordinator.async_add_listener(lambda: calls.append(1))
    before = coordinator.data

    for _ in range(3):
        await coordinator.async_refresh()
        await hass.async_block_till_done()
    assert calls == []
    assert coordinator.data == before

    await run_checks(hass, entry, "web")
    assert calls
    assert coordinator.data != before
    unsub()


async def test_tick_interval_follows_deadlines(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """The tick wakes for due checks, heartbeats and silences, at most 1/s."""
    entry = await setup_hub(
        {
            "id": "hb",
            "kind": "heartbeat",
            "name": "Job",
            "period": 3600,
            "grace": 0,
            "token": "token",
        }
    )
    coordinator = coordinator_of(entry)
    assert coordinator.update_interval == timedelta(seconds=MAX_TICK_SECONDS)
    assert coordinator.as_dict()["tick_seconds"] == MAX_TICK_SECONDS

    now = dt_util.utcnow()
    events = coordinator.monitor.add_silence(
        Silence(
            id="soon",
            starts_at=now + timedelta(seconds=4),
            ends_at=now + timedelta(hours=1),
            created_by="test",
        ),
        now,
    )
    coordinator.async_commit(events)
    await coordinator.async_refresh()
    assert 2.5 < coordinator.update_interval.total_seconds() <= 4

    # A deadline closer than a second still never makes the tick spin.
    coordinator.async_commit(
        coordinator.monitor.add_silence(
            Silence(
                id="sooner",
                starts_at=now + timedelta(milliseconds=100),
                ends_at=now + timedelta(hours=1),
                created_by="test",
            ),
            now,
        )
    )
    await coordinator.async_refresh()
    assert coordinator.update_interval == timedelta(seconds=1)


async def test_expired_silences_are_pruned(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Silences that ended over a week ago are forgotten at the next tick."""
    entry = await setup_hub()
    coordinator = coordinator_of(entry)
    now = dt_util.utcnow()
    coordinator.monitor.silences["old"] = Silence(
        id="old",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=8),
        created_by="test",
    )
    coordinator.monitor.silences["recent"] = Silence(
        id="recent",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
        created_by="test",
    )
    await coordinator.async_refresh()
    assert set(coordinator.monitor.silences) == {"recent"}
    assert [s.id for s in coordinator.data.silences] == ["recent"]


async def test_check_now(hass: HomeAssistant, setup_hub: SetupHub, site: Site) -> None:
    """Checking at once runs polled checks and re-evaluates pushed targets."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        http_target("web", site.url("/status")),
        {
            "id": "cpu",
            "kind": "entity",
            "name": "CPU",
            "entity_id": "sensor.cpu",
            "condition": "above",
            "value": "80",
            "failure_threshold": 3,
        },
        {
            "id": "job",
            "kind": "heartbeat",
            "name": "Job",
            "period": 3600,
            "grace": 60,
            "token": "job-token",
        },
    )
    coordinator = coordinator_of(entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == 1
    assert view(entry, "cpu").consecutive_failures == 1

    results = await coordinator.async_check_now(["web", "cpu", "job"])
    await hass.async_block_till_done()
    assert set(results) == {"web"}
    assert results["web"].success
    assert results["web"].checked_at <= coordinator.now()
    assert site.hits["status"] == 2
    assert view(entry, "web").consecutive_successes == 2
    assert view(entry, "cpu").consecutive_failures == 2
    assert view(entry, "job").last_check is None  # not due: nothing recorded


async def test_pushed_updates_do_not_starve_polled_checks(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    site: Site,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Heartbeat pings every 3 s must not postpone the polled checks' tick."""
    entry = await setup_hub(
        http_target("web", site.url("/status"), interval=10),
        {
            "id": "job",
            "kind": "heartbeat",
            "name": "Job",
            "period": 3600,
            "grace": 60,
            "token": "job-token",
        },
    )
    coordinator = coordinator_of(entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == 1

    for _ in range(14):  # 42 s of pings, 3 s apart
        freezer.tick(3)
        coordinator.async_heartbeat("job", "success")
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    # Due every 10 s on the target's own phase (which depends on the wall
    # clock), seen on a 3 s grid: 4 or 5 checks in 42 s, never starved.
    assert 4 <= site.hits["status"] <= 5


async def test_checks_are_spread_after_a_restart_and_new_targets_run_at_once(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    site: Site,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a restart each target waits for its own phase; a new one is checked now."""
    ids = ("alpha", "bravo", "charlie", "delta")
    entry = await setup_hub(*(http_target(i, site.url("/status")) for i in ids))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == 4  # never checked: at once

    # A restart after ten minutes down.
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(600)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == 4  # checked before the restart: not at once
    restarted = dt_util.utcnow()

    checked_at: dict[str, list[float]] = {i: [] for i in ids}
    for _ in range(60):  # a minute, a second at a time
        freezer.tick(1)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        for target_id in ids:
            last = view(entry, target_id).last_check
            assert last is not None
            if last > restarted and last.timestamp() not in checked_at[target_id]:
                checked_at[target_id].append(last.timestamp())
    # Each checked once in the interval, at its own phase (the tick wakes at
    # most once a second), not all together.
    assert all(len(times) == 1 for times in checked_at.values())
    for target_id, (at,) in checked_at.items():
        assert 0 <= (at - phase_of(target_id, 60)) % 60 <= 2
    assert len({times[0] for times in checked_at.values()}) > 1

    before = site.hits["status"]
    data = http_target("echo", site.url("/status"))
    subentry_id = data.pop("id")
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType(data),
            subentry_type=SUBENTRY_TYPE_TARGET,
            title=data["name"],
            unique_id=None,
            subentry_id=subentry_id,
        ),
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert site.hits["status"] == before + 1
    assert view(entry, "echo").last_check == dt_util.utcnow()


async def test_target_listeners_hear_only_their_target(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A result wakes the listeners of its own target, not every entity."""
    heartbeat = {"kind": "heartbeat", "period": 3600, "grace": 60}
    entry = await setup_hub(
        {**heartbeat, "id": "a", "name": "A", "token": "token-a"},
        {**heartbeat, "id": "b", "name": "B", "token": "token-b"},
    )
    coordinator = coordinator_of(entry)
    calls: dict[str, int] = {"a": 0, "b": 0}

    def listener(target_id: str) -> Callable[[], None]:
        def update() -> None:
            calls[target_id] += 1

        return update

    remove_a = coordinator.async_add_target_listener("a", listener("a"))
    coordinator.async_add_target_listener("b", listener("b"))
    coordinator.async_heartbeat("a", "success")
    await hass.async_block_till_done()
    assert calls == {"a": 1, "b": 0}

    coordinator.async_heartbeat("b", "fail")
    await hass.async_block_till_done()
    assert calls == {"a": 1, "b": 1}

    remove_a()
    coordinator.async_heartbeat("a", "fail")
    await hass.async_block_till_done()
    assert calls == {"a": 1, "b": 1}


async def test_target_entities_do_not_listen_to_every_update(
    hass: HomeAssistant, setup_hub: SetupHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result wakes the entities of its own target only."""
    heartbeat = {"kind": "heartbeat", "period": 3600, "grace": 60}
    entry = await setup_hub(
        {**heartbeat, "id": "a", "name": "A", "token": "token-a"},
        {**heartbeat, "id": "b", "name": "B", "token": "token-b"},
    )
    coordinator = coordinator_of(entry)
    woken: list[str] = []
    target_view = PiAlertTargetEntity.view.fget
    assert target_view is not None

    def spy(entity: PiAlertTargetEntity) -> TargetView | None:
        # A woken entity reads its target's view to see what changed.
        woken.append(entity.target_id)
        return target_view(entity)

    monkeypatch.setattr(PiAlertTargetEntity, "view", property(spy))
    coordinator.async_heartbeat("b", "fail")
    await hass.async_block_till_done()
    assert woken
    assert set(woken) == {"b"}
