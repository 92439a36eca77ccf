"""The outbound heartbeat: PiAlert pings a URL outside this house every N minutes.

When Home Assistant stops, crashes or loses its connection, the pings stop and
the system that receives them (another PiAlert's heartbeat target, a
Healthchecks check, any dead man's switch) raises the alarm. Each ping is a
plain GET: success pings, no ``/start``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util
import probatio as vol

from .engine.syntax import is_http_url
from .form_numbers import FormNumber, number_errors, whole_numbers

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry

_LOGGER = logging.getLogger(__name__)

CONF_OUTBOUND_URL: Final = "outbound_heartbeat_url"
CONF_OUTBOUND_MINUTES: Final = "outbound_heartbeat_minutes"
DEFAULT_OUTBOUND_MINUTES: Final = 5
PING_TIMEOUT_SECONDS: Final = 10

OUTBOUND_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_OUTBOUND_URL): selector.TextSelector(
            selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
        ),
        vol.Required(
            CONF_OUTBOUND_MINUTES, default=DEFAULT_OUTBOUND_MINUTES
        ): FormNumber(1, 1440, "invalid_outbound_minutes", unit="min"),
    }
)


def outbound_options(
    user_input: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (options to save, {field: error_key}) from the form's input."""
    errors = number_errors(OUTBOUND_SCHEMA, user_input)
    options = whole_numbers(OUTBOUND_SCHEMA, user_input)
    url = str(options.get(CONF_OUTBOUND_URL) or "").strip()
    if url and not is_http_url(url):
        errors[CONF_OUTBOUND_URL] = "invalid_outbound_url"
    options[CONF_OUTBOUND_URL] = url or None
    return options, errors


def async_step_outbound(
    flow: OptionsFlow, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Show and save the outbound heartbeat options (an empty URL turns it off)."""
    errors: dict[str, str] = {}
    if user_input is not None:
        options, errors = outbound_options(user_input)
        if not errors:
            return flow.async_create_entry(
                data={**flow.config_entry.options, **options}
            )
    return flow.async_show_form(
        step_id="outbound_heartbeat",
        data_schema=flow.add_suggested_values_to_schema(
            OUTBOUND_SCHEMA, user_input or flow.config_entry.options
        ),
        errors=errors,
    )


@dataclass(slots=True)
class PingRecord:
    """What the last pings did (diagnostics)."""

    last_ping: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    pings: int = 0


class OutboundHeartbeat:
    """Pings one URL at a fixed interval through Home Assistant's shared session."""

    def __init__(
        self, hass: HomeAssistant, entry: PiAlertConfigEntry, url: str, minutes: int
    ) -> None:
        """Ping ``url`` every ``minutes`` once started."""
        self.hass = hass
        self.entry = entry
        self.url = url
        self.interval = timedelta(minutes=minutes)
        self.record = PingRecord()
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> None:
        """Ping once the hub is loaded, then every interval.

        Not before: a ping to this PiAlert's own heartbeat URL (or a peer
        pinging back) would be refused while the hub is still setting up.
        """
        self._unsub = async_track_time_interval(
            self.hass, self._async_due, self.interval, name="pialert outbound heartbeat"
        )
        if self.entry.state is ConfigEntryState.LOADED:
            self._async_due(dt_util.utcnow())
            return

        pending = [True]

        @callback
        def _first_ping() -> None:
            if pending and self.entry.state is ConfigEntryState.LOADED:
                pending.clear()
                self._async_due(dt_util.utcnow())

        self.entry.async_on_unload(self.entry.async_on_state_change(_first_ping))

    @callback
    def async_stop(self) -> None:
        """Stop pinging: the receiver will notice."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def _async_due(self, _now: datetime) -> None:
        # Tied to the entry: an unload cancels a ping still under way.
        self.entry.async_create_background_task(
            self.hass, self.async_ping(), "pialert outbound heartbeat ping"
        )

    async def async_ping(self) -> None:
        """Send one ping; failures are logged once, when they start."""
        session = async_get_clientsession(self.hass)
        self.record.last_ping = dt_util.utcnow()
        self.record.pings += 1
        error: str | None = None
        try:
            async with session.get(
                self.url,
                timeout=aiohttp.ClientTimeout(total=PING_TIMEOUT_SECONDS),
            ) as response:
                if response.status >= 400:
                    error = f"HTTP {response.status}"
        except (aiohttp.ClientError, TimeoutError) as err:
            error = str(err) or type(err).__name__
        if error is None:
            if self.record.last_error is not None:
                _LOGGER.info("Outbound heartbeat reaches %s again", self.url)
            self.record.last_success = self.record.last_ping
        elif self.record.last_error is None:
            _LOGGER.warning("Outbound heartbeat to %s failed: %s", self.url, error)
        self.record.last_error = error


@callback
def async_start_outbound_heartbeat(
    hass: HomeAssistant, entry: PiAlertConfigEntry
) -> OutboundHeartbeat | None:
    """Start pinging when the hub's options name a URL; stop with the hub."""
    url = entry.options.get(CONF_OUTBOUND_URL)
    if not url:
        return None
    heartbeat = OutboundHeartbeat(
        hass,
        entry,
        str(url),
        int(entry.options.get(CONF_OUTBOUND_MINUTES, DEFAULT_OUTBOUND_MINUTES)),
    )
    heartbeat.async_start()
    entry.async_on_unload(heartbeat.async_stop)
    return heartbeat
