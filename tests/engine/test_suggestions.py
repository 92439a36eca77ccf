"""Which hosts PiAlert suggests watching, and how accepted ones depend on each other."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.pialert.engine.suggestions import (
    PUBLIC_RESOLVER,
    EntryHosts,
    NetworkFacts,
    Suggestion,
    accepted_items,
    default_gateway,
    dns_servers,
    host_of,
    suggest,
    watched_hosts,
)

ROUTES = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
)
NETWORK = NetworkFacts(gateway="192.168.1.1", dns_servers=("192.168.1.2",))


def entry(title: str, **data: Any) -> EntryHosts:
    """Return a config entry of a test integration, named after its title."""
    return EntryHosts(title.lower().replace(" ", "_"), title, data)


def by_key(found: list[Suggestion]) -> dict[str, Suggestion]:
    """Return suggestions by key."""
    return {s.key: s for s in found}


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("192.168.1.20", "192.168.1.20"),
        ("NAS.local", "nas.local"),
        ("nas.local:5000", "nas.local"),
        ("http://user:pw@Hue.lan:8080/api", "hue.lan"),
        ("https://[fd00::5]:8123", "fd00::5"),
        ("[fd00::5]:80", "fd00::5"),
        ("fd00::5", "fd00::5"),
        ("AA:BB:CC:DD:EE:FF", None),
        ("host:port", None),
        ("", None),
        ("not a host", None),
        (5, None),
        (None, None),
    ],
)
def test_host_of(value: Any, host: str | None) -> None:
    """Hosts, host:port and URLs give their host; anything else gives none."""
    assert host_of(value) == host


def test_default_gateway_from_the_route_table() -> None:
    """The default route's gateway, stored little-endian by the kernel."""
    assert default_gateway(ROUTES) == "192.168.1.1"
    assert default_gateway(ROUTES.splitlines()[0] + "\n") is None
    assert default_gateway("") is None
    assert default_gateway(ROUTES.replace("0003", "0001")) is None  # no gateway flag


def test_dns_servers_leave_out_loopback_stubs() -> None:
    """systemd-resolved's 127.0.0.53 is this machine, not a DNS server to watch."""
    text = (
        "# generated\nnameserver 127.0.0.53\nnameserver 192.168.1.2\n"
        "nameserver fe80::1%eth0\nnameserver 192.168.1.2\nnameserver bogus\n"
        "search lan\n"
    )
    assert dns_servers(text) == ("192.168.1.2", "fe80::1")


def test_hosts_are_deduplicated_and_skipped_when_loopback_own_or_watched() -> None:
    """One suggestion per host; loopback, own and watched hosts are not offered."""
    entries = [
        entry("Hue Bridge", host="192.168.1.20"),
        entry("Hue Sync", ip_address="192.168.1.20"),
        entry("Printer", host="192.168.1.30"),
        entry("Local thing", host="127.0.0.1"),
        entry("Myself", url="http://192.168.1.5:8123"),
        entry("Bluetooth lamp", address="AA:BB:CC:DD:EE:FF"),
        entry("Weather", url="https://api.weather.example/v1"),
        entry("Gateway again", host="192.168.1.1"),
    ]
    network = NetworkFacts(
        gateway="192.168.1.1",
        dns_servers=("192.168.1.2",),
        own_hosts=frozenset({"192.168.1.5"}),
    )
    found = suggest(entries, network, {"192.168.1.30": "Printer"}, set(), ["Printer"])
    assert [s.key for s in found] == [
        "gateway:192.168.1.1",
        f"internet:{PUBLIC_RESOLVER}",
        "dns:192.168.1.2",
        "host:192.168.1.20",
        "host:api.weather.example",
    ]
    hue = by_key(found)["host:192.168.1.20"]
    assert hue.name == "Hue Bridge (192.168.1.20)"
    assert hue.sources == ("hue_bridge: Hue Bridge", "hue_sync: Hue Sync")
    assert hue.target == {"name": hue.name, "kind": "ping", "host": "192.168.1.20"}
    assert (
        hue.label
        == "Hue Bridge (192.168.1.20) — hue_bridge: Hue Bridge, hue_sync: Hue Sync"
    )


