"""Suggested targets: found in other integrations' entries, offered in a repair.

Real config entries of test integrations in a real Home Assistant; the
repair's fix flow is driven through Home Assistant's own HTTP views. The
ping and DNS probes are replaced (recording their calls): the suggested hosts
are not on loopback, and tests send no traffic off this machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert import suggested_targets
from custom_components.pialert.commands import HubCommands
from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.probes import ProbeOutcome
from custom_components.pialert.suggested_targets import (
    ISSUE_SUGGESTED_TARGETS,
    ISSUE_SUGGESTIONS_CORRUPT,
    SUGGESTIONS_STORAGE_KEY,
)

from .conftest import SetupHub

GATEWAY = "gateway:192.168.1.1"
INTERNET = "internet:1.1.1.1"
DNS_SERVER = "dns:192.168.1.2"
HUE = "host:192.168.1.20"
NAS = "host:nas.local"
WEATHER = "host:api.weather.example"
ALL_KEYS = [GATEWAY, INTERNET, DNS_SERVER, HUE, NAS, WEATHER]
PING = "custom_components.pialert.engine.probes.ping.probe"
DNS = "custom_components.pialert.engine.probes.dns.probe"


@pytest.fixture(autouse=True)
def system_files(tmp_path: Path) -> Iterator[None]:
    """Give the machine a gateway and DNS servers (real files, read as Linux's)."""
    routes = tmp_path / "route"
    routes.write_text(
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
        "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\n"
    )
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.53\nnameserver 192.168.1.2\n")
    with (
        patch.object(suggested_targets, "ROUTE_TABLE", routes),
        patch.object(suggested_targets, "RESOLV_CONF", resolv),
    ):
        yield


@pytest.fixture
def probes() -> Iterator[dict[str, AsyncMock]]:
    """Record ping and DNS checks instead of sending them off this machine."""
    outcome = ProbeOutcome(success=True, response_time_ms=3.0)
    with (
        patch(PING, new=AsyncMock(return_value=outcome)) as ping,
        patch(DNS, new=AsyncMock(return_value=outcome)) as dns,
        # Whether ICMP sockets may be opened does not matter to a recorded ping.
        patch(f"{PING.rpartition('.')[0]}.detect_privilege", return_value=True),
    ):
        yield {"ping": ping, "dns": dns}


def add_integration_entries(hass: HomeAssistant) -> None:
    """Add config entries of test integrations, as their flows would save them."""
    for domain, title, data in (
        ("hue_test", "Hue Bridge", {"host": "192.168.1.20", "api_key": "secret"}),
        ("hue_sync_test", "Hue Sync Box", {"ip_address": "192.168.1.20"}),
        ("nas_test", "NAS", {"url": "http://nas.local:5000"}),
        ("weather_test", "Weather", {"host": "api.weather.example"}),
        ("local_test", "Local broker", {"host": "127.0.0.1"}),
        ("ble_test", "Lamp", {"address": "AA:BB:CC:DD:EE:FF"}),
    ):
        MockConfigEntry(domain=domain, title=title, data=data).add_to_hass(hass)
    MockConfigEntry(
        domain="off_test",
        title="Disabled",
        data={"host": "192.168.1.99"},
        disabled_by=ConfigEntryDisabler.USER,
    ).add_to_hass(hass)


async def settle(hass: HomeAssistant) -> None:
    """Let the (background) scan finish."""
    await hass.async_block_till_done(wait_background_tasks=True)


def issue(hass: HomeAssistant) -> ir.IssueEntry | None:
    """Return the suggested-targets repair issue, if raised."""
    return ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_SUGGESTED_TARGETS)


def targets(entry: MockConfigEntry) -> dict[str, dict[str, Any]]:
    """Return the hub's targets (subentry data) by name."""
    return {
        sub.title: {**sub.data, "id": sub.subentry_id}
        for sub in entry.subentries.values()
        if sub.subentry_type == SUBENTRY_TYPE_TARGET
    }


class FixFlow:
    """The repair's fix flow through Home Assistant's HTTP views (as the UI)."""

    def __init__(
        self, hass: HomeAssistant, hass_client: ClientSessionGenerator
    ) -> None:
        """Drive the flow as an admin (the client is made once the hub is set up)."""
        self.hass = hass
        self.hass_client = hass_client
        self.client: Any = None
        self.flow_id = ""

    async def start(self) -> dict[str, Any]:
        """Open the fix flow of the suggested-targets issue."""
        if self.client is None:
            assert await async_setup_component(self.hass, "repairs", {})
            self.client = await self.hass_client()
        response = await self.client.post(
            "/api/repairs/issues/fix",
            json={"handler": DOMAIN, "issue_id": ISSUE_SUGGESTED_TARGETS},
        )
        assert response.status == 200, await response.text()
        result: dict[str, Any] = await response.json()
        self.flow_id = result["flow_id"]
        return result

    async def submit(self, watch: list[str] | None) -> dict[str, Any]:
        """Tick ``watch`` and submit (None: the answer leaves the field out)."""
        response = await self.client.post(
            f"/api/repairs/issues/fix/{self.flow_id}",
            json={} if watch is None else {"watch": watch},
        )
        assert response.status == 200, await response.text()
        result: dict[str, Any] = await response.json()
        return result


