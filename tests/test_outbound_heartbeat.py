"""The outbound heartbeat pings a loopback server on schedule and stops with the hub."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.outbound_heartbeat import (
    CONF_OUTBOUND_MINUTES,
    CONF_OUTBOUND_URL,
)

from .conftest import SetupHub

pytestmark = pytest.mark.usefixtures("socket_enabled")


@dataclass
class Receiver:
    """A loopback server that counts the pings it gets."""

    url: str = ""
    status: int = 200
    pings: list[str] = field(default_factory=list)


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncGenerator[Receiver]:
    """Serve ``/ping/TOKEN`` on a free loopback port."""
    state = Receiver()

    async def _ping(request: web.Request) -> web.Response:
        state.pings.append(request.method)
        return web.Response(status=state.status, text="OK")

    app = web.Application()
    app.router.add_get("/ping/token", _ping)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}/ping/token"
    yield state
    await runner.cleanup()


async def minutes_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float
) -> None:
    """Move the frozen clock on and let due pings finish."""
    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_pings_on_schedule_and_stops_with_the_hub(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    freezer: FrozenDateTimeFactory,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A ping at start, one every N minutes, none after the hub unloads."""
    entry = await setup_hub(
        options={CONF_OUTBOUND_URL: receiver.url, CONF_OUTBOUND_MINUTES: 5}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert receiver.pings == ["GET"]
    await minutes_pass(hass, freezer, 4)
    assert len(receiver.pings) == 1
    await minutes_pass(hass, freezer, 1)
    assert len(receiver.pings) == 2
    await minutes_pass(hass, freezer, 5)
    await minutes_pass(hass, freezer, 5)
    assert len(receiver.pings) == 4

    # A refused ping is logged once, when pings start failing.
    receiver.status = 503
    await minutes_pass(hass, freezer, 5)
    await minutes_pass(hass, freezer, 5)
    assert caplog.text.count("Outbound heartbeat to") == 1
    assert "HTTP 503" in caplog.text

    assert await hass.config_entries.async_unload(entry.entry_id)
    for _ in range(6):
        await minutes_pass(hass, freezer, 5)
    assert len(receiver.pings) == 6


async def test_no_url_no_pings(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    freezer: FrozenDateTimeFactory,
    receiver: Receiver,
) -> None:
    """Without a URL nothing is pinged."""
    await setup_hub()
    for _ in range(6):
        await minutes_pass(hass, freezer, 5)
    assert receiver.pings == []


async def test_options_refuse_a_bad_url(
    hass: HomeAssistant, setup_hub: SetupHub, receiver: Receiver
) -> None:
    """A URL that is not http/https gets a translated error; a good one is saved."""
    entry = await setup_hub()
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "outbound_heartbeat"}
    )
    assert result["step_id"] == "outbound_heartbeat"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_OUTBOUND_URL: "ftp://example.org/x", CONF_OUTBOUND_MINUTES: 5},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_OUTBOUND_URL: "invalid_outbound_url"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_OUTBOUND_URL: receiver.url, CONF_OUTBOUND_MINUTES: 2.0},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_OUTBOUND_URL] == receiver.url
    assert entry.options[CONF_OUTBOUND_MINUTES] == 2
    await hass.async_block_till_done(wait_background_tasks=True)
    assert receiver.pings == ["GET"]  # the reloaded hub pings at once
