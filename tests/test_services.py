"""PiAlert's services, their responses, and every refusal."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.models import CheckResult, SilenceState, Status
from custom_components.pialert.engine.probes import ProbeOutcome

from .platform_helpers import (
    BACKUP_ID,
    CPU_ID,
    DISK_ID,
    HUB_ENTRY_ID,
    SITE_ID,
    coordinator_of,
    status_of,
)

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
EXCEPTIONS: dict[str, Any] = json.loads(
    (COMPONENT / "translations" / "en.json").read_text(encoding="utf-8")
)["exceptions"]


CPU = {
    "kind": "entity",
    "name": "CPU",
    "entity_id": "sensor.cpu",
    "condition": "above",
    "value": "80",
    "tags": ["servers"],
}
DISK = {
    "kind": "entity",
    "name": "Disk",
    "entity_id": "sensor.disk",
    "condition": "above",
    "value": "90",
    "tags": ["servers", "storage"],
}
BACKUP = {
    "kind": "heartbeat",
    "name": "Backup",
    "period": 3600,
    "grace": 60,
    "token": "tok",
    "tags": ["jobs"],
}
SITE = {
    "kind": "http",
    "name": "Site",
    "url": "https://example.invalid",
    "interval": 60,
    "timeout": 10,
    "tags": ["web"],
}


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's four targets by subentry id."""
    return {CPU_ID: CPU, DISK_ID: DISK, BACKUP_ID: BACKUP, SITE_ID: SITE}


@pytest.fixture
def entity_states() -> dict[str, str]:
    """Return the states of the watched entities before the hub starts."""
    return {"sensor.cpu": "50", "sensor.disk": "10"}


@pytest.fixture
def probe_outcome() -> ProbeOutcome:
    """Answer 42.04 ms, which PiAlert shows rounded to 42.0."""
    return ProbeOutcome(success=True, response_time_ms=42.04, cert_days_remaining=30)


def device_id(
    hass: HomeAssistant, entry: MockConfigEntry, ident: str = HUB_ENTRY_ID
) -> str:
    """Return the id of the hub's (default) or a target's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, ident), entry.entry_id
    )
    assert device is not None
    return device.id


async def call(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any] | None = None,
    *,
    response: bool = False,
    context: Context | None = None,
) -> ServiceResponse:
    """Call a PiAlert service and let the results publish."""
    result = await hass.services.async_call(
        DOMAIN,
        service,
        data or {},
        blocking=True,
        return_response=response,
        context=context,
    )
    await hass.async_block_till_done()
    return result


async def take_down(hass: HomeAssistant, *entity_ids: str) -> None:
    """Push watched entities over their limit."""
    for entity_id in entity_ids:
        hass.states.async_set(entity_id, "99")
    await hass.async_block_till_done()


def assert_refused(err: pytest.ExceptionInfo[ServiceValidationError], key: str) -> None:
    """The refusal is PiAlert's, with a key that has a translated message."""
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert key in EXCEPTIONS
    message = str(err.value)
    # Translated, every placeholder filled.
    assert message != key
    assert "{" not in message
    assert message == EXCEPTIONS[key]["message"].format(
        **(err.value.translation_placeholders or {})
    ).removesuffix(".")


# --- the translations cover every refusal -----------------------------------


def test_every_raised_key_is_translated() -> None:
    """Each translation key raised by the services exists in en.json."""
    raised: set[str] = set()
    for module in ("services.py", "service_targets.py"):
        source = (COMPONENT / module).read_text(encoding="utf-8")
        raised |= set(re.findall(r'translation_key="([a-z_]+)"', source))
    for module in (
        *(COMPONENT / "engine").glob("*.py"),
        COMPONENT / "commands.py",
        COMPONENT / "api" / "keys.py",
    ):
        source = module.read_text(encoding="utf-8")
        raised |= set(re.findall(r'RefusedError\("([a-z_]+)"', source))
    assert raised
    assert raised <= EXCEPTIONS.keys()


# --- acknowledge and unacknowledge ---------------------------------------------


async def test_acknowledge_by_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A target's device selects the target; the note is kept."""
    await take_down(hass, "sensor.cpu")
    assert coordinator_of(init_integration).data.alert
    await call(
        hass,
        "acknowledge",
        {
            "device_id": device_id(hass, init_integration, CPU_ID),
            "note": "Replacing the fan",
        },
    )
    ack = coordinator_of(init_integration).data.targets[CPU_ID].acknowledgement
    assert ack is not None
    assert ack.by == "Home Assistant"
    assert ack.note == "Replacing the fan"
    assert not coordinator_of(init_integration).data.alert


