"""Pushes PiAlert's alerts to Alertmanagers (v2 API), reliably.

Each alert's latest state per URL is kept in the book (saved with the
notification state): a change is pushed at once; a push that fails
(connection error, timeout, an HTTP error) is retried with exponential
backoff and jitter; firing alerts are re-sent while active, as Alertmanager
expects. One push per URL at a time, so a newer state never overtakes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import datetime, timedelta
import logging
from typing import Any, Final

import aiohttp
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine.notify.alertmanager import (
    ALERTS_PATH,
    RESEND_SECONDS,
    AlertInfo,
    alert_body,
)
from .engine.notify.alertmanager_book import AlertmanagerBook, BookedAlert
from .engine.notify.rules import NotificationRule
from .url_masking import mask_password

_LOGGER = logging.getLogger(__name__)
TIMEOUT_SECONDS: Final = 10

type PushReport = Callable[[str, list[BookedAlert], str, str | None], None]
"""(url, the states concerned, sent/retrying/failed, error)."""


class PushRetryingError(ValueError):
    """A push failed and its alerts wait to be retried."""


class AlertmanagerPush:
    """The alerts each Alertmanager should have, delivered and kept there."""

    def __init__(self, hass: HomeAssistant, report: PushReport) -> None:
        """Tell ``report`` how retried states went."""
        self._hass = hass
        self._report = report
        self.book = AlertmanagerBook()
        self.changed: Callable[[], None] = lambda: None
        """Called when the book changed (it is saved)."""
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retry: CALLBACK_TYPE | None = None
        self._timer: CALLBACK_TYPE | None = async_track_time_interval(
            hass, self._resend, timedelta(seconds=RESEND_SECONDS)
        )

    @callback
    def async_start(self) -> None:
        """Push what was saved before the restart (pending resolves included)."""
        for url in list(self.book.destinations):
            self._background(self._async_push(url, everything=True, report=True))

    @callback
    def async_keep_rules(self, rules: Iterable[NotificationRule]) -> None:
        """Stop keeping alerts of rules or URLs that were removed."""
        self.book.forget(
            {
                (rule.id, url)
                for rule in rules
                for step in rule.steps
                for url in step.alertmanager_urls
            }
        )
        self.changed()

    async def async_update(
        self, url: str, alerts: Sequence[AlertInfo], site: str, rule_id: str
    ) -> None:
        """Make these the alerts' latest states and push them.

        Raises PushRetryingError when they could not be pushed yet.
        """
        self.book.put(url, alerts, site, rule_id, dt_util.utcnow().timestamp())
        self.changed()
        error = await self._async_push(url, everything=False, report=False)
        if error is not None:
            raise PushRetryingError(error)

    async def async_post_once(
        self, url: str, alerts: Sequence[AlertInfo], site: str
    ) -> str | None:
        """Post alerts that end by themselves (a test): not kept nor retried."""
        return await self._async_post(url, [alert_body(a, site) for a in alerts])

    async def _async_push(
        self, url: str, *, everything: bool, report: bool
    ) -> str | None:
        """Push the URL's unsent states (or all it keeps); return the error."""
        async with self._locks.setdefault(url, asyncio.Lock()):
            now = dt_util.utcnow().timestamp()
            if not everything and (waiting := self.book.waiting(url, now)):
                return waiting  # backing off: the retry timer sends it
            batch = self.book.batch(url, everything=everything)
            if not batch:
                return None
            unsent = [booked for booked in batch if booked.unsent]
            error = await self._async_post(
                url, [alert_body(b.alert, b.site) for b in batch]
            )
            given_up = self.book.settle(url, batch, error, dt_util.utcnow().timestamp())
        self.changed()
        self._schedule_retry()
        if report and unsent:
            self._report(url, unsent, "sent" if error is None else "retrying", error)
        if given_up:
            self._report(url, given_up, "failed", error)
        return error

    async def _async_post(self, url: str, bodies: list[dict[str, Any]]) -> str | None:
        session = async_get_clientsession(self._hass)
        error: str | None = None
        try:
            async with session.post(
                url.rstrip("/") + ALERTS_PATH,
                json=bodies,
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            ) as response:
                if response.status >= 300:
                    error = f"HTTP {response.status}: {(await response.text())[:200]}"
        except (aiohttp.ClientError, TimeoutError) as err:
            error = str(err) or type(err).__name__
        if error is not None:
            _LOGGER.warning(
                "Alertmanager %s refused alerts: %s", mask_password(url), error
            )
        return error

    def _background(self, push: Coroutine[Any, Any, str | None]) -> None:
        task = self._hass.async_create_background_task(
            push, f"{DOMAIN} alertmanager push"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @callback
    def _schedule_retry(self) -> None:
        if self._retry is not None:
            self._retry()
            self._retry = None
        if self._timer is None:
            return  # stopped
        if (due := self.book.next_due()) is not None:
            self._retry = async_track_point_in_utc_time(
                self._hass, self._retry_due, dt_util.utc_from_timestamp(due)
            )

    @callback
    def _retry_due(self, _now: datetime) -> None:
        self._retry = None
        for url in self.book.take_due(dt_util.utcnow().timestamp()):
            self._background(self._async_push(url, everything=True, report=True))
        self._schedule_retry()

    @callback
    def _resend(self, _now: datetime) -> None:
        now = dt_util.utcnow().timestamp()
        for url in list(self.book.destinations):
            if self.book.waiting(url, now) is None:
                self._background(self._async_push(url, everything=True, report=True))

    async def async_stop(self) -> None:
        """Stop pushing; what is unsent stays in the saved book."""
        for unsub in (self._timer, self._retry):
            if unsub is not None:
                unsub()
        self._timer = self._retry = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
