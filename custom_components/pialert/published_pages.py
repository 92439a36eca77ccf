"""The hub's status pages (config subentries) and what serving them keeps.

Pages are read from the hub entry's subentries; incident messages are saved
with the page (``commands.HubCommands.post_page_incident``). Answers are cached
per snapshot and page, and limited per client address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .api.limits import MAX_TRACKED_ADDRESSES, WindowLimiter
from .api.state import SnapshotCache
from .const import DOMAIN, EVENT_PREFIX, SUBENTRY_TYPE_STATUS_PAGE
from .engine.errors import RefusedError
from .engine.page_incidents import PageIncident, post_update
from .engine.status_pages import CONF_INCIDENTS, StatusPage, page_from_data

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator

# Uptime windows and day bars move with time alone: rebuild at least this often.
PAGE_MAX_AGE: Final = timedelta(seconds=30)
EVENT_PAGE_INCIDENT: Final = f"{EVENT_PREFIX}status_page_incident"
_SERVING: Final[HassKey[PageServing]] = HassKey(f"{DOMAIN}_status_page_serving")


def configured_pages(entry: ConfigEntry) -> dict[str, StatusPage]:
    """Return the hub's status pages by subentry id."""
    return {
        subentry_id: page_from_data(subentry_id, subentry.data)
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_TYPE_STATUS_PAGE
    }


def find_page(entry: ConfigEntry, slug_or_id: str) -> StatusPage | None:
    """Return the page with this slug or subentry id."""
    pages = configured_pages(entry)
    if slug_or_id in pages:
        return pages[slug_or_id]
    return next((page for page in pages.values() if page.slug == slug_or_id), None)


def published_target_ids(coordinator: PiAlertCoordinator) -> dict[str, StatusPage]:
    """Return {target id: a public page showing it} (badges are for these only).

    Where several public pages show a target, one that shows uptime and
    response time is preferred: it decides what the badges may tell.
    """
    targets = list(coordinator.monitor.targets.values())
    found: dict[str, StatusPage] = {}
    for page in configured_pages(coordinator.config_entry).values():
        if page.private:
            continue
        for target_id in page.target_ids(targets):
            best = found.get(target_id)
            if best is None or _shows(page) > _shows(best):
                found[target_id] = page
    return found


def _shows(page: StatusPage) -> int:
    return int(page.show_uptime) + int(page.show_response_time)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """The last answer built for a public page: served while the hub reloads."""

    # The settings it was built from (Home Assistant replaces them on a change).
    settings: Mapping[str, Any]
    body: dict[str, Any]
    answer: bytes
    built_at: datetime


@dataclass(slots=True)
class PageServing:
    """Caches and the per-address limiter of the public pages."""

    limiter: WindowLimiter = field(
        default_factory=lambda: WindowLimiter(max_names=MAX_TRACKED_ADDRESSES)
    )
    caches: dict[tuple[str, str], SnapshotCache[bytes]] = field(default_factory=dict)
    # Kept across reloads of the hub (this lives as long as Home Assistant).
    last: dict[tuple[str, str], RenderedPage] = field(default_factory=dict)

    def cache(self, page_id: str, form: str) -> SnapshotCache[bytes]:
        """Return the cache of one page's answer in one form (json, html)."""
        key = (page_id, form)
        cache = self.caches.get(key)
        if cache is None:
            cache = self.caches[key] = SnapshotCache(PAGE_MAX_AGE)
        return cache

    def forget(self, page_id: str) -> None:
        """Drop what was kept of a deleted page."""
        for key in [key for key in self.caches if key[0] == page_id]:
            del self.caches[key]
        for key in [key for key in self.last if key[0] == page_id]:
            del self.last[key]


def page_serving(hass: HomeAssistant) -> PageServing:
    """Return the serving state (one per Home Assistant run)."""
    serving = hass.data.get(_SERVING)
    if serving is None:
        serving = hass.data[_SERVING] = PageServing()
    return serving


def post_page_message(
    hass: HomeAssistant,
    entry: ConfigEntry,
    page_id: str,
    update: PageMessage,
    now: datetime,
) -> PageIncident:
    """Add an incident message to a page and save it with the page at once."""
    page = configured_pages(entry).get(page_id)
    if page is None:
        raise RefusedError("unknown_status_page", page=page_id)
    incidents, changed = post_update(
        page.incidents,
        status=update.status,
        message=update.message,
        by=update.by,
        now=now,
        incident_id=update.incident_id,
    )
    subentry = entry.subentries[page_id]
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data={**subentry.data, CONF_INCIDENTS: [i.dump() for i in incidents]},
    )
    hass.bus.async_fire(
        EVENT_PAGE_INCIDENT,
        {
            "status_page_id": page.id,
            "slug": page.slug,
            "incident_id": changed.id,
            "status": changed.status.value,
            "message": changed.updates[-1].message,
            "by": update.by,
        },
    )
    return changed


@dataclass(frozen=True, slots=True)
class PageMessage:
    """A message to post on a status page."""

    status: str
    message: str
    by: str
    incident_id: str | None = None
