"""The status page subentry flow: add, validate, reconfigure (messages kept)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import SUBENTRY_TYPE_STATUS_PAGE

from .platform_helpers import BACKUP_ID, CPU_ID, SITE_ID

TRANSLATIONS = json.loads(
    (
        Path(__file__).parent.parent / "custom_components/pialert/translations/en.json"
    ).read_text()
)
PAGE_TEXTS = TRANSLATIONS["config_subentries"]["status_page"]
VALID = {
    "title": " Home services ",
    "slug": "Home",
    "private": False,
    "show_uptime": True,
    "show_response_time": False,
    "show_details": False,
    "rate_limit": 600,
    "group_1_name": "Web",
    "group_1_targets": [SITE_ID],
    "group_2_tags": ["Nightly"],
    "group_3_targets": [BACKUP_ID, CPU_ID],
}


async def open_form(hass: HomeAssistant, entry: MockConfigEntry, **context: Any) -> str:
    """Open the page form; return the flow id."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TYPE_STATUS_PAGE),
        context={"source": "user", **context},
    )
    assert result["type"] is FlowResultType.FORM
    return str(result["flow_id"])


async def submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    """Submit the form; every error shown must have an English text."""
    result = await hass.config_entries.subentries.async_configure(flow_id, data)
    await hass.async_block_till_done()
    if result["type"] is FlowResultType.FORM:
        for error in result["errors"].values():
            assert error in PAGE_TEXTS["error"], error
    return result


def pages(entry: MockConfigEntry) -> list[Any]:
    """Return the hub's status page subentries."""
    return [
        s
        for s in entry.subentries.values()
        if s.subentry_type == SUBENTRY_TYPE_STATUS_PAGE
    ]


async def test_add_page(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """A page is saved with its groups; empty slots are left out."""
    result = await submit(hass, await open_form(hass, init_integration), VALID)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (page,) = pages(init_integration)
    assert page.title == "Home services"
    assert page.data["slug"] == "home"
    assert page.data["groups"] == [
        {"name": "Web", "targets": [SITE_ID], "tags": []},
        {"name": "Group 2", "targets": [], "tags": ["nightly"]},
        {"name": "Group 3", "targets": [BACKUP_ID, CPU_ID], "tags": []},
    ]


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"slug": "-bad-"}, "slug", "invalid_slug"),
        ({"slug": "a b"}, "slug", "invalid_slug"),
        ({"title": "  "}, "title", "invalid_page_title"),
        ({"rate_limit": 5}, "rate_limit", "invalid_page_rate_limit"),
        (
            {"group_1_targets": [], "group_2_tags": [], "group_3_targets": []},
            "base",
            "page_without_targets",
        ),
    ],
)
async def test_bad_input_is_explained(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    changes: dict[str, Any],
    field: str,
    error: str,
) -> None:
    """Each mistake gets its translated error and nothing is saved."""
    result = await submit(
        hass, await open_form(hass, init_integration), VALID | changes
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert pages(init_integration) == []


async def test_slug_must_be_unique(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Two pages cannot share an address."""
    await submit(hass, await open_form(hass, init_integration), VALID)
    result = await submit(hass, await open_form(hass, init_integration), VALID)
    assert result["errors"] == {"slug": "slug_taken"}


async def test_reconfigure_keeps_incident_messages(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Changing a page keeps what was posted on it and may keep its slug."""
    await submit(hass, await open_form(hass, init_integration), VALID)
    (page,) = pages(init_integration)
    incidents = [
        {
            "id": "i1",
            "updates": [
                {
                    "status": "investigating",
                    "message": "Looking",
                    "at": "2026-11-20T10:00:00+00:00",
                    "by": "Admin",
                }
            ],
        }
    ]
    hass.config_entries.async_update_subentry(
        init_integration, page, data={**page.data, "incidents": incidents}
    )
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_TYPE_STATUS_PAGE),
        context={"source": "reconfigure", "subentry_id": page.subentry_id},
    )
    assert result["type"] is FlowResultType.FORM
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert "group_1_targets" in schema_keys
    result = await submit(hass, result["flow_id"], VALID | {"private": True})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    (page,) = pages(init_integration)
    assert page.data["private"] is True
    assert page.data["incidents"] == incidents
