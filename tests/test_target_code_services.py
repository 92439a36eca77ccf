"""Targets as code through actions: bulk changes, export and import (admins only)."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_TARGET

from .platform_helpers import BACKUP_ID, CPU_ID, HUB_ENTRY_ID, SITE_ID


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], user: MockUser
) -> dict[str, Any]:
    """Call an action as ``user`` and return its response."""
    response = await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id),
    )
    await hass.async_block_till_done()
    assert isinstance(response, dict)
    return response


def saved(entry: MockConfigEntry) -> dict[str, dict[str, Any]]:
    """Return each target's saved data by name."""
    return {
        sub.title: dict(sub.data)
        for sub in entry.subentries.values()
        if sub.subentry_type == SUBENTRY_TYPE_TARGET
    }


def device(hass: HomeAssistant, entry: MockConfigEntry, ident: str) -> str:
    """Return a target's (or the hub's) device id."""
    found = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, ident), entry.entry_id
    )
    assert found is not None
    return found.id


async def test_export_delete_import(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    before = saved(init_integration)
    document = await call(
        hass, "export_targets", {"format": "yaml", "secrets": True}, hass_admin_user
    )
    text = document["yaml"]
    assert "name: Backup" in text
    assert "token: tok" in text
    for subentry_id in list(init_integration.subentries):
        hass.config_entries.async_remove_subentry(init_integration, subentry_id)
    await hass.async_block_till_done()
    assert saved(init_integration) == {}
    # A dry run plans, and changes nothing.
    plan = await call(
        hass, "import_targets", {"document": text, "dry_run": True}, hass_admin_user
    )
    assert plan["created"] == ["Backup", "CPU", "Site"]
    assert saved(init_integration) == {}
    result = await call(hass, "import_targets", {"document": text}, hass_admin_user)
    assert result == {
        "dry_run": False,
        "created": ["Backup", "CPU", "Site"],
        "updated": [],
        "unchanged": [],
    }
    assert saved(init_integration) == before
    runtime = init_integration.runtime_data
    assert {t.name for t in runtime.coordinator.monitor.targets.values()} == set(before)


async def test_bulk_pause_resume_tags(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    monitor = init_integration.runtime_data.coordinator.monitor
    hub = device(hass, init_integration, HUB_ENTRY_ID)
    result = await call(
        hass,
        "bulk_update_targets",
        {"device_id": hub, "enabled": False, "tags": ["Lab"], "interval": 300},
        hass_admin_user,
    )
    assert sorted(u["name"] for u in result["updated"]) == ["Backup", "CPU", "Site"]
    for target_id in (CPU_ID, BACKUP_ID, SITE_ID):
        assert monitor.targets[target_id].enabled is False
        assert monitor.targets[target_id].tags == ("lab",)
    assert monitor.targets[SITE_ID].interval == 300
    await call(
        hass,
        "bulk_update_targets",
        {"device_id": device(hass, init_integration, CPU_ID), "enabled": True},
        hass_admin_user,
    )
    assert monitor.targets[CPU_ID].enabled is True
    assert monitor.targets[SITE_ID].enabled is False


async def test_bad_input_is_refused_whole(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    before = saved(init_integration)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "bulk_update_targets",
            {"device_id": device(hass, init_integration, HUB_ENTRY_ID), "timeout": 90},
            hass_admin_user,
        )
    assert err.value.translation_key == "targets_refused"
    # Every target it would make invalid is named (the site polls every 60 s;
    # the heartbeat and entity targets are not polled, yet their timeout too
    # must stay below their interval).
    assert str(err.value) == "Nothing was changed: " + " ".join(
        f"{name}: Invalid field 'timeout': Enter a timeout from 0.5 to 300 "
        "seconds, shorter than the interval."
        for name in ("Backup", "CPU", "Site")
    )
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "import_targets", {"document": "targets: [name: x"}, hass_admin_user
        )
    assert str(err.value).startswith("Nothing was changed: Not valid YAML: ")
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "import_targets",
            {"document": {"targets": [{"name": "X", "kind": "tcp", "port": 0}]}},
            hass_admin_user,
        )
    assert "Target 1 (X): Invalid field 'host'" in str(err.value)
    assert saved(init_integration) == before


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("export_targets", {}),
        ("import_targets", {"document": "targets: []"}),
        ("bulk_update_targets", {"device_id": "x", "enabled": False}),
    ],
)
async def test_non_admins_are_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
    service: str,
    data: dict[str, Any],
) -> None:
    with pytest.raises(Unauthorized):
        await call(hass, service, data, hass_read_only_user)
