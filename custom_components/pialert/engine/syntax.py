"""What valid text looks like: host names, status code lists, DNS resolvers.

Shared by the settings (which parse saved data) and the probes (which use it).
"""

from __future__ import annotations

import ipaddress
import re

from yarl import URL

DNS_PORT = 53
DEFAULT_STATUS: tuple[tuple[int, int], ...] = ((200, 299),)

# Hostname labels: letters, digits, hyphens, and underscores (seen in the wild
# for service names); a trailing dot is allowed.
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")

_STATUS_ITEM = re.compile(r"^(\d{3})(?:\s*-\s*(\d{3}))?$|^([1-5])xx$", re.IGNORECASE)


def is_valid_host(host: str) -> bool:
    """Return whether ``host`` is an IP address or a syntactically valid hostname."""
    if not host or host != host.strip():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    name = host.removesuffix(".")
    if not name or len(name) > 253:
        return False
    return all(_LABEL.match(label) for label in name.split("."))


def is_ip(text: str) -> bool:
    """Return whether ``text`` is an IP address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_status_codes(text: str) -> tuple[tuple[int, int], ...]:
    """Parse accepted status codes such as ``"200-299, 301"`` or ``"2xx, 404"``.

    Raises ValueError when the text is empty or a code is outside 100-599.
    """
    ranges: list[tuple[int, int]] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        match = _STATUS_ITEM.match(item)
        if match is None:
            raise ValueError(f"invalid status code {item!r}")
        low_text, high_text, class_digit = match.groups()
        if class_digit is not None:
            low, high = int(class_digit) * 100, int(class_digit) * 100 + 99
        else:
            low = int(low_text)
            high = int(high_text) if high_text is not None else low
        if not 100 <= low <= high <= 599:
            raise ValueError(f"invalid status code range {item!r}")
        ranges.append((low, high))
    if not ranges:
        raise ValueError("no status codes given")
    return tuple(ranges)


def format_status_codes(ranges: tuple[tuple[int, int], ...]) -> str:
    """Return ``ranges`` as text that ``parse_status_codes`` reads back."""
    return ", ".join(
        str(low) if low == high else f"{low}-{high}" for low, high in ranges
    )


def parse_resolver(text: str) -> tuple[str, int]:
    """Parse ``"IP"``, ``"IPv4:PORT"`` or ``"[IPv6]:PORT"`` into (ip, port).

    Raises ValueError when the text is none of these.
    """
    text = text.strip()
    port_text: str | None = None
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"invalid resolver {text!r}")
        port_text = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host = text
    address = ipaddress.ip_address(host)
    port = DNS_PORT
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ValueError(f"invalid resolver port {port_text!r}")
        port = int(port_text)
    return str(address), port


def is_http_url(text: str) -> bool:
    """Return whether ``text`` is an http:// or https:// URL with a valid host."""
    try:
        parsed = URL(text)
    except ValueError:
        return False
    return (
        parsed.scheme in ("http", "https")
        and parsed.raw_host is not None
        and is_valid_host(parsed.raw_host)
    )


def is_resolver(text: str) -> bool:
    """Return whether ``text`` is a resolver ``parse_resolver`` reads."""
    try:
        parse_resolver(text)
    except ValueError:
        return False
    return True
