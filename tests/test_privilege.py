"""Who may do what: key management and configuration are for admins only."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from homeassistant.auth.const import GROUP_ID_READ_ONLY, GROUP_ID_USER
from homeassistant.auth.models import Credentials
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    MockUser,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.const import DOMAIN

from .platform_helpers import CPU_ID, coordinator_of

# Changes who can reach the REST API: admins only (like Home Assistant's own
# users, integrations and options).
ADMIN_ONLY: list[tuple[str, dict[str, Any]]] = [
    ("create_api_key", {"name": "Mallory", "scope": "write"}),
    ("list_api_keys", {}),
    ("disable_api_key", {"key_id": "Admin key"}),
    ("enable_api_key", {"key_id": "Admin key"}),
    ("delete_api_key", {"key_id": "Admin key"}),
]


# Home Assistant's two kinds of non-admin users.
NON_ADMIN_GROUPS = [GROUP_ID_USER, GROUP_ID_READ_ONLY]


async def _user(hass: HomeAssistant, group_id: str) -> MockUser:
    group = await hass.auth.async_get_group(group_id)
    assert group is not None
    return MockUser(name=group_id, groups=[group]).add_to_hass(hass)


@pytest.fixture
async def regular_user(hass: HomeAssistant) -> MockUser:
    """Return a non-admin user of the ordinary "Users" group."""
    return await _user(hass, GROUP_ID_USER)


async def _token(hass: HomeAssistant, user: MockUser) -> str:
    credential = Credentials(
        id=f"cred-{user.id}",
        auth_provider_type="homeassistant",
        auth_provider_id=None,
        data={"username": user.name or "user"},
        is_new=False,
    )
    user.credentials.append(credential)
    refresh_token = await hass.auth.async_create_refresh_token(
        user, CLIENT_ID, credential=credential
    )
    return hass.auth.async_create_access_token(refresh_token)


@pytest.mark.parametrize(("service", "data"), ADMIN_ONLY)
@pytest.mark.parametrize("group_id", NON_ADMIN_GROUPS)
async def test_key_services_refuse_non_admins(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    group_id: str,
    service: str,
    data: dict[str, Any],
) -> None:
    """A non-admin user cannot create, list, disable, enable or delete keys."""
    user = await _user(hass, group_id)
    keys = init_integration.runtime_data.api.keys
    await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": "Admin key"},
        blocking=True,
        return_response=True,
    )
    before = [key.public() for key in keys.listing()]
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            return_response=hass.services.supports_response(DOMAIN, service) != "none",
            context=Context(user_id=user.id),
        )
    assert [key.public() for key in keys.listing()] == before


async def test_admins_and_automations_manage_keys(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """An admin (and an automation, which has no user) still manages keys."""
    created = await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": "Relay"},
        blocking=True,
        return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert created is not None
    assert created["name"] == "Relay"
    await hass.services.async_call(
        DOMAIN, "disable_api_key", {"key_id": "Relay"}, blocking=True
    )
    assert init_integration.runtime_data.api.keys.listing()[0].enabled is False


async def test_users_still_operate_alerts(
    hass: HomeAssistant, init_integration: MockConfigEntry, regular_user: MockUser
) -> None:
    """Acknowledging, silencing, checking and pausing stay open to users."""
    hass.states.async_set("sensor.cpu", "99")
    await hass.async_block_till_done()
    context = Context(user_id=regular_user.id)
    target = {"entity_id": "sensor.cpu_status"}
    await hass.services.async_call(
        DOMAIN, "acknowledge", target, blocking=True, context=context
    )
    await hass.services.async_call(
        DOMAIN,
        "silence",
        {"all": True, "duration": {"hours": 1}},
        blocking=True,
        context=context,
    )
    await hass.services.async_call(
        DOMAIN, "pause", target, blocking=True, context=context
    )
    await hass.async_block_till_done()
    coordinator = coordinator_of(init_integration)
    assert coordinator.monitor.silences
    assert init_integration.subentries[CPU_ID].data["enabled"] is False


FLOW_STARTS = [
    ("/api/config/config_entries/subentries/flow", "subentry"),
    ("/api/config/config_entries/options/flow", "options"),
]


@pytest.mark.parametrize(("url", "flow"), FLOW_STARTS)
@pytest.mark.parametrize("group_id", NON_ADMIN_GROUPS)
async def test_flows_refuse_non_admins(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
    group_id: str,
    url: str,
    flow: str,
) -> None:
    """Adding targets and the options (API keys) need an admin over HTTP."""
    assert await async_setup_component(hass, "config", {})
    body: dict[str, Any] = (
        {"handler": [init_integration.entry_id, "target"]}
        if flow == "subentry"
        else {"handler": init_integration.entry_id}
    )
    user = await _user(hass, group_id)
    client = await hass_client(await _token(hass, user))
    response = await client.post(url, json=body)
    assert response.status == HTTPStatus.UNAUTHORIZED

    # The same request from an admin opens the flow: the refusal is about who.
    admin = await hass_client()
    response = await admin.post(url, json=body)
    assert response.status == HTTPStatus.OK
    assert (await response.json())["type"] == "menu"


async def test_reconfigure_flow_refuses_non_admins(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    regular_user: MockUser,
) -> None:
    """Editing a target over HTTP needs an admin."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_client(await _token(hass, regular_user))
    response = await client.post(
        "/api/config/config_entries/subentries/flow",
        json={
            "handler": [init_integration.entry_id, "target"],
            "source": "reconfigure",
            "subentry_id": CPU_ID,
        },
    )
    assert response.status == HTTPStatus.UNAUTHORIZED
    assert init_integration.subentries[CPU_ID].data["name"] == "CPU"
