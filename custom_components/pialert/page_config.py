"""Adding, changing and deleting status pages (config subentries) outside the flow.

The API comes here through the command door (``HubCommands``); the settings
are checked by the same rules as the subentry form's (``check_page``), and
the subentry is what the UI shows. Home Assistant saves subentries with the
entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant

from .const import SUBENTRY_TYPE_STATUS_PAGE, SUBENTRY_TYPE_TARGET
from .engine.errors import RefusedError
from .engine.status_pages import (
    CONF_INCIDENTS,
    CONF_TITLE,
    StatusPage,
    check_page,
    page_from_data,
    page_settings,
)
from .published_pages import configured_pages, find_page, page_serving


def _checked(
    entry: ConfigEntry, data: Mapping[str, Any], page_id: str | None
) -> dict[str, Any]:
    return check_page(
        data,
        page_id=page_id,
        existing=configured_pages(entry),
        target_ids=[
            sid
            for sid, sub in entry.subentries.items()
            if sub.subentry_type == SUBENTRY_TYPE_TARGET
        ],
    )


def _page_subentry(entry: ConfigEntry, slug_or_id: str) -> ConfigSubentry:
    page = find_page(entry, slug_or_id)
    if page is None:
        raise RefusedError("unknown_status_page", page=slug_or_id)
    return entry.subentries[page.id]


class PageCommands:
    """The status pages of one hub."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Act on this hub's subentries."""
        self._hass = hass
        self._entry = entry

    def pages(self) -> list[StatusPage]:
        """Return the pages by title."""
        return sorted(
            configured_pages(self._entry).values(),
            key=lambda page: (page.title.casefold(), page.id),
        )

    def add(self, data: Mapping[str, Any]) -> StatusPage:
        """Add a page; ``PageInputError`` names the fields that are wrong."""
        settings = _checked(self._entry, data, None)
        subentry = ConfigSubentry(
            data=MappingProxyType(settings),
            subentry_type=SUBENTRY_TYPE_STATUS_PAGE,
            title=settings[CONF_TITLE],
            unique_id=None,
        )
        self._hass.config_entries.async_add_subentry(self._entry, subentry)
        return page_from_data(subentry.subentry_id, settings)

    def change(self, slug_or_id: str, changes: Mapping[str, Any]) -> StatusPage:
        """Change the given settings of a page; its incident messages are kept."""
        subentry = _page_subentry(self._entry, slug_or_id)
        current = page_settings(page_from_data(subentry.subentry_id, subentry.data))
        settings = _checked(self._entry, {**current, **changes}, subentry.subentry_id)
        settings[CONF_INCIDENTS] = subentry.data.get(CONF_INCIDENTS, [])
        self._hass.config_entries.async_update_subentry(
            self._entry, subentry, data=settings, title=settings[CONF_TITLE]
        )
        return page_from_data(subentry.subentry_id, settings)

    def remove(self, slug_or_id: str) -> str:
        """Delete a page (its address answers 404 at once); return its id."""
        subentry = _page_subentry(self._entry, slug_or_id)
        self._hass.config_entries.async_remove_subentry(
            self._entry, subentry.subentry_id
        )
        page_serving(self._hass).forget(subentry.subentry_id)
        return subentry.subentry_id
