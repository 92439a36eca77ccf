"""The target subentry flow (add, validate, reconfigure, remove) and hub options."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import DOMAIN, ISSUE_PING_NOT_PERMITTED
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Status, TargetKind
from custom_components.pialert.engine.probes import ProbeOutcome
from custom_components.pialert.engine.settings import HeartbeatSettings

from .conftest import SetupHub

TRANSLATIONS = json.loads(
    (
        Path(__file__).parent.parent
        / "custom_components"
        / "pialert"
        / "translations"
        / "en.json"
    ).read_text(encoding="utf-8")
)
ERROR_TRANSLATIONS = TRANSLATIONS["config_subentries"]["target"]["error"]

COMMON = {"failure_threshold": 2.0, "success_threshold": 1.0, "enabled": True}
POLLED = {"interval": 60.0, "timeout": 5.0}

VALID_INPUT: dict[str, dict[str, Any]] = {
    "http": {
        "name": "  Website ",
        "url": "http://127.0.0.1:8123/health",
        "method": "get",
        "accepted_status": "200-299, 301",
        "keyword": "",
        "keyword_absent": False,
        "verify_ssl": True,
        "cert_expiry_days": 14.0,
        **POLLED,
        **COMMON,
        "tags": ["Web", "prod ", "web"],
    },
    "tcp": {"name": "Database", "host": "127.0.0.1", "port": 5432.0} | POLLED | COMMON,
    "ping": {"name": "Router", "host": "127.0.0.1", "count": 3.0} | POLLED | COMMON,
    "dns": {
        "name": "Resolver",
        "hostname": "example.org",
        "record_type": "a",
        "expected": "",
        "resolver": "127.0.0.1:5353",
    }
    | POLLED
    | COMMON,
    "heartbeat": {"name": "Backup", "period": 3600.0, "grace": 300.0} | COMMON,
    "entity": {
        "name": "CPU",
        "entity_id": "sensor.cpu",
        "condition": "above",
        "value": "80",
        "for_seconds": 0.0,
    }
    | COMMON,
    "entity_group": {
        "name": "Sensors",
        "domains": ["sensor"],
        "condition": "unavailable",
        "for_seconds": 30.0,
        "rule": "at_least",
        "at_least": 2.0,
    }
    | COMMON,
    "integration_health": {
        "name": "Integrations",
        "integrations": ["zwave_js"],
        "failed_for": 60.0,
    }
    | COMMON,
}


@pytest.fixture(autouse=True)
def fake_probes() -> Iterator[dict[str, AsyncMock]]:
    """Keep checks off the network: probes answer at once."""
    ok = ProbeOutcome(success=True, response_time_ms=1.0)
    mocks = {
        name: AsyncMock(return_value=ok) for name in ("http", "tcp", "ping", "dns")
    }
    mocks["detect_privilege"] = AsyncMock(return_value=False)
    base = "custom_components.pialert.engine.probes"
    with (
        patch(f"{base}.http.probe", mocks["http"]),
        patch(f"{base}.tcp.probe", mocks["tcp"]),
        patch(f"{base}.ping.probe", mocks["ping"]),
        patch(f"{base}.dns.probe", mocks["dns"]),
        patch(f"{base}.ping.detect_privilege", mocks["detect_privilege"]),
    ):
        yield mocks


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    return coordinator


async def start_flow(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> str:
    """Open the add-target menu, pick ``kind`` and return the flow id."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "target"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": kind}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == kind
    assert result["errors"] == {}
    return result["flow_id"]


async def submit(
    hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]
) -> dict[str, Any]:
    """Submit a form; every error it shows must have an English text."""
    result = await hass.config_entries.subentries.async_configure(flow_id, user_input)
    await hass.async_block_till_done()
    if result["type"] is FlowResultType.FORM:
        untranslated = set(result["errors"].values()) - set(ERROR_TRANSLATIONS)
        assert not untranslated, f"errors without translation: {untranslated}"
    return dict(result)


