"""Checks of target data that need Home Assistant, shared by the form and the API.

The engine validates everything it can see by itself; this adds what only
Home Assistant knows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN
from .engine.config import CONF_KIND
from .engine.models import TargetKind
from .group_watch import group_errors

CONF_ENTITY_ID = "entity_id"


@callback
def hass_target_errors(hass: HomeAssistant, data: Mapping[str, Any]) -> dict[str, str]:
    """Return {field: error_key} for what Home Assistant refuses in ``data``.

    An entity target watching one of PiAlert's own entities would feed its
    alert back into itself (a down target turns a hub sensor into a problem,
    which keeps the target down): PiAlert's entities cannot be watched.
    """
    if data.get(CONF_KIND) == TargetKind.ENTITY_GROUP.value:
        return group_errors(hass, data)
    if data.get(CONF_KIND) != TargetKind.ENTITY.value:
        return {}
    entity_id = data.get(CONF_ENTITY_ID)
    if not isinstance(entity_id, str):
        return {}
    registered = er.async_get(hass).async_get(entity_id)
    if registered is not None and registered.platform == DOMAIN:
        return {CONF_ENTITY_ID: "own_entity"}
    return {}
