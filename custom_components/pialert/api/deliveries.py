"""``/deliveries``: what the notification rules sent lately, and how it went."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final, TypedDict

from aiohttp import web

from ..engine.notify.planner import What
from ..notifier import notifier_of
from ..notify_log import MAX_RECORDS, DeliveryRecord
from ..url_masking import public_channel
from .base import API_PREFIX, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import DEFAULT_LIMIT, check_query, int_param
from .shapes import Timestamp, described

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..coordinator import PiAlertCoordinator

DELIVERY_PARAMS: Final = frozenset({"rule_id", "limit"})
DELIVERY_STATUSES: Final = ("sent", "queued", "retrying", "failed", "skipped")


class DeliveryBody(TypedDict):
    """One message of one rule to one channel."""

    time: Timestamp
    rule_id: str
    rule: Annotated[str, described("The rule's name.")]
    what: Annotated[
        str,
        described(
            "down, escalation, reminder, acknowledged, recovered or test; "
            "webhook attempts name their event (monitor.down, ...)."
        ),
    ]
    channel: Annotated[
        str,
        described(
            "entity:notify.x, service:notify.x, persistent:, relay:, "
            "webhook:<step>, alertmanager:<url>."
        ),
    ]
    status: Annotated[str, described("sent, queued, retrying, failed or skipped.")]
    targets: list[str]
    message: str
    error: str | None


class DeliveryListBody(TypedDict):
    """The last deliveries, newest first."""

    deliveries: list[DeliveryBody]
    pending_webhooks: Annotated[
        int, described("Webhook deliveries waiting in the outbox (kept on restart).")
    ]


DELIVERY_BODIES: Final[tuple[type, ...]] = (DeliveryListBody,)
WHAT_VALUES: Final = tuple(w.value for w in What)


def delivery_json(record: DeliveryRecord) -> DeliveryBody:
    """Return a delivery as the API shows it."""
    return {
        "time": record.time.isoformat(),
        "rule_id": record.rule_id,
        "rule": record.rule,
        "what": record.what,
        "channel": public_channel(record.channel),
        "status": record.status,
        "targets": list(record.targets),
        "message": record.message,
        "error": record.error,
    }


def delivery_page(
    hass: HomeAssistant, rule_id: str | None, limit: int
) -> DeliveryListBody:
    """Return the last ``limit`` deliveries (of one rule), newest first."""
    notifier = notifier_of(hass)
    records = notifier.deliveries(rule_id) if notifier else []
    return {
        "deliveries": [delivery_json(r) for r in reversed(records)][:limit],
        "pending_webhooks": len(notifier.sender.outbox.pending) if notifier else 0,
    }


class DeliveriesView(PiAlertView):
    """``/deliveries``: the notification rules' last deliveries."""

    url = f"{API_PREFIX}/deliveries"
    name = "api:pialert:deliveries"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return the last deliveries, newest first."""
        query = check_query(request, DELIVERY_PARAMS)
        limit = int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_RECORDS)
        return json_response(
            delivery_page(coordinator.hass, query.get("rule_id"), limit)
        )
