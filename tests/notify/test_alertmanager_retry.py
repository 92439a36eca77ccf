"""Alertmanager pushes are retried until accepted, also across a restart.

A real Alertmanager on loopback; ``AlertmanagerGate`` in front of it makes
it unreachable (refused, or 503) and brings it back at the same address.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.notify.alertmanager import RESEND_SECONDS
from custom_components.pialert.engine.notify.webhooks import BASE_DELAY
from custom_components.pialert.notifier import notifier_of
from custom_components.pialert.notify_state import ALERTMANAGER_KEY, NOTIFY_STATE_KEY

from ..platform_helpers import NOW
from .conftest import SetupRules, entity_target, rule
from .real_alertmanager import (
    MISSING,
    AlertmanagerGate,
    RealAlertmanager,
    active_targets,
)

pytestmark = [
    pytest.mark.usefixtures("socket_enabled"),
    pytest.mark.skipif(MISSING, reason="scripts/system-packages installs it"),
]
NAS = {"nas": entity_target("nas")}
# The first retry comes within BASE_DELAY (jittered between half and all of it).
FIRST_RETRY = BASE_DELAY + 0.5


@pytest.fixture
async def real_am(
    tmp_path: Path, socket_enabled: None
) -> AsyncGenerator[RealAlertmanager]:
    """Start a real Alertmanager on a free loopback port."""
    process = RealAlertmanager(tmp_path)
    await process.start()
    try:
        yield process
    finally:
        await process.stop()


@pytest.fixture
async def gate(real_am: RealAlertmanager) -> AsyncGenerator[AlertmanagerGate]:
    """Return an open gate in front of the real Alertmanager."""
    front = AlertmanagerGate(real_am.url)
    await front.open()
    try:
        yield front
    finally:
        await front.shut()


def _rule(url: str) -> dict[str, Any]:
    return rule(group_wait=0, steps=[{"alertmanager_urls": [url]}])


async def _settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 0
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _saved_book(
    hass: HomeAssistant, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory
) -> dict[str, Any]:
    """Return the saved Alertmanager book once the (0.1 s) delayed save ran."""
    await _settle(hass, freezer, 0.5)
    book: dict[str, Any] = hass_storage[NOTIFY_STATE_KEY]["data"][ALERTMANAGER_KEY]
    return book


def _pushes(hass: HomeAssistant) -> list[tuple[str, str]]:
    notifier = notifier_of(hass)
    assert notifier is not None
    return [
        (r.what, r.status)
        for r in notifier.deliveries()
        if r.channel.startswith("alertmanager:")
    ]


async def test_resolve_sent_while_unreachable_arrives_when_it_is_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    real_am: RealAlertmanager,
    gate: AlertmanagerGate,
) -> None:
    """Alertmanager away when the target recovers: resolved once it is back."""
    freezer.move_to(NOW)
    await setup_rules(NAS, _rule(gate.url))
    hass.states.async_set("sensor.nas", "95")
    await _settle(hass, freezer)
    assert await active_targets(real_am.url) == ["nas"]

    await gate.close()
    hass.states.async_set("sensor.nas", "20")
    await _settle(hass, freezer)
    assert _pushes(hass)[-1] == ("recovered", "retrying")
    assert await active_targets(real_am.url) == ["nas"]  # it could not be told

    await gate.open()  # back at the same address; no other state change
    await _settle(hass, freezer, FIRST_RETRY)
    assert await active_targets(real_am.url) == []
    assert gate.resolves("nas") == 1
    assert _pushes(hass)[-1] == ("recovered", "sent")
    notifier = notifier_of(hass)
    assert notifier is not None
    assert notifier.sender.alertmanager.book.destinations == {}


async def test_alert_fired_while_alertmanager_is_stopped_arrives_on_start(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    real_am: RealAlertmanager,
) -> None:
    """Alertmanager stopped, a target goes down, Alertmanager starts: it fires."""
    freezer.move_to(NOW)
    await setup_rules(NAS, _rule(real_am.url))
    await real_am.stop()
    hass.states.async_set("sensor.nas", "95")
    await _settle(hass, freezer)
    assert _pushes(hass) == [("down", "retrying")]

    await real_am.start()  # the same port, well before the 60 s re-send
    await _settle(hass, freezer, FIRST_RETRY)
    assert await active_targets(real_am.url) == ["nas"]
    assert _pushes(hass)[-1] == ("down", "sent")


async def test_pending_resolve_survives_a_restart_and_is_sent_once(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    real_am: RealAlertmanager,
    gate: AlertmanagerGate,
) -> None:
    """A resolve refused (503) before a restart reaches Alertmanager once after."""
    freezer.move_to(NOW)
    entry = await setup_rules(NAS, _rule(gate.url))
    hass.states.async_set("sensor.nas", "95")
    await _settle(hass, freezer)
    gate.answer = 503
    hass.states.async_set("sensor.nas", "20")
    await _settle(hass, freezer, 1)
    assert _pushes(hass)[-1] == ("recovered", "retrying")
    (saved,) = (await _saved_book(hass, hass_storage, freezer))[gate.url]
    assert saved["unsent"] is True
    assert saved["ends_at"] is not None  # saved at once, not only on unload

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    hass_storage[NOTIFY_STATE_KEY] = json.loads(
        json.dumps(hass_storage[NOTIFY_STATE_KEY])
    )
    assert await active_targets(real_am.url) == ["nas"]
    gate.answer = None
    assert await hass.config_entries.async_setup(entry.entry_id)
    await _settle(hass, freezer)
    assert await active_targets(real_am.url) == []
    assert gate.resolves("nas") == 1
    assert _pushes(hass) == [("recovered", "sent")]

    # Neither the re-send nor another restart sends it again.
    await _settle(hass, freezer, RESEND_SECONDS + 1)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await _settle(hass, freezer, RESEND_SECONDS + 1)
    assert gate.resolves("nas") == 1
    assert hass_storage[NOTIFY_STATE_KEY]["data"][ALERTMANAGER_KEY] == {}


async def test_notify_state_saved_before_the_book_still_loads(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    real_am: RealAlertmanager,
) -> None:
    """A file without the Alertmanager key loads as an empty book, no issue."""
    freezer.move_to(NOW)
    hass_storage[NOTIFY_STATE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": NOTIFY_STATE_KEY,
        "data": {"rules": {}},
    }
    await setup_rules(NAS, _rule(real_am.url))
    assert ir.async_get(hass).async_get_issue(DOMAIN, "notify_state_corrupt") is None
    hass.states.async_set("sensor.nas", "95")
    await _settle(hass, freezer, 1)
    assert await active_targets(real_am.url) == ["nas"]
    (saved,) = (await _saved_book(hass, hass_storage, freezer))[real_am.url]
    assert (saved["target_id"], saved["unsent"]) == ("nas", False)
