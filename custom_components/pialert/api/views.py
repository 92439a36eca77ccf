"""Registration of every PiAlert HTTP view, once per Home Assistant run."""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .heartbeat import HeartbeatView
from .history import AlertHistoryView, IncidentsView
from .metrics import MetricsView
from .openapi import OpenApiView
from .silences import SilencesView, SilenceView
from .status import AlertStatusView
from .targets import TargetAcknowledgeView, TargetItemView, TargetsView

_REGISTERED: Final[HassKey[bool]] = HassKey(f"{DOMAIN}_api_views")


def all_views() -> list[HomeAssistantView]:
    """Return one instance of every view (views hold no per-entry state)."""
    return [
        AlertStatusView(),
        HeartbeatView(),
        TargetsView(),
        TargetItemView(),
        TargetAcknowledgeView(),
        SilencesView(),
        SilenceView(),
        AlertHistoryView(),
        IncidentsView(),
        MetricsView(),
        OpenApiView(),
    ]


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register all API views; later calls do nothing."""
    if hass.data.get(_REGISTERED):
        return
    hass.data[_REGISTERED] = True
    for view in all_views():
        hass.http.register_view(view)
