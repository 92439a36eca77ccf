"""Status pages for the API tests: add one to a loaded hub as the flow would."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigSubentry

from custom_components.pialert.const import SUBENTRY_TYPE_STATUS_PAGE

from .conftest import Hub

# An HTTP target whose address and error must stay off public pages. Port 9
# (discard) on loopback refuses at once: a real, bounded check.
SECRET_SITE = {
    "id": "site",
    "kind": "http",
    "name": "Shop",
    "url": "http://shopuser:hunter2@127.0.0.1:9/secret-path?token=abc",
    "interval": 3600,
    "failure_threshold": 1,
    "tags": ["web"],
}


def page_data(**extra: Any) -> dict[str, Any]:
    """Return a public page showing the shop and the backup job."""
    return {
        "title": "Home services",
        "slug": "home",
        "private": False,
        "show_uptime": True,
        "show_response_time": True,
        "show_details": False,
        "rate_limit": 600,
        "groups": [
            {"name": "Web", "targets": [], "tags": ["web"]},
            {"name": "Jobs", "targets": ["backup"], "tags": []},
        ],
        **extra,
    }


async def add_page(hub: Hub, page_id: str = "page1", **extra: Any) -> str:
    """Add a status page subentry to the hub; return its id."""
    data = page_data(**extra)
    hub.hass.config_entries.async_add_subentry(
        hub.entry,
        ConfigSubentry(
            data=MappingProxyType(data),
            subentry_type=SUBENTRY_TYPE_STATUS_PAGE,
            title=data["title"],
            unique_id=None,
            subentry_id=page_id,
        ),
    )
    await hub.settle()
    return page_id
