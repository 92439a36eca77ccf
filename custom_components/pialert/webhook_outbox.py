"""The webhook outbox: deliveries saved until a receiver took them.

A delivery is saved when queued and removed (and saved) once a receiver
answered 2xx, so a restart neither loses nor repeats one; failures are
retried with exponential backoff and jitter. Calls use Home Assistant's
shared client session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
import logging
from typing import Any, Final
from uuid import uuid4

import aiohttp
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import DOMAIN, ISSUE_OUTBOX_CORRUPT
from .engine.notify.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    MAX_AGE_SECONDS,
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    Delivery,
    backoff,
    restore,
    signature,
)
from .safe_store import GuardedStore

_LOGGER = logging.getLogger(__name__)

OUTBOX_KEY: Final = f"{DOMAIN}.outbox"
OUTBOX_VERSION: Final = 1
TIMEOUT_SECONDS: Final = 10
MAX_IN_FLIGHT: Final = 8
SAVE_DELAY: Final = 0.1

type WebhookLookup = Callable[[str], tuple[str, str | None] | None]
type DeliveryReport = Callable[[Delivery, str, str | None], None]


class WebhookOutbox:
    """Pending webhook deliveries, saved, sent and retried."""

    def __init__(
        self, hass: HomeAssistant, lookup: WebhookLookup, report: DeliveryReport
    ) -> None:
        """Send through ``lookup`` (webhook key -> url, secret); tell ``report``."""
        self._hass = hass
        self._lookup = lookup
        self._report = report
        self._store = GuardedStore(
            hass, OUTBOX_VERSION, OUTBOX_KEY, issue_id=ISSUE_OUTBOX_CORRUPT
        )
        self.pending: dict[str, Delivery] = {}
        self._in_flight: set[str] = set()
        self._timer: CALLBACK_TYPE | None = None
        self._stopped = False

    async def async_load(self) -> None:
        """Take over what was pending before the restart."""
        restored = await self._store.async_load_or_keep(_parse)
        good, bad = restored or ([], 0)
        if bad:
            _LOGGER.warning("Dropped %d unreadable webhook deliveries", bad)
        self.pending = {d.id: d for d in good}
        self._send_due()

    def _saved(self) -> dict[str, Any]:
        return {"deliveries": [d.as_saved() for d in self.pending.values()]}

    def _save(self) -> None:
        self._store.async_delay_save(self._saved, SAVE_DELAY)

    @callback
    def enqueue(self, webhook: str, rule_id: str, event: str, body: bytes) -> None:
        """Queue one delivery (saved at once) and send it when it can go."""
        now = dt_util.utcnow().timestamp()
        delivery = Delivery.new(uuid4().hex, webhook, rule_id, event, body, now)
        self.pending[delivery.id] = delivery
        self._save()
        self._send_due()

    @callback
    def _send_due(self, _now: datetime | None = None) -> None:
        self._timer = None
        if self._stopped:
            return
        now = dt_util.utcnow().timestamp()
        waiting = sorted(
            (d for d in self.pending.values() if d.id not in self._in_flight),
            key=lambda d: d.due,
        )
        for delivery in waiting:
            if delivery.due > now:
                self._wake_at(delivery.due)
                break
            if len(self._in_flight) >= MAX_IN_FLIGHT:
                break  # the next one finishing calls again
            self._in_flight.add(delivery.id)
            self._hass.async_create_background_task(
                self._async_attempt(delivery), f"{DOMAIN} webhook {delivery.id}"
            )

    def _wake_at(self, timestamp: float) -> None:
        if self._timer is not None:
            self._timer()
        self._timer = async_track_point_in_utc_time(
            self._hass, self._send_due, dt_util.utc_from_timestamp(timestamp)
        )

    async def _async_attempt(self, delivery: Delivery) -> None:
        try:
            error = await self._async_post(delivery)
        finally:
            self._in_flight.discard(delivery.id)
        now = dt_util.utcnow().timestamp()
        if error is None:
            del self.pending[delivery.id]
            self._report(delivery, "sent", None)
        else:
            delivery.attempts += 1
            if (
                delivery.attempts >= MAX_ATTEMPTS
                or now - delivery.created > MAX_AGE_SECONDS
            ):
                del self.pending[delivery.id]
                self._report(delivery, "failed", error)
            else:
                delivery.due = now + backoff(delivery.attempts)
                self._report(delivery, "retrying", error)
        self._save()
        self._send_due()

    async def _async_post(self, delivery: Delivery) -> str | None:
        """Post once; return None on success, else what went wrong."""
        webhook = self._lookup(delivery.webhook)
        if webhook is None:
            return "the webhook was removed from its rule"
        url, secret = webhook
        headers = {
            "Content-Type": "application/json",
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: delivery.id,
        }
        if secret:
            headers[SIGNATURE_HEADER] = signature(secret, delivery.body)
        session = async_get_clientsession(self._hass)
        try:
            async with session.post(
                url,
                data=delivery.body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            ) as response:
                if 200 <= response.status < 300:
                    return None
                return f"HTTP {response.status}"
        except (aiohttp.ClientError, TimeoutError, asyncio.CancelledError) as err:
            if isinstance(err, asyncio.CancelledError) and self._stopped:
                raise
            return str(err) or type(err).__name__

    async def async_stop(self) -> None:
        """Stop sending; what is pending stays saved for the next start."""
        self._stopped = True
        if self._timer is not None:
            self._timer()
            self._timer = None
        await self._store.async_save(self._saved())


def _parse(data: Any) -> tuple[list[Delivery], int]:
    """Return the saved deliveries (and how many were bad); TypeError if no outbox."""
    deliveries = data["deliveries"]
    if not isinstance(deliveries, list):
        raise TypeError("deliveries is not a list")
    return restore(deliveries)