async def start_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str
) -> dict[str, Any]:
    """Open the reconfigure form of a target."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "target"),
        context={"source": "reconfigure", "subentry_id": subentry_id},
    )
    return dict(result)


async def add_target(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str, **changes: Any
) -> str:
    """Add a valid target of ``kind`` through the flow; return its id."""
    flow_id = await start_flow(hass, entry, kind)
    result = await submit(hass, flow_id, VALID_INPUT[kind] | changes)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    await hass.async_block_till_done(wait_background_tasks=True)
    return next(
        sub_id
        for sub_id, sub in entry.subentries.items()
        if sub.title == result["title"]
    )


async def test_menu_lists_the_kinds(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """The first step offers the eight kinds."""
    entry = await setup_hub()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "target"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == [
        "http",
        "tcp",
        "ping",
        "dns",
        "heartbeat",
        "entity",
        "entity_group",
        "integration_health",
    ]


@pytest.mark.parametrize("kind", [kind.value for kind in TargetKind])
async def test_add_each_kind(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    fake_probes: dict[str, AsyncMock],
    kind: str,
) -> None:
    """A valid target is saved cleaned and picked up without a reload."""
    hass.states.async_set("sensor.cpu", "50")
    entry = await setup_hub()
    coordinator = coordinator_of(entry)

    target_id = await add_target(hass, entry, kind)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator is coordinator
    data = dict(entry.subentries[target_id].data)
    assert data["kind"] == kind
    assert data["name"] == VALID_INPUT[kind]["name"].strip()
    assert entry.subentries[target_id].title == data["name"]
    assert data["failure_threshold"] == 2
    for key, value in data.items():
        if isinstance(value, float):
            assert key == "timeout", f"{key} saved as float"
    assert "keyword" not in data
    assert "expected" not in data

    target = coordinator.monitor.targets[target_id]
    assert target.name == data["name"]
    if kind == "heartbeat":
        assert isinstance(data["token"], str)
        assert len(data["token"]) >= 40
        assert data["period"] == 3600
        assert target.settings == HeartbeatSettings(
            period=3600, grace=300, token=data["token"]
        )
    else:
        assert "token" not in data
    if kind == "http":
        assert data["tags"] == ["prod", "web"]
        assert data["cert_expiry_days"] == 14
        assert target.tags == ("prod", "web")
    if kind == "tcp":
        assert data["port"] == 5432
    if kind in ("http", "tcp", "ping", "dns"):
        # New polled targets are checked at once.
        assert fake_probes[kind].await_count == 1
        assert coordinator.data.targets[target_id].status is Status.UP
    if kind == "entity":
        assert coordinator.data.targets[target_id].status is Status.UP


async def test_validation_errors(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """Invalid input shows the form again with the error on its field."""
    hass.states.async_set("sensor.cpu", "50")
    entry = await setup_hub(
        {
            "kind": "heartbeat",
            "name": "Backup Job",
            "period": 3600,
            "grace": 60,
            "token": "t",
        }
    )
    cases: list[tuple[str, dict[str, Any], dict[str, str]]] = [
        ("http", {"url": "ftp://example.org/"}, {"url": "invalid_url"}),
        ("http", {"url": "http://"}, {"url": "invalid_url"}),
        (
            "http",
            {"accepted_status": "200-99, abc"},
            {"accepted_status": "invalid_status_codes"},
        ),
        (
            "http",
            {"method": "head", "keyword": "healthy"},
            {"keyword": "keyword_with_head"},
        ),
        ("http", {"interval": 10.0, "timeout": 10.0}, {"timeout": "invalid_timeout"}),
        ("http", {"interval": 10.5}, {"interval": "invalid_interval"}),
        (
            "http",
            {"failure_threshold": 1.5},
            {"failure_threshold": "invalid_threshold"},
        ),
        ("http", {"min_events": 3}, {"time_window_seconds": "window_incomplete"}),
        (
            "heartbeat",
            {"time_window_seconds": 600},
            {"min_events": "window_incomplete"},
        ),
        (
            "tcp",
            {"response_time_limit_ms": 0},
            {"response_time_limit_ms": "invalid_response_time_limit"},
        ),
        ("tcp", {"port": 80.5}, {"port": "invalid_port"}),
        ("tcp", {"host": "not a host"}, {"host": "invalid_host"}),
        ("ping", {"count": 2.5}, {"count": "invalid_count"}),
        ("dns", {"resolver": "dns.example.org"}, {"resolver": "invalid_resolver"}),
        ("dns", {"resolver": "127.0.0.1:99999"}, {"resolver": "invalid_resolver"}),
        ("dns", {"hostname": "127.0.0.1"}, {"hostname": "invalid_host"}),
        ("dns", {"expected": "not-an-ip"}, {"expected": "invalid_expected"}),
        ("entity", {"value": "eighty"}, {"value": "value_not_numeric"}),
        ("entity", {"condition": "below", "value": ""}, {"value": "value_not_numeric"}),
        ("entity", {"condition": "equals", "value": ""}, {"value": "value_required"}),
        ("entity", {"entity_id": "not an entity"}, {"entity_id": "invalid_entity_id"}),
        ("heartbeat", {"name": "backup JOB"}, {"name": "name_exists"}),
        ("heartbeat", {"name": "   "}, {"name": "invalid_name"}),
        ("heartbeat", {"schedule": "0 25 * * *"}, {"schedule": "invalid_schedule"}),
        ("heartbeat", {"time_zone": "Mars/Base"}, {"time_zone": "invalid_time_zone"}),
        ("tcp", {"name": "x" * 101}, {"name": "invalid_name"}),
    ]
    for kind, changes, errors in cases:
        flow_id = await start_flow(hass, entry, kind)
        user_input = VALID_INPUT[kind] | changes
        if kind == "entity" and "entity_id" in changes:
            # The entity selector itself rejects a malformed id.
            with pytest.raises(InvalidData):
                await submit(hass, flow_id, user_input)
            continue
        result = await submit(hass, flow_id, user_input)
        assert result["type"] is FlowResultType.FORM, (kind, changes)
        assert result["step_id"] == kind
        assert result["errors"] == errors, (kind, changes)
        # The form keeps what the user typed.
        schema = result["data_schema"].schema
        suggested = {
            str(key): key.description["suggested_value"]
            for key in schema
            if key.description and "suggested_value" in key.description
        }
        assert suggested["name"] == user_input["name"]
        hass.config_entries.subentries.async_abort(flow_id)

    assert len(entry.subentries) == 1


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        # Numbers out of range are form errors (tests/test_flow_numbers.py).
        ("http", {"method": "PATCH"}, "method"),
        ("dns", {"record_type": "SRV"}, "record_type"),
        ("entity", {"condition": "sometimes"}, "condition"),
    ],
)
async def test_out_of_range_rejected_by_the_form(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    kind: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    """Unknown options never get saved."""
    entry = await setup_hub()
    flow_id = await start_flow(hass, entry, kind)
    with pytest.raises(InvalidData) as err:
        await submit(hass, flow_id, VALID_INPUT[kind] | changes)
    assert field in err.value.schema_errors
    assert not entry.subentries


async def test_dependency_options_and_cycle(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Dependencies offer the other targets; a cycle is refused on reconfigure."""
    entry = await setup_hub(
        {"id": "router", "kind": "tcp", "name": "Router", "host": "127.0.0.1"}
        | {"port": 22},
    )
    nas_id = await add_target(hass, entry, "tcp", name="NAS", depends_on="router")
    assert entry.subentries[nas_id].data["depends_on"] == "router"
    assert coordinator_of(entry).monitor.targets[nas_id].depends_on == "router"

    # Reconfiguring the router offers NAS only, and NAS -> router -> NAS is a cycle.
    result = await start_reconfigure(hass, entry, "router")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    depends = next(
        key for key in result["data_schema"].schema if str(key) == "depends_on"
    )
    options = result["data_schema"].schema[depends].config["options"]
    assert [option["value"] for option in options] == [nas_id]

    current = dict(entry.subentries["router"].data)
    current.pop("kind")
    result = await submit(
        hass, result["flow_id"], VALID_INPUT["tcp"] | current | {"depends_on": nas_id}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"depends_on": "dependency_cycle"}
    assert "depends_on" not in entry.subentries["router"].data


