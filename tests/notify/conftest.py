"""A hub with notification rules, a real notify entity and a real notify service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.components.notify import DATA_COMPONENT, NotifyEntity
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import (
    DOMAIN,
    HUB_TITLE,
    SUBENTRY_TYPE_NOTIFICATION_RULE,
    SUBENTRY_TYPE_TARGET,
)

from ..platform_helpers import setup_loaded

RULE_ID = "rule_on_call"


class RecordingNotify(NotifyEntity):
    """A real notify entity that keeps what it was sent."""

    _attr_has_entity_name = False

    def __init__(self, name: str) -> None:
        """Name the entity (its id follows)."""
        self._attr_name = name
        self._attr_unique_id = name
        self.sent: list[tuple[str | None, str]] = []

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Keep the message."""
        self.sent.append((title, message))


@pytest.fixture
async def both_phones(hass: HomeAssistant) -> RecordingNotify:
    """Return ``notify.both_phones``, a real notify entity."""
    assert await async_setup_component(hass, "notify", {})
    entity = RecordingNotify("Both phones")
    await hass.data[DATA_COMPONENT].async_add_entities([entity])
    await hass.async_block_till_done()
    assert hass.states.get("notify.both_phones") is not None
    return entity


@pytest.fixture
async def phone(hass: HomeAssistant) -> list[ServiceCall]:
    """Return the calls of ``notify.mobile_app_phone``, a real notify service."""
    calls: list[ServiceCall] = []

    async def _record(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("notify", "mobile_app_phone", _record)
    return calls


def entity_target(name: str, **extra: Any) -> dict[str, Any]:
    """Return an entity target on ``sensor.<name>`` failing above 80."""
    return {
        "kind": "entity",
        "name": name.title(),
        "entity_id": f"sensor.{name}",
        "condition": "above",
        "value": "80",
        **extra,
    }


def rule(**extra: Any) -> dict[str, Any]:
    """Return a rule: phone first, both phones after 10 min, 30 s group wait."""
    return {
        "name": "On call",
        "scope": "all",
        "steps": [
            {"notify_services": ["notify.mobile_app_phone"], "persistent": True},
            {"after_minutes": 10, "notify_entities": ["notify.both_phones"]},
        ],
        **extra,
    }


type SetupRules = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture
def setup_rules(hass: HomeAssistant) -> SetupRules:
    """Return a function setting up a hub with targets {id: data} and rules."""

    async def _setup(
        targets: dict[str, dict[str, Any]], *rules: dict[str, Any]
    ) -> MockConfigEntry:
        subentries = [
            ConfigSubentryDataWithId(
                data=data,
                subentry_type=SUBENTRY_TYPE_TARGET,
                title=data["name"],
                unique_id=None,
                subentry_id=target_id,
            )
            for target_id, data in targets.items()
        ]
        subentries += [
            ConfigSubentryDataWithId(
                data=data,
                subentry_type=SUBENTRY_TYPE_NOTIFICATION_RULE,
                title=data["name"],
                unique_id=None,
                subentry_id=RULE_ID if index == 0 else f"rule_{index}",
            )
            for index, data in enumerate(rules)
        ]
        for data in targets.values():
            if data["kind"] == "entity":
                hass.states.async_set(data["entity_id"], "10")
        entry = MockConfigEntry(
            domain=DOMAIN, title=HUB_TITLE, data={}, subentries_data=subentries
        )
        return await setup_loaded(hass, entry)

    return _setup
