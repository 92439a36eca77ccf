"""Pushes PiAlert's alerts to Alertmanagers (v2 API), re-sent while active."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
import logging
from typing import Final

import aiohttp
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval

from .const import DOMAIN
from .engine.notify.alertmanager import (
    ALERTS_PATH,
    RESEND_SECONDS,
    AlertInfo,
    alerts_body,
)
from .url_masking import mask_password

_LOGGER = logging.getLogger(__name__)
TIMEOUT_SECONDS: Final = 10

type PushReport = Callable[[str, str, str | None], None]


class AlertmanagerPush:
    """The alerts each Alertmanager should have, kept there while active."""

    def __init__(self, hass: HomeAssistant, report: PushReport) -> None:
        """Tell ``report`` (url, status, error) how each push went."""
        self._hass = hass
        self._report = report
        # url -> target id -> (alert, site)
        self.active: dict[str, dict[str, tuple[AlertInfo, str]]] = {}
        self._timer: CALLBACK_TYPE | None = async_track_time_interval(
            hass, self._resend, timedelta(seconds=RESEND_SECONDS)
        )

    async def async_fire(
        self, url: str, alerts: Sequence[AlertInfo], site: str, *, keep: bool = True
    ) -> str | None:
        """Post firing alerts and (``keep``) re-send them until resolved."""
        kept = self.active.setdefault(url, {})
        for alert in alerts if keep else ():
            kept[alert.target_id] = (alert, site)
        return await self._async_post(url, [(a, site) for a in alerts])

    async def async_resolve(
        self, url: str, alerts: Sequence[AlertInfo], site: str
    ) -> str | None:
        """Post the alerts with their ``endsAt`` and stop re-sending them."""
        kept = self.active.get(url, {})
        for alert in alerts:
            kept.pop(alert.target_id, None)
        return await self._async_post(url, [(a, site) for a in alerts])

    @callback
    def _resend(self, _now: datetime) -> None:
        for url, kept in self.active.items():
            if kept:
                self._hass.async_create_background_task(
                    self._async_post(url, list(kept.values())),
                    f"{DOMAIN} alertmanager resend",
                )

    async def _async_post(
        self, url: str, alerts: list[tuple[AlertInfo, str]]
    ) -> str | None:
        bodies = [body for alert, site in alerts for body in alerts_body([alert], site)]
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
        self._report(url, "sent" if error is None else "failed", error)
        return error

    @callback
    def async_stop(self) -> None:
        """Stop re-sending."""
        if self._timer is not None:
            self._timer()
            self._timer = None
