"""Which PiAlert targets a service call names (devices, entities, areas...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    target as target_helpers,
)

from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator


def selected_targets(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, call: ServiceCall
) -> list[str]:
    """Resolve the call's target (devices, entities, areas...) to target ids.

    The hub device or a hub entity stands for every target.
    """
    selection = target_helpers.TargetSelection(call.data)
    if not selection.has_any_target:
        return []
    entry_id = coordinator.config_entry.entry_id
    targets = coordinator.monitor.targets
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)
    for entity_id in selection.entity_ids:
        entity = entity_registry.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_pialert_entity",
                translation_placeholders={"entity_id": entity_id},
            )
    for device_id in selection.device_ids:
        device = device_registry.async_get(device_id)
        if device is None or not any(d == DOMAIN for d, _ in device.identifiers):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_pialert_device",
                translation_placeholders={"device_id": device_id},
            )
    referenced = target_helpers.async_extract_referenced_entity_ids(hass, selection)
    device_ids = set(referenced.referenced_devices)
    for entity_id in referenced.referenced | referenced.indirectly_referenced:
        entity = entity_registry.async_get(entity_id)
        if entity is not None and entity.platform == DOMAIN and entity.device_id:
            device_ids.add(entity.device_id)
    selected: set[str] = set()
    for device_id in device_ids:
        device = device_registry.async_get(device_id)
        if device is None:
            continue
        for domain, ident in device.identifiers:
            if domain != DOMAIN:
                continue
            if ident == entry_id:
                selected.update(targets)
            elif ident in targets:
                selected.add(ident)
    return sorted(selected, key=lambda tid: targets[tid].name)


def required_targets(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, call: ServiceCall
) -> list[str]:
    """Return the targets a call names; refuse a call that names none."""
    selected = selected_targets(hass, coordinator, call)
    if not selected:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_targets"
        )
    return selected