async def test_acknowledge_by_entity_as_user(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """Any of a target's entities selects it; the user is recorded."""
    await take_down(hass, "sensor.cpu")
    await call(
        hass,
        "acknowledge",
        {"entity_id": "sensor.cpu_status"},
        context=Context(user_id=hass_admin_user.id),
    )
    ack = coordinator_of(init_integration).data.targets[CPU_ID].acknowledgement
    assert ack is not None
    assert ack.by == "Mock User"
    assert ack.note is None


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param("hub_device", id="hub_device"),
        pytest.param({"entity_id": "binary_sensor.pialert_alert"}, id="hub_entity"),
    ],
)
async def test_acknowledge_hub_means_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, selection: Any
) -> None:
    """The hub stands for every target; only those down are acknowledged."""
    if selection == "hub_device":
        selection = {"device_id": device_id(hass, init_integration)}
    await take_down(hass, "sensor.cpu", "sensor.disk")
    events = async_capture_events(hass, "pialert_acknowledged")
    await call(hass, "acknowledge", selection)
    targets = coordinator_of(init_integration).data.targets
    assert targets[CPU_ID].acknowledgement is not None
    assert targets[DISK_ID].acknowledgement is not None
    assert targets[SITE_ID].acknowledgement is None
    assert targets[BACKUP_ID].acknowledgement is None
    assert sorted(e.data["name"] for e in events) == ["CPU", "Disk"]
    assert not coordinator_of(init_integration).data.alert


async def test_acknowledge_by_area(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    area_registry: ar.AreaRegistry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An area selects the PiAlert devices in it."""
    area = area_registry.async_create("Server room")
    device_registry.async_update_device(
        device_id(hass, init_integration, DISK_ID), area_id=area.id
    )
    # Other integrations' devices and entities in the area are left alone.
    other_entry = MockConfigEntry(domain="other")
    other_entry.add_to_hass(hass)
    device_registry.async_get_or_create(
        config_entry_id=other_entry.entry_id,
        identifiers={("other", "rack")},
        suggested_area="Server room",
    )
    other_entity = entity_registry.async_get_or_create(
        "sensor", "other", "temperature", config_entry=other_entry
    )
    entity_registry.async_update_entity(other_entity.entity_id, area_id=area.id)
    await take_down(hass, "sensor.cpu", "sensor.disk")
    await call(hass, "acknowledge", {"area_id": area.id})
    targets = coordinator_of(init_integration).data.targets
    assert targets[DISK_ID].acknowledgement is not None
    assert targets[CPU_ID].acknowledgement is None


async def test_stale_pialert_device_selects_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A PiAlert device without a target behind it selects no target."""
    stale = device_registry.async_get_or_create(
        config_entry_id=init_integration.entry_id, identifiers={(DOMAIN, "gone_target")}
    )
    await take_down(hass, "sensor.cpu")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "acknowledge", {"device_id": stale.id})
    assert_refused(err, "no_targets")