def test_the_internet_pair_is_the_parent_of_the_others() -> None:
    """Local hosts depend on the gateway, Internet hosts on the public resolver."""
    entries = [
        entry("NAS", url="http://nas.local:5000"),
        entry("Weather", host="api.weather.example"),
    ]
    found = by_key(suggest(entries, NETWORK, {}, set(), []))
    gateway = found["gateway:192.168.1.1"]
    internet = found[f"internet:{PUBLIC_RESOLVER}"]
    assert gateway.parent is None
    assert gateway.target == {
        "name": gateway.name,
        "kind": "ping",
        "host": "192.168.1.1",
    }
    assert internet.parent == gateway.name
    assert internet.target["kind"] == "dns"
    assert internet.target["resolver"] == PUBLIC_RESOLVER
    assert found["dns:192.168.1.2"].parent == gateway.name
    assert found["host:nas.local"].parent == gateway.name
    assert found["host:api.weather.example"].parent == internet.name


def test_an_already_watched_gateway_stays_the_parent() -> None:
    """A host watched by an existing target is not offered but remains the parent."""
    watched = watched_hosts([{"name": "Router", "kind": "ping", "host": "192.168.1.1"}])
    found = by_key(suggest([entry("NAS", host="nas")], NETWORK, watched, set(), []))
    assert "gateway:192.168.1.1" not in found
    assert found["host:nas"].parent == "Router"


def test_dismissed_are_not_offered_and_orphan_their_children() -> None:
    """A dismissed key is gone; a child of a dismissed parent stands alone."""
    found = by_key(
        suggest(
            [entry("NAS", host="nas"), entry("Cloud", host="cloud.example")],
            NETWORK,
            {},
            {"gateway:192.168.1.1", "host:cloud.example"},
            [],
        )
    )
    assert set(found) == {f"internet:{PUBLIC_RESOLVER}", "dns:192.168.1.2", "host:nas"}
    assert found["host:nas"].parent is None
    assert found[f"internet:{PUBLIC_RESOLVER}"].parent is None


def test_names_never_collide_with_existing_targets() -> None:
    """A suggested name already taken (any case) gets a number."""
    found = suggest([], NETWORK, {}, set(), ["gateway (192.168.1.1)"])
    assert found[0].name == "Gateway (192.168.1.1) 2"
    assert found[1].parent == "Gateway (192.168.1.1) 2"


def test_watched_hosts_read_every_kind() -> None:
    """Hosts of ping/TCP, DNS names and resolvers, and URLs count as watched."""
    targets: list[dict[str, Any]] = [
        {"name": "Site", "kind": "http", "url": "https://Example.org/health"},
        {"name": "Port", "kind": "tcp", "host": "10.0.0.9", "port": 22},
        {
            "name": "DNS",
            "kind": "dns",
            "hostname": "a.example",
            "resolver": "9.9.9.9:53",
        },
        {"name": "Bad", "kind": "dns", "hostname": "b.example", "resolver": "nope"},
    ]
    assert watched_hosts(targets) == {
        "example.org": "Site",
        "10.0.0.9": "Port",
        "a.example": "DNS",
        "9.9.9.9": "DNS",
        "b.example": "Bad",
    }


def test_accepted_items_keep_a_parent_only_when_it_will_exist() -> None:
    """Children name their parent when it is chosen too or already a target."""
    found = suggest([entry("NAS", host="nas")], NETWORK, {}, set(), [])
    keys = by_key(found)
    gateway_name = keys["gateway:192.168.1.1"].name
    with_parent = accepted_items(found, {"gateway:192.168.1.1", "host:nas"}, [])
    assert [item["name"] for item in with_parent] == [gateway_name, "NAS (nas)"]
    assert "depends_on" not in with_parent[0]
    assert with_parent[1]["depends_on"] == gateway_name
    alone = accepted_items(found, {"host:nas"}, [])
    assert "depends_on" not in alone[0]
    existing = accepted_items(found, {"host:nas"}, [gateway_name.upper()])
    assert existing[0]["depends_on"] == gateway_name