@pytest.fixture
def fix_flow(hass: HomeAssistant, hass_client: ClientSessionGenerator) -> FixFlow:
    """Return the fix flow driver."""
    return FixFlow(hass, hass_client)


@pytest.fixture
async def hub(
    hass: HomeAssistant, setup_hub: SetupHub, probes: dict[str, AsyncMock]
) -> MockConfigEntry:
    """Return a hub set up beside the test integrations' entries, scan done."""
    add_integration_entries(hass)
    entry = await setup_hub()
    await settle(hass)
    return entry


def options_of(form: dict[str, Any]) -> dict[str, str]:
    """Return the form's choices: {key: label}."""
    (field,) = form["data_schema"]
    assert field["name"] == "watch"
    options = field["selector"]["select"]["options"]
    # All ticked, as a suggestion: a submitted empty list means none.
    assert "default" not in field
    assert field["description"]["suggested_value"] == [o["value"] for o in options]
    return {o["value"]: o["label"] for o in options}


async def test_suggestions_are_found_and_nothing_is_checked(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    fix_flow: FixFlow,
    probes: dict[str, AsyncMock],
) -> None:
    """Hosts of the entries are offered, once each; no target exists or is checked."""
    entry = hub

    raised = issue(hass)
    assert raised is not None
    assert raised.is_fixable
    assert raised.translation_placeholders == {"count": "6"}
    form = await fix_flow.start()
    assert form["step_id"] == "choose"
    options = options_of(form)
    assert list(options) == ALL_KEYS
    assert options[HUE] == (
        "Hue Bridge (192.168.1.20) — hue_test: Hue Bridge, hue_sync_test: Hue Sync Box"
    )
    assert options[NAS] == "NAS (nas.local) — nas_test: NAS"
    # Offered only: no target, no check.
    assert targets(entry) == {}
    assert entry.runtime_data.coordinator.monitor.targets == {}
    probes["ping"].assert_not_called()
    probes["dns"].assert_not_called()


async def test_accepted_become_targets_under_the_internet_pair(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    fix_flow: FixFlow,
    probes: dict[str, AsyncMock],
) -> None:
    """Ticked hosts become subentry targets whose parents are the Internet pair."""
    entry = hub
    await fix_flow.start()

    result = await fix_flow.submit([GATEWAY, INTERNET, HUE, WEATHER])
    assert result["type"] == "create_entry"
    await settle(hass)

    made = targets(entry)
    gateway = made["Gateway (192.168.1.1)"]
    internet = made["Internet (DNS via 1.1.1.1)"]
    hue = made["Hue Bridge (192.168.1.20)"]
    weather = made["Weather (api.weather.example)"]
    assert set(made) == {
        "Gateway (192.168.1.1)",
        "Internet (DNS via 1.1.1.1)",
        "Hue Bridge (192.168.1.20)",
        "Weather (api.weather.example)",
    }
    assert gateway["kind"] == "ping"
    assert gateway["host"] == "192.168.1.1"
    assert "depends_on" not in gateway
    assert internet["kind"] == "dns"
    assert internet["resolver"] == "1.1.1.1"
    assert internet["depends_on"] == gateway["id"]
    assert hue["depends_on"] == gateway["id"]  # a home host: behind the gateway
    assert weather["depends_on"] == internet["id"]  # on the Internet
    # Accepted targets are watched (and checked) now.
    monitor = entry.runtime_data.coordinator.monitor
    assert set(monitor.targets) == {t["id"] for t in made.values()}
    pinged = {call.args[0].host for call in probes["ping"].call_args_list}
    assert pinged == {"192.168.1.1", "192.168.1.20", "api.weather.example"}
    # The unticked ones were dismissed: nothing is left to suggest.
    assert issue(hass) is None


