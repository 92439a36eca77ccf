"""Registration of every PiAlert HTTP view, once per Home Assistant run."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .badges import BadgeView
from .base import API_PREFIX, ApiError, PiAlertView
from .checks import TargetChecksView
from .deliveries import DeliveriesView
from .event_streams import EventSocketView, EventStreamView
from .heartbeat import HeartbeatView
from .history import AlertHistoryView, IncidentsView
from .incident_item import IncidentItemView
from .maintenance import MaintenanceWindowsView, MaintenanceWindowView
from .metrics import MetricsView
from .notification_rules import (
    NotificationRulesView,
    NotificationRuleTestView,
    NotificationRuleView,
)
from .openapi import openapi_document
from .page_config import StatusPagesView
from .pings import TargetPingsView
from .request import check_query
from .silences import SilencesView, SilenceView
from .status import AlertStatusView
from .status_pages import StatusPageHtmlView, StatusPageView
from .targets import TargetAcknowledgeView, TargetItemView, TargetsView
from .targets_as_code import TargetsBulkView, TargetsExportView, TargetsImportView

_REGISTERED: Final[HassKey[bool]] = HassKey(f"{DOMAIN}_api_views")


class OpenApiView(PiAlertView):
    """``/openapi.json``: needs no key, says nothing secret."""

    url = f"{API_PREFIX}/openapi.json"
    name = "api:pialert:openapi"

    async def get(self, request: web.Request) -> web.Response:
        """Return the document of the registered views."""
        try:
            check_query(request, ())
        except ApiError as err:
            return err.response()
        return self.json(api_document())


VIEW_TYPES: Final[tuple[type[HomeAssistantView], ...]] = (
    AlertStatusView,
    HeartbeatView,
    TargetsView,
    # Before targets/{target_id}: their paths would match it too.
    TargetsBulkView,
    TargetsExportView,
    TargetsImportView,
    TargetItemView,
    TargetAcknowledgeView,
    TargetChecksView,
    TargetPingsView,
    SilencesView,
    SilenceView,
    MaintenanceWindowsView,
    MaintenanceWindowView,
    AlertHistoryView,
    IncidentsView,
    IncidentItemView,
    MetricsView,
    EventStreamView,
    EventSocketView,
    StatusPagesView,
    StatusPageView,
    BadgeView,
    DeliveriesView,
    NotificationRulesView,
    NotificationRuleView,
    NotificationRuleTestView,
    OpenApiView,
)


def api_document() -> dict[str, Any]:
    """Return the OpenAPI document of every view."""
    return openapi_document(VIEW_TYPES)


def all_views() -> list[HomeAssistantView]:
    """Return one instance of every view (views hold no per-entry state)."""
    # The status page's HTML is for people, not part of the API's document.
    return [view() for view in (*VIEW_TYPES, StatusPageHtmlView)]


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register all API views; later calls do nothing."""
    if hass.data.get(_REGISTERED):
        return
    hass.data[_REGISTERED] = True
    for view in all_views():
        hass.http.register_view(view)
