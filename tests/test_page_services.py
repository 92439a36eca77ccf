"""The pialert.post_status_page_incident action: admins publish page messages."""

from __future__ import annotations

from types import MappingProxyType

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_STATUS_PAGE

from .platform_helpers import BACKUP_ID

SERVICE = "post_status_page_incident"


@pytest.fixture
async def page(hass: HomeAssistant, init_integration: MockConfigEntry) -> str:
    """Add a public page with the backup target; return its id."""
    hass.config_entries.async_add_subentry(
        init_integration,
        ConfigSubentry(
            data=MappingProxyType(
                {
                    "title": "Home",
                    "slug": "home",
                    "groups": [{"name": "Jobs", "targets": [BACKUP_ID], "tags": []}],
                }
            ),
            subentry_type=SUBENTRY_TYPE_STATUS_PAGE,
            title="Home",
            unique_id=None,
            subentry_id="page_home",
        ),
    )
    await hass.async_block_till_done()
    return "page_home"


async def test_admin_posts_and_resolves(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    page: str,
    hass_admin_user: User,
) -> None:
    """Messages thread into one incident, saved with the page, with who wrote them."""
    events = async_capture_events(hass, f"{DOMAIN}_status_page_incident")
    context = Context(user_id=hass_admin_user.id)
    posted = await hass.services.async_call(
        DOMAIN,
        SERVICE,
        {"status_page": "home", "status": "identified", "message": "Disk full"},
        blocking=True,
        return_response=True,
        context=context,
    )
    assert posted is not None
    assert posted["status"] == "identified"
    resolved = await hass.services.async_call(
        DOMAIN,
        SERVICE,
        {"status_page": page, "status": "resolved", "message": "Cleaned up"},
        blocking=True,
        return_response=True,
        context=context,
    )
    assert resolved is not None
    assert resolved["id"] == posted["id"]
    saved = init_integration.subentries[page].data["incidents"]
    assert [u["by"] for u in saved[0]["updates"]] == [hass_admin_user.name] * 2
    assert [e.data["status"] for e in events] == ["identified", "resolved"]


async def test_refusals_are_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, page: str
) -> None:
    """Unknown pages and a resolve without an open incident are explained."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            SERVICE,
            {"status_page": "nope", "status": "identified", "message": "x"},
            blocking=True,
        )
    assert err.value.translation_key == "unknown_status_page"
    assert str(err.value) == "There is no status page nope"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            SERVICE,
            {"status_page": "home", "status": "resolved", "message": "x"},
            blocking=True,
        )
    assert err.value.translation_key == "no_open_page_incident"
    assert "incidents" not in init_integration.subentries[page].data


async def test_only_admins_publish(
    hass: HomeAssistant, page: str, hass_read_only_user: User
) -> None:
    """A user who is not an admin may not publish on a public page."""
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            SERVICE,
            {"status_page": "home", "status": "identified", "message": "x"},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
