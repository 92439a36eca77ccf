"""A target's entities share one device description."""

from __future__ import annotations

import dataclasses

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.target_devices import target_device_info

from .platform_helpers import SITE_ID, coordinator_of


async def test_one_description_per_target(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every entity gets the same object; a rename makes a new one."""
    coordinator = coordinator_of(init_integration)
    target = coordinator.monitor.targets[SITE_ID]
    first = target_device_info(coordinator, target)
    assert target_device_info(coordinator, target) is first
    assert first["name"] == "Site"
    assert first["via_device_id"] == coordinator.hub_device_id

    renamed = dataclasses.replace(target, name="Shop")
    second = target_device_info(coordinator, renamed)
    assert second is not first
    assert second["name"] == "Shop"
    assert first["name"] == "Site"  # what Home Assistant already read is kept

    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, SITE_ID), init_integration.entry_id
    )
    assert device is not None
    assert device.name == "Site"
    assert device.via_device_id == coordinator.hub_device_id