async def test_unknown_dependency_is_rejected(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Only existing targets can be picked as a dependency."""
    entry = await setup_hub(
        {"id": "router", "kind": "tcp", "name": "Router", "host": "127.0.0.1"}
        | {"port": 22},
    )
    flow_id = await start_flow(hass, entry, "tcp")
    with pytest.raises(InvalidData):
        await submit(hass, flow_id, VALID_INPUT["tcp"] | {"depends_on": "elsewhere"})


async def test_reconfigure_changes_target_and_keeps_token(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Reconfiguring updates data and monitor in place; a token never changes."""
    entry = await setup_hub()
    coordinator = coordinator_of(entry)
    target_id = await add_target(hass, entry, "heartbeat")
    token = entry.subentries[target_id].data["token"]

    result = await start_reconfigure(hass, entry, target_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"kind": "heartbeat"}
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert {"period", "grace"} <= schema_keys
    assert "interval" not in schema_keys

    result = await submit(
        hass,
        result["flow_id"],
        VALID_INPUT["heartbeat"] | {"name": "Backup (daily)", "period": 86400.0},
    )
    assert result["type"] is FlowResultType.ABORT
    # A heartbeat's message repeats its ping URL (tests/test_heartbeat_url.py).
    assert result["reason"] == "heartbeat_reconfigured"
    await hass.async_block_till_done()

    subentry = entry.subentries[target_id]
    assert subentry.title == "Backup (daily)"
    assert subentry.data["token"] == token
    assert subentry.data["period"] == 86400
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator is coordinator
    target = coordinator.monitor.targets[target_id]
    assert target.name == "Backup (daily)"
    assert target.settings_as(HeartbeatSettings).period == 86400
    assert target.settings_as(HeartbeatSettings).token == token


async def test_reconfigure_keeps_own_name_and_can_rename_case(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A target's own name is no duplicate of itself."""
    entry = await setup_hub()
    target_id = await add_target(hass, entry, "tcp")
    result = await start_reconfigure(hass, entry, target_id)
    result = await submit(
        hass, result["flow_id"], VALID_INPUT["tcp"] | {"name": "DATABASE"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert entry.subentries[target_id].title == "DATABASE"


async def test_remove_target(
    hass: HomeAssistant, setup_hub: SetupHub, fake_probes: dict[str, AsyncMock]
) -> None:
    """Removing a subentry drops the target from the monitor and scheduler."""
    entry = await setup_hub()
    coordinator = coordinator_of(entry)
    target_id = await add_target(hass, entry, "tcp")
    other_id = await add_target(hass, entry, "http")
    fake_probes["tcp"].assert_awaited_once()  # checked once added

    assert hass.config_entries.async_remove_subentry(entry, target_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert target_id not in coordinator.monitor.targets
    assert target_id not in coordinator.data.targets
    # Nothing checks it any more, even asked to.
    coordinator.scheduler.run_now(target_id)
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    fake_probes["tcp"].assert_awaited_once()
    assert other_id in coordinator.monitor.targets
    assert entry.runtime_data.coordinator is coordinator
    assert entry.state is ConfigEntryState.LOADED


async def test_ping_privilege_detected_once(
    hass: HomeAssistant, setup_hub: SetupHub, fake_probes: dict[str, AsyncMock]
) -> None:
    """ICMP privilege is detected when the first ping target appears."""
    entry = await setup_hub()
    coordinator = coordinator_of(entry)
    await add_target(hass, entry, "tcp")
    fake_probes["detect_privilege"].assert_not_awaited()

    ping_id = await add_target(hass, entry, "ping")
    await add_target(hass, entry, "ping", name="Second router")
    fake_probes["detect_privilege"].assert_awaited_once()
    assert coordinator.ping.privileged is False
    assert coordinator.as_dict()["ping_privileged"] is False
    settings, privileged = fake_probes["ping"].await_args_list[0].args
    assert settings.host == "127.0.0.1"
    assert settings.count == 3
    assert privileged is False
    assert coordinator.data.targets[ping_id].status is Status.UP
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_PING_NOT_PERMITTED) is None


async def test_ping_not_permitted(
    hass: HomeAssistant, setup_hub: SetupHub, fake_probes: dict[str, AsyncMock]
) -> None:
    """Without ICMP a repair issue is raised and ping targets fail clearly."""
    fake_probes["detect_privilege"].return_value = None
    entry = await setup_hub(
        {
            "id": "router",
            "kind": "ping",
            "name": "Router",
            "host": "127.0.0.1",
            "failure_threshold": 1,
        }
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_PING_NOT_PERMITTED)
    assert issue is not None
    assert issue.translation_key == ISSUE_PING_NOT_PERMITTED
    fake_probes["ping"].assert_not_awaited()
    router = coordinator_of(entry).data.targets["router"]
    assert router.status is Status.DOWN
    assert router.last_error == "ICMP is not permitted for Home Assistant on this host"


async def test_dns_probe_gets_settings_and_timeout(
    hass: HomeAssistant, setup_hub: SetupHub, fake_probes: dict[str, AsyncMock]
) -> None:
    """The DNS check is called with the target's settings and timeout."""
    entry = await setup_hub()
    await add_target(hass, entry, "dns", timeout=2.5)
    settings, timeout = fake_probes["dns"].await_args.args
    assert settings.hostname == "example.org"
    assert timeout == 2.5


async def test_options_flow_saves_ints_and_reloads(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Hub options are saved as whole numbers and rebuild the engine."""
    entry = await setup_hub()
    old = coordinator_of(entry)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "max_concurrent_checks": 8.0,
            "retention_days": 30.0,
            "max_history_events": 500.0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    assert entry.options == {
        "max_concurrent_checks": 8,
        "retention_days": 30,
        "max_history_events": 500,
    }
    assert all(type(value) is int for value in entry.options.values())
    assert entry.state is ConfigEntryState.LOADED
    new = coordinator_of(entry)
    assert new is not old
    assert new.monitor.history.retention_days == 30
    assert new.monitor.history.max_events == 500

    # Another options page keeps these settings.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "relay"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["relay_enabled"] is False
    assert entry.options["max_concurrent_checks"] == 8
    assert entry.state is ConfigEntryState.LOADED
