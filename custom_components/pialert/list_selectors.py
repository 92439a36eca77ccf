"""Form boxes of list fields: Home Assistant's own pickers where it has them."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers import selector


def list_selector(item: str | None) -> selector.Selector[Any]:
    """Return a multiple-choice picker of labels, areas, floors, devices, entities.

    Home Assistant has no picker of integrations or entity domains: those are
    typed in (the box still offers what was typed before).
    """
    match item:
        case "label":
            return selector.LabelSelector(selector.LabelSelectorConfig(multiple=True))
        case "area":
            return selector.AreaSelector(selector.AreaSelectorConfig(multiple=True))
        case "floor":
            return selector.FloorSelector(selector.FloorSelectorConfig(multiple=True))
        case "device":
            return selector.DeviceSelector(selector.DeviceSelectorConfig(multiple=True))
        case "entity":
            return selector.EntitySelector(selector.EntitySelectorConfig(multiple=True))
    return selector.SelectSelector(
        selector.SelectSelectorConfig(options=[], multiple=True, custom_value=True)
    )