async def test_unknown_user_acts_as_home_assistant(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A context whose user is gone is named Home Assistant."""
    await take_down(hass, "sensor.cpu")
    await call(
        hass,
        "acknowledge",
        {"entity_id": "binary_sensor.cpu"},
        context=Context(user_id="no-such-user"),
    )
    ack = coordinator_of(init_integration).data.targets[CPU_ID].acknowledgement
    assert ack is not None
    assert ack.by == "Home Assistant"


async def test_unacknowledge(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Withdrawing an acknowledgement makes the alert count again."""
    await take_down(hass, "sensor.cpu", "sensor.disk")
    await call(hass, "acknowledge", {"device_id": device_id(hass, init_integration)})
    assert not coordinator_of(init_integration).data.alert
    started = async_capture_events(hass, "pialert_alert_started")
    await call(hass, "unacknowledge", {"entity_id": "binary_sensor.cpu"})
    targets = coordinator_of(init_integration).data.targets
    assert targets[CPU_ID].acknowledgement is None
    assert targets[DISK_ID].acknowledgement is not None
    assert coordinator_of(init_integration).data.alert
    assert len(started) == 1
    assert started[0].data["failing_targets"] == ["CPU"]


# --- silences ------------------------------------------------------------------


async def test_silence_targets_for_a_duration(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A silence of a target mutes it now and ends by itself."""
    await take_down(hass, "sensor.cpu")
    cleared = async_capture_events(hass, "pialert_alert_cleared")
    started = async_capture_events(hass, "pialert_alert_started")
    response = await call(
        hass,
        "silence",
        {
            "entity_id": "binary_sensor.cpu",
            "duration": {"hours": 1},
            "comment": "Maintenance",
        },
        response=True,
    )
    assert response == {
        "silence_id": response["silence_id"],
        "starts_at": "2026-01-01T12:00:00+00:00",
        "ends_at": "2026-01-01T13:00:00+00:00",
    }
    silence = coordinator_of(init_integration).monitor.silences[response["silence_id"]]
    assert silence.target_ids == {CPU_ID}
    assert silence.comment == "Maintenance"
    assert silence.created_by == "Home Assistant"
    data = coordinator_of(init_integration).data
    assert data.targets[CPU_ID].silenced
    assert not data.targets[DISK_ID].silenced
    assert data.active_silences == 1
    assert not data.alert
    assert len(cleared) == 1

    freezer.tick(timedelta(hours=1, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    data = coordinator_of(init_integration).data
    assert not data.targets[CPU_ID].silenced
    assert data.active_silences == 0
    assert data.alert
    assert len(started) == 1


async def test_silence_tags(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A tag silence mutes every target with the tag (any case)."""
    await call(
        hass, "silence", {"tags": ["Servers"], "ends_at": "2026-01-01T14:00:00+00:00"}
    )
    targets = coordinator_of(init_integration).data.targets
    assert targets[CPU_ID].silenced
    assert targets[DISK_ID].silenced
    assert not targets[SITE_ID].silenced
    assert not targets[BACKUP_ID].silenced
    (silence,) = coordinator_of(init_integration).monitor.silences.values()
    assert silence.tags == {"servers"}
    assert silence.ends_at.isoformat() == "2026-01-01T14:00:00+00:00"


async def test_silence_all(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """All mutes every target, also ones added later."""
    await take_down(hass, "sensor.cpu")
    await call(hass, "silence", {"all": True, "duration": "00:30:00"})
    assert not coordinator_of(init_integration).data.alert
    (silence,) = coordinator_of(init_integration).monitor.silences.values()
    assert silence.matches_all
    assert all(
        view.silenced for view in coordinator_of(init_integration).data.targets.values()
    )


async def test_every_documented_silence_runs_from_the_action_editor() -> None:
    """Services usable without a target offer it as an optional field.

    A service-level ``target:`` makes the action editor insist on one, so
    ``all: true`` or ``tags`` alone could not be run from the UI.
    """
    import yaml  # noqa: PLC0415

    services = yaml.safe_load((COMPONENT / "services.yaml").read_text("utf-8"))
    for service in ("silence", "unsilence", "check_now"):
        assert "target" not in services[service], service
        picker = services[service]["fields"]["targets"]
        assert not picker.get("required", False)
        assert picker["selector"]["target"]["device"] == {"integration": DOMAIN}


async def test_silence_through_the_target_field(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The editor's target field selects targets like ``target:`` does."""
    await call(
        hass,
        "silence",
        {
            "targets": {"device_id": [device_id(hass, init_integration, CPU_ID)]},
            "entity_id": "sensor.disk_status",
            "duration": HOUR,
        },
    )
    (silence,) = coordinator_of(init_integration).monitor.silences.values()
    assert silence.target_ids == {CPU_ID, DISK_ID}
    result = await call(
        hass,
        "check_now",
        {"targets": {"entity_id": ["sensor.cpu_status"]}},
        response=True,
    )
    assert list(result["results"]) == ["CPU"]
    result = await call(
        hass,
        "unsilence",
        {"targets": {"device_id": [device_id(hass, init_integration, DISK_ID)]}},
        response=True,
    )
    assert result == {"removed": [silence.id]}


async def test_silence_naive_end_is_local_time(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A time without zone is Home Assistant's local time."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    await call(
        hass,
        "silence",
        {"all": True, "ends_at": "2026-01-01T15:00:00"},
        response=True,
    )
    (silence,) = coordinator_of(init_integration).monitor.silences.values()
    assert silence.ends_at.isoformat() == "2026-01-01T14:00:00+00:00"


async def test_pending_silence(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A silence starting later is pending until then, and runs its duration."""
    await take_down(hass, "sensor.cpu")
    cleared = async_capture_events(hass, "pialert_alert_cleared")
    response = await call(
        hass,
        "silence",
        {
            "entity_id": "binary_sensor.cpu",
            "starts_at": "2026-01-01T12:10:00+00:00",
            "duration": {"hours": 1},
        },
        response=True,
    )
    assert response["starts_at"] == "2026-01-01T12:10:00+00:00"
    assert response["ends_at"] == "2026-01-01T13:10:00+00:00"
    silence = coordinator_of(init_integration).monitor.silences[response["silence_id"]]
    assert (
        silence.state(coordinator_of(init_integration).now()) is SilenceState.SCHEDULED
    )
    data = coordinator_of(init_integration).data
    assert data.alert
    assert data.active_silences == 0
    assert not data.targets[CPU_ID].silenced
    assert cleared == []

    freezer.tick(timedelta(minutes=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    data = coordinator_of(init_integration).data
    assert not data.alert
    assert data.active_silences == 1
    assert data.targets[CPU_ID].silenced
    assert len(cleared) == 1


async def test_unsilence_by_id(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Ending a silence by id brings the alert back."""
    await take_down(hass, "sensor.cpu")
    response = await call(
        hass, "silence", {"all": True, "duration": {"hours": 1}}, response=True
    )
    other = await call(
        hass, "silence", {"tags": ["web"], "duration": {"hours": 1}}, response=True
    )
    result = await call(
        hass, "unsilence", {"silence_id": response["silence_id"]}, response=True
    )
    assert result == {"removed": [response["silence_id"]]}
    data = coordinator_of(init_integration).data
    assert data.alert
    assert data.active_silences == 1
    # Ended silences stay listed, expired.
    monitor = coordinator_of(init_integration).monitor
    now = coordinator_of(init_integration).now()
    assert monitor.silences[response["silence_id"]].state(now) is (SilenceState.EXPIRED)
    assert monitor.silences[other["silence_id"]].state(now) is SilenceState.ACTIVE


async def test_unsilence_by_target_tag_and_all(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Silences can be ended by the targets or tags they cover, or all at once."""
    by_target = await call(
        hass,
        "silence",
        {"entity_id": "binary_sensor.cpu", "duration": {"hours": 1}},
        response=True,
    )
    by_tag = await call(
        hass, "silence", {"tags": ["storage"], "duration": {"hours": 1}}, response=True
    )
    everything = await call(
        hass, "silence", {"all": True, "duration": {"hours": 1}}, response=True
    )
    pending = await call(
        hass,
        "silence",
        {"all": True, "starts_at": "2026-01-02T00:00:00+00:00", "duration": "1:00"},
        response=True,
    )
    assert coordinator_of(init_integration).data.active_silences == 3

    result = await call(
        hass,
        "unsilence",
        {"device_id": device_id(hass, init_integration, CPU_ID)},
        response=True,
    )
    assert result == {"removed": [by_target["silence_id"]]}
    result = await call(hass, "unsilence", {"tags": "STORAGE"}, response=True)
    assert result == {"removed": [by_tag["silence_id"]]}
    result = await call(hass, "unsilence", {"all": True}, response=True)
    assert sorted(result["removed"]) == sorted(
        [everything["silence_id"], pending["silence_id"]]
    )
    assert coordinator_of(init_integration).data.active_silences == 0
    # Nothing left to end.
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unsilence", {"all": True})
    assert_refused(err, "no_matching_silence")


# --- check now, pause, resume -----------------------------------------------------


async def test_check_now_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, http_probe: AsyncMock
) -> None:
    """All targets are checked; polled ones report their result."""
    await take_down(hass, "sensor.disk")
    http_probe.reset_mock()
    response = await call(hass, "check_now", {"all": True}, response=True)
    assert response == {
        "results": {
            "Backup": {
                "status": "unknown",
                "success": None,
                "error": None,
                "response_time_ms": None,
            },
            "CPU": {
                "status": "up",
                "success": None,
                "error": None,
                "response_time_ms": None,
            },
            "Disk": {
                "status": "down",
                "success": None,
                "error": "sensor.disk is 99, above 90",
                "response_time_ms": None,
            },
            "Site": {
                "status": "up",
                "success": True,
                "error": None,
                "response_time_ms": 42.0,
            },
        }
    }
    http_probe.assert_called_once()


async def test_check_now_selected(
    hass: HomeAssistant, init_integration: MockConfigEntry, http_probe: AsyncMock
) -> None:
    """Only the selected targets are checked; failures show their error."""
    http_probe.reset_mock()
    http_probe.return_value = ProbeOutcome(
        success=False, error="HTTP 503", response_time_ms=12.34
    )
    response = await call(
        hass,
        "check_now",
        {"entity_id": "switch.site_monitoring_enabled"},
        response=True,
    )
    assert response == {
        "results": {
            "Site": {
                "status": "pending",
                "success": False,
                "error": "HTTP 503",
                "response_time_ms": 12.3,
            }
        }
    }
    http_probe.assert_called_once()
    assert status_of(init_integration, SITE_ID) is Status.PENDING
    # Without asking for the response the check still runs.
    assert await call(hass, "check_now", {"entity_id": "sensor.site_status"}) is None
    assert http_probe.call_count == 2


async def test_check_now_reevaluates_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Entity targets are evaluated again from the entity's current state."""
    await take_down(hass, "sensor.cpu")
    coordinator = coordinator_of(init_integration)
    # A (made up) passing result the entity's state does not back.
    coordinator.async_record(
        CPU_ID, CheckResult(success=True, checked_at=coordinator.now())
    )
    await hass.async_block_till_done()
    assert status_of(init_integration, CPU_ID) is Status.UP
    response = await call(
        hass,
        "check_now",
        {"device_id": device_id(hass, init_integration, CPU_ID)},
        response=True,
    )
    assert response["results"]["CPU"]["status"] == "down"
    assert response["results"]["CPU"]["error"] == "sensor.cpu is 99, above 80"
    assert status_of(init_integration, CPU_ID) is Status.DOWN


async def test_pause_and_resume(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Pause and resume change the targets' subentries."""
    await take_down(hass, "sensor.cpu")
    await call(hass, "pause", {"device_id": device_id(hass, init_integration)})
    for target_id in (CPU_ID, DISK_ID, BACKUP_ID, SITE_ID):
        assert init_integration.subentries[target_id].data["enabled"] is False
        assert status_of(init_integration, target_id) is Status.PAUSED
    assert not coordinator_of(init_integration).data.alert

    await call(
        hass, "resume", {"entity_id": ["binary_sensor.cpu", "sensor.disk_status"]}
    )
    assert init_integration.subentries[CPU_ID].data["enabled"] is True
    assert init_integration.subentries[DISK_ID].data["enabled"] is True
    assert init_integration.subentries[SITE_ID].data["enabled"] is False
    assert status_of(init_integration, CPU_ID) is Status.DOWN
    assert status_of(init_integration, DISK_ID) is Status.UP
    assert coordinator_of(init_integration).data.alert


# --- API keys ------------------------------------------------------------------


async def test_api_key_services(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Create, list, disable, enable and delete a key; the key shows once."""
    created = await call(
        hass,
        "create_api_key",
        {"name": "Relay", "scope": "write", "rate_limit": 60},
        response=True,
    )
    key = created.pop("key")
    assert key.startswith(created["hint"].removesuffix("…"))
    assert created["name"] == "Relay"
    assert created["scope"] == "write"
    assert created["status"] == "active"
    assert created["rate_limit_per_minute"] == 60

    listing = await call(hass, "list_api_keys", response=True)
    assert listing == {"keys": [created]}
    assert key not in json.dumps(listing)
    await call(hass, "create_api_key", {"name": "Dashboard"}, response=True)

    disabled = await call(hass, "disable_api_key", {"key_id": "relay"}, response=True)
    assert disabled["status"] == "disabled"
    enabled = await call(
        hass, "enable_api_key", {"key_id": created["id"]}, response=True
    )
    assert enabled["status"] == "active"

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "create_api_key", {"name": "RELAY"}, response=True)
    assert_refused(err, "key_name_exists")

    await call(hass, "disable_api_key", {"key_id": "DASHBOARD"})
    deleted = await call(hass, "delete_api_key", {"key_id": "Relay"}, response=True)
    assert deleted == {"deleted": created["id"], "name": "Relay"}
    listing = await call(hass, "list_api_keys", response=True)
    assert [k["name"] for k in listing["keys"]] == ["Dashboard"]
    assert listing["keys"][0]["scope"] == "read"
    assert listing["keys"][0]["rate_limit_per_minute"] == 120
    assert listing["keys"][0]["status"] == "disabled"


# --- refusals ------------------------------------------------------------------

HOUR = {"hours": 1}


# (service, data, translation key); "other_device", "hub_device" and
# "empty_area" stand for ids made in the test.
REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    # Times answer in words, not with voluptuous' text.
    ("silence", {"all": True, "duration": "soon"}, "invalid_duration"),
    ("silence", {"all": True, "duration": {"hours": -1}}, "invalid_duration"),
    (
        "silence",
        {"all": True, "duration": HOUR, "ends_at": "2026-01-02"},
        "duration_and_end",
    ),
    ("silence", {"all": True, "ends_at": "2026-02-30 10:00"}, "invalid_time"),
    (
        "silence",
        {"all": True, "duration": HOUR, "starts_at": "2026-01-01 12:99"},
        "invalid_time",
    ),
    ("acknowledge", {}, "no_targets"),
    ("acknowledge", {"entity_id": "sensor.cpu"}, "not_a_pialert_entity"),
    ("acknowledge", {"entity_id": "sensor.other"}, "not_a_pialert_entity"),
    ("acknowledge", {"device_id": "no-such-device"}, "not_a_pialert_device"),
    ("acknowledge", {"device_id": "other_device"}, "not_a_pialert_device"),
    ("acknowledge", {"area_id": "empty_area"}, "no_targets"),
    ("acknowledge", {"entity_id": "binary_sensor.cpu"}, "target_not_down"),
    ("acknowledge", {"device_id": "hub_device"}, "target_not_down"),
    ("unacknowledge", {}, "no_targets"),
    ("unacknowledge", {"entity_id": "sensor.other"}, "not_a_pialert_entity"),
    (
        "unacknowledge",
        {"entity_id": "binary_sensor.cpu"},
        "target_not_acknowledged",
    ),
    ("silence", {"duration": HOUR}, "silence_needs_scope"),
    ("silence", {"all": False, "duration": HOUR}, "silence_needs_scope"),
    ("silence", {"all": True}, "silence_needs_end"),
    (
        "silence",
        {"tags": ["web"], "starts_at": "2026-01-01T13:00:00"},
        "silence_needs_end",
    ),
    (
        "silence",
        {"all": True, "tags": ["web"], "duration": HOUR},
        "all_with_targets",
    ),
    (
        "silence",
        {"all": True, "entity_id": "binary_sensor.cpu", "duration": HOUR},
        "all_with_targets",
    ),
    ("silence", {"tags": ["web", "nope"], "duration": HOUR}, "unknown_tag"),
    ("silence", {"all": True, "duration": {"days": 366}}, "silence_too_long"),
    (
        "silence",
        {
            "all": True,
            "starts_at": "2026-02-01T00:00:00+00:00",
            "ends_at": "2027-02-02T00:00:00+00:00",
        },
        "silence_too_long",
    ),
    # Without a start the silence starts now: a past end is "in the past".
    (
        "silence",
        {"all": True, "ends_at": "2026-01-01T11:00:00+00:00"},
        "silence_in_past",
    ),
    (
        "silence",
        {
            "all": True,
            "starts_at": "2026-01-01T10:00:00+00:00",
            "ends_at": "2026-01-01T11:00:00+00:00",
        },
        "silence_in_past",
    ),
    (
        "silence",
        {
            "all": True,
            "starts_at": "2026-01-01T14:00:00+00:00",
            "ends_at": "2026-01-01T13:00:00+00:00",
        },
        "silence_ends_before_start",
    ),
    (
        "silence",
        {"entity_id": "sensor.other", "duration": HOUR},
        "not_a_pialert_entity",
    ),
    ("unsilence", {}, "unsilence_needs_scope"),
    ("unsilence", {"all": False}, "unsilence_needs_scope"),
    ("unsilence", {"tags": ["jobs"]}, "no_matching_silence"),
    ("unsilence", {"silence_id": "no-such-silence"}, "no_matching_silence"),
    ("unsilence", {"tags": ["web"]}, "no_matching_silence"),
    ("unsilence", {"entity_id": "binary_sensor.cpu"}, "no_matching_silence"),
    ("check_now", {}, "no_targets"),
    ("check_now", {"all": False}, "no_targets"),
    ("check_now", {"device_id": "other_device"}, "not_a_pialert_device"),
    ("pause", {}, "no_targets"),
    ("pause", {"entity_id": "sensor.other"}, "not_a_pialert_entity"),
    ("resume", {}, "no_targets"),
    ("create_api_key", {"name": "   "}, "invalid_key_name"),
    ("create_api_key", {"name": "x" * 101}, "invalid_key_name"),
    ("create_api_key", {"name": "Relay", "rate_limit": 0}, "invalid_rate_limit"),
    (
        "create_api_key",
        {"name": "Relay", "rate_limit": 10**6 + 1},
        "invalid_rate_limit",
    ),
    ("disable_api_key", {"key_id": "nope"}, "unknown_api_key"),
    ("enable_api_key", {"key_id": "nope"}, "unknown_api_key"),
    ("delete_api_key", {"key_id": "nope"}, "unknown_api_key"),
]


async def test_refusals(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    area_registry: ar.AreaRegistry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Every bad request is refused with a translated PiAlert error."""
    other_entry = MockConfigEntry(domain="other")
    other_entry.add_to_hass(hass)
    other_device = device_registry.async_get_or_create(
        config_entry_id=other_entry.entry_id, identifiers={("other", "thing")}
    )
    entity_registry.async_get_or_create(
        "sensor", "other", "thing", suggested_object_id="other"
    )
    area_registry.async_create("Empty area")
    replacements = {
        "other_device": other_device.id,
        "hub_device": device_id(hass, init_integration),
        "empty_area": "empty_area",
    }
    # Something to end, so that no_matching_silence is about the match.
    await call(hass, "silence", {"tags": ["servers"], "duration": HOUR})
    coordinator = coordinator_of(init_integration)
    state_before = coordinator.monitor.snapshot(coordinator.now())
    for service, raw, key in REFUSALS:
        data = {
            field: replacements.get(value, value) if isinstance(value, str) else value
            for field, value in raw.items()
        }
        with pytest.raises(ServiceValidationError) as err:
            await call(
                hass,
                service,
                data,
                response=hass.services.supports_response(DOMAIN, service) != "none",
            )
        assert err.value.translation_key == key, (service, raw)
        assert_refused(err, key)
    # Refusals change nothing.
    assert coordinator.monitor.snapshot(coordinator.now()) == state_before


SCHEMA_REFUSALS: list[tuple[str, dict[str, Any]]] = [
    ("acknowledge", {"entity_id": "binary_sensor.cpu", "note": "x" * 501}),
    ("silence", {"all": True, "duration": HOUR, "comment": "x" * 501}),
    ("create_api_key", {"name": "Relay", "scope": "admin"}),
    ("unsilence", {"bogus": True}),
]


async def test_schema_refusals(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Malformed fields are refused by the service schemas."""
    for service, data in SCHEMA_REFUSALS:
        with pytest.raises(vol.Invalid):
            await call(
                hass,
                service,
                data,
                response=hass.services.supports_response(DOMAIN, service) != "none",
            )


ANY_CALL: list[tuple[str, dict[str, Any]]] = [
    ("acknowledge", {"device_id": "any"}),
    ("unacknowledge", {"device_id": "any"}),
    ("silence", {"all": True, "duration": HOUR}),
    ("unsilence", {"all": True}),
    ("check_now", {"all": True}),
    ("pause", {"device_id": "any"}),
    ("resume", {"device_id": "any"}),
    ("create_api_key", {"name": "Relay"}),
    ("list_api_keys", {}),
    ("disable_api_key", {"key_id": "any"}),
    ("enable_api_key", {"key_id": "any"}),
    ("delete_api_key", {"key_id": "any"}),
]


async def test_refused_when_hub_not_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With the hub unloaded every service says PiAlert is not set up."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert {service for service, _ in ANY_CALL} <= set(
        hass.services.async_services_for_domain(DOMAIN)
    )
    for service, data in ANY_CALL:
        with pytest.raises(ServiceValidationError) as err:
            await call(
                hass,
                service,
                data,
                response=hass.services.supports_response(DOMAIN, service) != "none",
            )
        assert_refused(err, "not_loaded")