async def test_dismissed_stay_dismissed_after_a_restart(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    fix_flow: FixFlow,
    probes: dict[str, AsyncMock],
    hass_storage: dict[str, Any],
    freezer: Any,
) -> None:
    """Unticked hosts are saved at once, survive a restart; a new host is offered."""
    entry = hub
    await fix_flow.start()
    assert (await fix_flow.submit([NAS]))["type"] == "create_entry"
    saved = hass_storage[SUGGESTIONS_STORAGE_KEY]["data"]["dismissed"]
    assert saved == sorted(set(ALL_KEYS) - {NAS})
    made = targets(entry)
    assert "depends_on" not in made["NAS (nas.local)"]  # its gateway was dismissed

    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    assert issue(hass) is None
    assert await hass.data[suggested_targets.DATA_SUGGESTIONS].async_find() == []

    # A host that appears later is offered, alone.
    MockConfigEntry(
        domain="printer_test", title="Printer", data={"host": "192.168.1.40"}
    ).add_to_hass(hass)
    freezer.tick(suggested_targets.RESCAN_COOLDOWN + 1)
    async_fire_time_changed(hass, dt_util.utcnow())
    await settle(hass)
    raised = issue(hass)
    assert raised is not None
    assert raised.translation_placeholders == {"count": "1"}
    assert list(options_of(await fix_flow.start())) == ["host:192.168.1.40"]


async def test_nothing_ticked_adds_nothing(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    fix_flow: FixFlow,
    probes: dict[str, AsyncMock],
    hass_storage: dict[str, Any],
) -> None:
    """An answer without ticks (the field left out) dismisses all, adds none."""
    await fix_flow.start()
    assert (await fix_flow.submit(None))["type"] == "create_entry"
    assert targets(hub) == {}
    saved = hass_storage[SUGGESTIONS_STORAGE_KEY]["data"]["dismissed"]
    assert saved == sorted(ALL_KEYS)
    probes["ping"].assert_not_called()


async def test_home_assistants_own_address_is_not_suggested(
    hass: HomeAssistant, setup_hub: SetupHub, probes: dict[str, AsyncMock]
) -> None:
    """The host of Home Assistant's own URL is this machine: never a suggestion."""
    await hass.config.async_update(internal_url="http://192.168.1.20:8123")
    add_integration_entries(hass)
    await setup_hub()
    await settle(hass)
    found = await hass.data[suggested_targets.DATA_SUGGESTIONS].async_find()
    assert [s.key for s in found] == [k for k in ALL_KEYS if k != HUE]


async def test_existing_targets_are_not_suggested_but_remain_parents(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    fix_flow: FixFlow,
    probes: dict[str, AsyncMock],
) -> None:
    """A host already watched is left out; it is the parent of new home hosts."""
    add_integration_entries(hass)
    entry = await setup_hub(
        {"id": "router", "kind": "ping", "name": "Router", "host": "192.168.1.1"}
    )
    await settle(hass)
    options = options_of(await fix_flow.start())
    assert GATEWAY not in options
    assert (await fix_flow.submit([HUE]))["type"] == "create_entry"
    assert targets(entry)["Hue Bridge (192.168.1.20)"]["depends_on"] == "router"


async def test_the_command_door_creates_all_or_nothing(
    hass: HomeAssistant, setup_hub: SetupHub, probes: dict[str, AsyncMock]
) -> None:
    """Accepted suggestions go through HubCommands.add_targets: one bad, none made."""
    entry = await setup_hub()
    commands = HubCommands.of(entry.runtime_data)
    good = {"name": "Gateway", "kind": "ping", "host": "192.168.1.1"}
    bad = {
        "name": "Child",
        "kind": "ping",
        "host": "not a host",
        "depends_on": "Gateway",
    }
    plan = await commands.add_targets([good, bad])
    assert [e["item"] for e in plan.errors] == ["Target 2 (Child)"]
    assert targets(entry) == {}
    plan = await commands.add_targets([good, {**bad, "host": "192.168.1.20"}])
    assert not plan.errors
    made = targets(entry)
    assert made["Child"]["depends_on"] == made["Gateway"]["id"]


async def test_flow_aborts_when_the_hub_is_not_loaded(
    hass: HomeAssistant, setup_hub: SetupHub, fix_flow: FixFlow
) -> None:
    """Unloading the hub withdraws the issue; a stale flow aborts clearly."""
    entry = await setup_hub()
    await settle(hass)
    assert issue(hass) is not None  # the Internet pair is always suggested
    await fix_flow.start()
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert issue(hass) is None
    result = await fix_flow.submit([INTERNET])
    assert result == {**result, "type": "abort", "reason": "not_loaded"}


async def test_an_unusable_file_is_set_aside(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """A dismissal file of the wrong shape is kept aside and named in a repair."""
    hass_storage[SUGGESTIONS_STORAGE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": SUGGESTIONS_STORAGE_KEY,
        "data": {"dismissed": "gateway:192.168.1.1"},
    }
    await setup_hub()
    await settle(hass)
    corrupt = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_SUGGESTIONS_CORRUPT)
    assert corrupt is not None
    assert issue(hass) is not None  # suggestions go on, none dismissed
