"""Outbound webhooks to a real loopback receiver: signature, retries, outbox."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import timedelta
import json
from typing import Any

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.notify.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    verify,
)
from custom_components.pialert.notifier import notifier_of
from custom_components.pialert.webhook_outbox import OUTBOX_KEY

from ..platform_helpers import NOW
from .conftest import SetupRules, entity_target, rule

SECRET = "s3cret"
pytestmark = pytest.mark.usefixtures("socket_enabled")


@dataclass
class Receiver:
    """A loopback webhook receiver answering from a script of statuses."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[int, dict[str, Any], dict[str, str]]] = field(
        default_factory=list
    )

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """Return the bodies answered 200."""
        return [body for status, body, _ in self.requests if status == 200]


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncGenerator[Receiver]:
    """Serve a receiver on a free loopback port that checks signatures."""
    state = Receiver()

    async def _hook(request: web.Request) -> web.Response:
        body = await request.read()
        if not verify(SECRET, body, request.headers.get(SIGNATURE_HEADER, "")):
            return web.Response(status=401)
        status = state.statuses.pop(0) if state.statuses else 200
        state.requests.append((status, json.loads(body), dict(request.headers)))
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", _hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}/hook"
    yield state
    await runner.cleanup()


def _webhook_rule(url: str) -> dict[str, Any]:
    return rule(
        group_wait=0,
        steps=[{"webhook_url": url, "webhook_secret": SECRET}],
    )


async def _settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, s: float
) -> None:
    freezer.tick(timedelta(seconds=s))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_signed_delivery_retried_until_accepted_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    receiver: Receiver,
) -> None:
    """500, 500, then 200: the receiver accepts exactly one signed delivery."""
    freezer.move_to(NOW)
    receiver.statuses = [500, 500]
    await setup_rules({"nas": entity_target("nas")}, _webhook_rule(receiver.url))
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    for _ in range(4):
        await _settle(hass, freezer, 30)
    assert [status for status, _, _ in receiver.requests] == [500, 500, 200]
    ids = {headers[DELIVERY_HEADER] for _, _, headers in receiver.requests}
    assert len(ids) == 1  # the same delivery, retried
    (body,) = receiver.accepted
    assert body["event"] == "monitor.down"
    assert body["monitor"] == {
        "id": "nas",
        "name": "Nas",
        "type": "entity",
        "target": "sensor.nas",
        "status": "down",
    }
    assert set(body["incident"]) == {"id", "started_at", "error_message"}
    notifier = notifier_of(hass)
    assert notifier is not None
    assert notifier.sender.outbox.pending == {}
    records = [r for r in notifier.deliveries() if r.channel == "webhook:0"]
    assert [r.status for r in records] == ["queued", "retrying", "retrying", "sent"]
    # Each attempt's record names the target its event is about.
    assert {r.targets for r in records} == {("Nas",)}

    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [b["event"] for b in receiver.accepted] == [
        "monitor.down",
        "monitor.up",
        "incident.resolved",
    ]
    assert "resolved_at" in receiver.accepted[-1]["incident"]


async def test_restart_delivers_pending_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    receiver: Receiver,
) -> None:
    """Deliveries pending at shutdown are delivered once after the restart."""
    freezer.move_to(NOW)
    receiver.statuses = [503]
    entry = await setup_rules(
        {"nas": entity_target("nas")}, _webhook_rule(receiver.url)
    )
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [status for status, _, _ in receiver.requests] == [503]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _settle(hass, freezer, 60)
    await _settle(hass, freezer, 60)
    assert [status for status, _, _ in receiver.requests] == [503, 200]
    assert [b["event"] for b in receiver.accepted] == ["monitor.down"]


async def test_unusable_outbox_is_set_aside_with_a_repair_issue(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    setup_rules: SetupRules,
    receiver: Receiver,
) -> None:
    """An outbox file of the wrong shape is kept aside, named in an issue."""
    hass_storage[OUTBOX_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": OUTBOX_KEY,
        "data": {"deliveries": "not a list"},
    }
    await setup_rules({"nas": entity_target("nas")}, _webhook_rule(receiver.url))
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "outbox_corrupt")
    assert issue is not None
    assert "pialert.outbox" in issue.translation_placeholders["corrupt_path"]
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [b["event"] for b in receiver.accepted] == ["monitor.down"]
