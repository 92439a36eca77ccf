"""Suggested targets: hosts other integrations use, offered in a repair issue.

Home Assistant 2026.10 does not let a config subentry flow start from
discovery (``ConfigSubentryFlow.async_create_entry`` accepts only the user
source), so suggestions are offered the way core offers other optional
fixes: a fixable repair issue ("PiAlert found 9 hosts your integrations use")
whose fix flow lets the user pick which to watch (repairs.py). Nothing is
checked before the user accepts. Dismissed suggestions are saved at once in
their own file and never offered again; a host that appears later is.

The network integration exposes the machine's addresses but not its gateway
or DNS servers: those are read (in the executor) from /proc/net/route and
/etc/resolv.conf.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.network import async_get_adapters
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    SOURCE_IGNORE,
    ConfigEntry,
    ConfigEntryChange,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.start import async_at_started
from homeassistant.util.hass_dict import HassKey

from .commands import HubCommands
from .const import DOMAIN, SUBENTRY_TYPE_TARGET
from .engine.suggestions import (
    EntryHosts,
    NetworkFacts,
    Suggestion,
    accepted_items,
    default_gateway,
    dns_servers,
    host_of,
    suggest,
    watched_hosts,
)
from .safe_store import GuardedStore, UnusableDataError

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry
    from .target_code import Plan

_LOGGER = logging.getLogger(__name__)

SUGGESTIONS_STORAGE_KEY: Final = f"{DOMAIN}.suggestions"
SUGGESTIONS_STORAGE_VERSION: Final = 1
ISSUE_SUGGESTED_TARGETS: Final = "suggested_targets"
ISSUE_SUGGESTIONS_CORRUPT: Final = "suggestions_corrupt"
DATA_SUGGESTIONS: HassKey[TargetSuggestions] = HassKey(f"{DOMAIN}_suggestions")
# Where Linux keeps the routes and name servers (the network integration
# exposes neither the gateway nor the DNS servers).
ROUTE_TABLE: Final = Path("/proc/net/route")
RESOLV_CONF: Final = Path("/etc/resolv.conf")
# Entries change in bursts at start-up and when integrations reload.
RESCAN_COOLDOWN: Final = 5.0


def _read_text(path: Path) -> str:
    """Return a system file's text, or nothing when it is not there."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _parse_dismissed(data: Any) -> set[str]:
    dismissed = data["dismissed"]
    if not isinstance(dismissed, list) or not all(
        isinstance(key, str) for key in dismissed
    ):
        raise UnusableDataError("'dismissed' is not a list of texts")
    return set(dismissed)


def _url_host(hass: HomeAssistant, **kwargs: bool) -> str | None:
    try:
        return host_of(get_url(hass, allow_ip=True, **kwargs))
    except NoURLAvailableError:
        return None


class TargetSuggestions:
    """Finds suggestions, keeps the repair issue current, remembers dismissals."""

    def __init__(self, hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
        """Bind to the hub; nothing is read before ``async_start``."""
        self.hass = hass
        self.entry = entry
        self.dismissed: set[str] = set()
        self._store = GuardedStore(
            hass,
            SUGGESTIONS_STORAGE_VERSION,
            SUGGESTIONS_STORAGE_KEY,
            issue_id=ISSUE_SUGGESTIONS_CORRUPT,
        )
        self._rescan = Debouncer(
            hass,
            _LOGGER,
            cooldown=RESCAN_COOLDOWN,
            immediate=True,
            function=self.async_refresh_issue,
            background=True,
        )

    async def async_start(self) -> None:
        """Load the dismissals; scan once Home Assistant runs and on entry changes."""
        self.dismissed = await self._store.async_load_or_keep(_parse_dismissed) or set()

        @callback
        def entry_changed(change: ConfigEntryChange, entry: ConfigEntry) -> None:
            self._rescan.async_schedule_call()

        @callback
        def started(hass: HomeAssistant) -> None:
            self._rescan.async_schedule_call()

        entry = self.entry
        entry.async_on_unload(
            async_dispatcher_connect(
                self.hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed
            )
        )
        entry.async_on_unload(async_at_started(self.hass, started))
        entry.async_on_unload(self._rescan.async_shutdown)
        entry.async_on_unload(self._store.close)

    async def _async_network(self) -> NetworkFacts:
        own = {
            str(ip["address"]).lower()
            for adapter in await async_get_adapters(self.hass)
            for ip in (*adapter["ipv4"], *adapter["ipv6"])
        }
        own |= {
            host
            for host in (
                _url_host(self.hass, prefer_external=False),
                _url_host(self.hass, prefer_external=True),
            )
            if host is not None
        }
        route_table = await self.hass.async_add_executor_job(_read_text, ROUTE_TABLE)
        resolv_conf = await self.hass.async_add_executor_job(_read_text, RESOLV_CONF)
        return NetworkFacts(
            default_gateway(route_table), dns_servers(resolv_conf), frozenset(own)
        )

    def _targets(self) -> list[dict[str, Any]]:
        return [
            dict(sub.data)
            for sub in self.entry.subentries.values()
            if sub.subentry_type == SUBENTRY_TYPE_TARGET
        ]

    async def async_find(self) -> list[Suggestion]:
        """Return what to suggest now (nothing is contacted)."""
        entries = [
            EntryHosts(entry.domain, entry.title, {**entry.data, **entry.options})
            for entry in self.hass.config_entries.async_entries()
            if entry.domain != DOMAIN
            and entry.disabled_by is None
            and entry.source != SOURCE_IGNORE
        ]
        targets = self._targets()
        return suggest(
            entries,
            await self._async_network(),
            watched_hosts(targets),
            self.dismissed,
            [str(data.get("name", "")) for data in targets],
        )

    async def async_refresh_issue(self) -> None:
        """Raise the repair issue while there is something to suggest."""
        found = await self.async_find()
        if not found:
            ir.async_delete_issue(self.hass, DOMAIN, ISSUE_SUGGESTED_TARGETS)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            ISSUE_SUGGESTED_TARGETS,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_SUGGESTED_TARGETS,
            translation_placeholders={"count": str(len(found))},
        )

    async def async_accept(
        self, found: list[Suggestion], chosen: Collection[str]
    ) -> Plan:
        """Watch the chosen suggestions and dismiss the others (saved at once).

        Nothing changes when a chosen one is refused (the plan says why).
        """
        existing = [str(data.get("name", "")) for data in self._targets()]
        items = accepted_items(found, chosen, existing)
        plan = await HubCommands.of(self.entry.runtime_data).add_targets(items)
        if not plan.errors:
            await self.async_dismiss(s.key for s in found if s.key not in chosen)
        return plan

    async def async_dismiss(self, keys: Iterable[str]) -> None:
        """Never suggest these again (saved at once)."""
        before = len(self.dismissed)
        self.dismissed.update(keys)
        if len(self.dismissed) != before:
            await self._store.async_save({"dismissed": sorted(self.dismissed)})


async def async_start_target_suggestions(
    hass: HomeAssistant, entry: PiAlertConfigEntry
) -> None:
    """Offer suggested targets while the hub is loaded."""
    suggestions = TargetSuggestions(hass, entry)
    await suggestions.async_start()
    hass.data[DATA_SUGGESTIONS] = suggestions

    @callback
    def forget() -> None:
        if hass.data.get(DATA_SUGGESTIONS) is suggestions:
            del hass.data[DATA_SUGGESTIONS]
        # Its fix flow needs the loaded hub.
        ir.async_delete_issue(hass, DOMAIN, ISSUE_SUGGESTED_TARGETS)

    entry.async_on_unload(forget)
