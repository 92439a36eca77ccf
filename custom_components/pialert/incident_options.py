"""The hub options page of the incident workflow: preset root causes and actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers.selector import (
    BooleanSelector,
    TextSelector,
    TextSelectorConfig,
)
import probatio as vol

from .engine.incident_workflow import (
    CONF_ACTION_PRESETS,
    CONF_ALLOW_CUSTOM_TEXT,
    CONF_ROOT_CAUSE_PRESETS,
    preset_list,
)

_PRESETS = TextSelector(TextSelectorConfig(multiple=True))
INCIDENT_OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_ROOT_CAUSE_PRESETS, default=[]): _PRESETS,
        vol.Optional(CONF_ACTION_PRESETS, default=[]): _PRESETS,
        vol.Optional(CONF_ALLOW_CUSTOM_TEXT, default=True): BooleanSelector(),
    }
)


def incident_options(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the page's options, presets trimmed and without duplicates."""
    return {
        CONF_ROOT_CAUSE_PRESETS: list(
            preset_list(user_input.get(CONF_ROOT_CAUSE_PRESETS))
        ),
        CONF_ACTION_PRESETS: list(preset_list(user_input.get(CONF_ACTION_PRESETS))),
        CONF_ALLOW_CUSTOM_TEXT: bool(user_input.get(CONF_ALLOW_CUSTOM_TEXT, True)),
    }
