"""Suggested targets: the hosts the house already depends on.

Other integrations keep a host (an address, or a URL) in their config
entries, and the machine knows its gateway and DNS servers. Each becomes a
suggestion the user may accept (then it is watched) or dismiss (then it is
never offered again); a host that appears later is a new suggestion. The
gateway and a public resolver (the "Internet pair") are proposed as the
parents the other suggestions depend on. Nothing here reaches the network.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
import ipaddress
from typing import Any, Final
from urllib.parse import urlsplit

from .names import name_key
from .syntax import is_ip, is_resolver, is_valid_host, parse_resolver

# Keys under which integrations keep the host they talk to (CONF_HOST,
# CONF_IP_ADDRESS, CONF_URL, ...). "address" is left out: Bluetooth
# integrations keep a MAC address under it.
HOST_KEYS: Final = ("host", "ip_address", "hostname", "url", "base_url")
# A public resolver and a name it always answers: the Internet side of the pair.
PUBLIC_RESOLVER: Final = "1.1.1.1"
PUBLIC_NAME: Final = "one.one.one.one"
# Home network names that never leave the house.
LOCAL_SUFFIXES: Final = (".local", ".lan", ".home", ".home.arpa", ".internal")
# /proc/net/route: the default route's destination, and "uses a gateway".
_DEFAULT_DESTINATION: Final = "00000000"
_RTF_GATEWAY: Final = 0x2


@dataclass(frozen=True, slots=True)
class EntryHosts:
    """What one config entry of another integration says about hosts."""

    domain: str
    title: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class NetworkFacts:
    """The machine's gateway and DNS servers, and its own addresses."""

    gateway: str | None = None
    dns_servers: tuple[str, ...] = ()
    own_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One target PiAlert proposes; ``target`` is an import item."""

    key: str
    name: str
    target: Mapping[str, Any]
    # The name of the target it depends on (suggested or already watched).
    parent: str | None = None
    # Where it was found: "Philips Hue: Hue Bridge", "network: gateway".
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """Return how the suggestion is listed: its name and where it came from."""
        return f"{self.name} — {', '.join(self.sources)}" if self.sources else self.name


def host_of(value: Any) -> str | None:
    """Return the host a saved value names (host, host:port or URL), lower case."""
    if not isinstance(value, str) or not (text := value.strip()):
        return None
    if "://" in text:
        try:
            host = urlsplit(text).hostname
        except ValueError:
            return None
    elif text.startswith("[") and "]" in text:
        host = text[1 : text.index("]")]
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if not port.isdigit():
            return None
    else:
        host = text
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host if is_valid_host(host) else None


def is_loopback(host: str) -> bool:
    """Return whether ``host`` is this machine (loopback or unspecified)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    if is_ip(host):
        address = ipaddress.ip_address(host)
        return address.is_loopback or address.is_unspecified
    return False


def is_local(host: str) -> bool:
    """Return whether ``host`` is on the home network (else: on the Internet)."""
    if is_ip(host):
        address = ipaddress.ip_address(host)
        return address.is_private or address.is_link_local
    return "." not in host or host.endswith(LOCAL_SUFFIXES)


def default_gateway(route_table: str) -> str | None:
    """Return the IPv4 default gateway from the text of /proc/net/route."""
    for line in route_table.splitlines()[1:]:
        columns = line.split()
        if len(columns) < 4 or columns[1] != _DEFAULT_DESTINATION:
            continue
        try:
            flags, gateway = int(columns[3], 16), int(columns[2], 16)
        except ValueError:
            continue
        if flags & _RTF_GATEWAY and gateway:
            # The kernel writes the address in host (little-endian) order.
            return str(ipaddress.IPv4Address(gateway.to_bytes(4, "little")))
    return None


def dns_servers(resolv_conf: str) -> tuple[str, ...]:
    """Return the name servers of /etc/resolv.conf, loopback stubs left out."""
    servers: list[str] = []
    for line in resolv_conf.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "nameserver":
            server = words[1].split("%")[0]  # an IPv6 zone is not an address
            if is_ip(server) and not is_loopback(server) and server not in servers:
                servers.append(server)
    return tuple(servers)


def watched_hosts(targets: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Return {host: target name} for the hosts targets (as saved) already watch."""
    watched: dict[str, str] = {}
    for data in targets:
        name = str(data.get("name", ""))
        for key in ("host", "hostname", "url"):
            if (host := host_of(data.get(key))) is not None:
                watched.setdefault(host, name)
        resolver = data.get("resolver")
        if isinstance(resolver, str) and is_resolver(resolver):
            watched.setdefault(parse_resolver(resolver)[0].lower(), name)
    return watched


class _Names:
    """Hands out target names no existing or earlier suggested target has."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = {name_key(name) for name in taken}

    def claim(self, wanted: str) -> str:
        name, number = wanted, 2
        while name_key(name) in self._taken:
            name, number = f"{wanted} {number}", number + 1
        self._taken.add(name_key(name))
        return name


def _entry_hosts(
    entries: Iterable[EntryHosts], skipped: Collection[str]
) -> dict[str, list[EntryHosts]]:
    """Return the entries using each host (first seen first), skipped ones left out."""
    users: dict[str, list[EntryHosts]] = {}
    for entry in entries:
        hosts = {host_of(entry.data.get(key)) for key in HOST_KEYS}
        for host in sorted(h for h in hosts if h is not None):
            if host not in skipped and not is_loopback(host):
                users.setdefault(host, []).append(entry)
    return users


def suggest(
    entries: Iterable[EntryHosts],
    network: NetworkFacts,
    watched: Mapping[str, str],
    dismissed: Collection[str],
    taken_names: Iterable[str],
) -> list[Suggestion]:
    """Return what to propose: the Internet pair first, then the hosts by name.

    ``watched`` maps hosts already watched to their targets' names (they are
    not proposed again, but stay parents); ``dismissed`` holds the keys the
    user turned down.
    """
    names = _Names(taken_names)
    found: list[Suggestion] = []
    skipped = set(watched) | network.own_hosts

    def offer(key: str, wanted_name: str, target: dict[str, Any], **rest: Any) -> str:
        name = names.claim(wanted_name)
        if key not in dismissed:
            found.append(Suggestion(key, name, {"name": name, **target}, **rest))
        return name

    gateway_name: str | None = None
    gateway = network.gateway
    if gateway is not None and not is_loopback(gateway):
        gateway_name = watched.get(gateway) or offer(
            f"gateway:{gateway}",
            f"Gateway ({gateway})",
            {"kind": "ping", "host": gateway},
            sources=("network: default gateway",),
        )
        skipped.add(gateway)
    internet_name = watched.get(PUBLIC_RESOLVER) or offer(
        f"internet:{PUBLIC_RESOLVER}",
        f"Internet (DNS via {PUBLIC_RESOLVER})",
        {"kind": "dns", "hostname": PUBLIC_NAME, "resolver": PUBLIC_RESOLVER},
        parent=gateway_name,
        sources=("a public resolver",),
    )
    for server in network.dns_servers:
        if server not in skipped:
            skipped.add(server)
            offer(
                f"dns:{server}",
                f"DNS server {server}",
                {"kind": "dns", "hostname": PUBLIC_NAME, "resolver": server},
                parent=gateway_name,
                sources=("network: DNS server",),
            )
    users = _entry_hosts(entries, skipped)
    for host in sorted(users, key=lambda h: (users[h][0].title.casefold(), h)):
        offer(
            f"host:{host}",
            f"{users[host][0].title} ({host})",
            {"kind": "ping", "host": host},
            parent=gateway_name if is_local(host) else internet_name,
            sources=tuple(f"{e.domain}: {e.title}" for e in users[host]),
        )
    # A dismissed parent is no parent: its children then stand alone.
    offered = {s.name for s in found} | set(watched.values())
    return [
        s
        if s.parent in offered
        else Suggestion(s.key, s.name, s.target, None, s.sources)
        for s in found
    ]


def accepted_items(
    suggestions: Iterable[Suggestion], chosen: Collection[str], existing: Iterable[str]
) -> list[dict[str, Any]]:
    """Return the chosen suggestions as import items, parents first.

    A target depends on its parent when the parent exists or is chosen too.
    """
    picked = [s for s in suggestions if s.key in chosen]
    parents = {name_key(n) for n in existing} | {name_key(s.name) for s in picked}
    items: list[dict[str, Any]] = []
    for suggestion in picked:
        item = dict(suggestion.target)
        if suggestion.parent is not None and name_key(suggestion.parent) in parents:
            item["depends_on"] = suggestion.parent
        items.append(item)
    return items
