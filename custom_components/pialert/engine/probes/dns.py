"""DNS probe: checks that a name resolves, optionally to an expected value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import ipaddress
import time
from typing import Any

import aiodns
from aiodns.error import (
    ARES_EBADNAME,
    ARES_ECONNREFUSED,
    ARES_ENODATA,
    ARES_ENOTFOUND,
    ARES_EREFUSED,
    ARES_ESERVFAIL,
    ARES_ETIMEOUT,
    DNSError,
)
import pycares

from . import ProbeOutcome, failed
from .tcp import is_valid_host

RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT")
DNS_PORT = 53
# Each query is sent this many times. c-ares doubles the wait after each try,
# so all tries fit in the timeout when the first gets 1 / (2**tries - 1) of it.
_TRIES = 2
_FIRST_TRY_SHARE = 1 / (2**_TRIES - 1)

_RECORD_TYPE_CODES = {
    "A": pycares.QUERY_TYPE_A,
    "AAAA": pycares.QUERY_TYPE_AAAA,
    "CNAME": pycares.QUERY_TYPE_CNAME,
    "MX": pycares.QUERY_TYPE_MX,
    "TXT": pycares.QUERY_TYPE_TXT,
}


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


def _nameserver(text: str) -> str:
    """Return the resolver in c-ares' server syntax (which takes a port)."""
    ip, port = parse_resolver(text)
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _normalise(record_type: str, value: str) -> str:
    """Return ``value`` in the form compared against answers."""
    value = value.strip()
    if record_type == "TXT":
        return value
    if record_type in ("A", "AAAA"):
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value
    return value.lower().rstrip(".")


def _optional_text(value: Any) -> str | None:
    """Return ``value`` stripped, or None when missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class DnsSettings:
    """What a DNS target looks up, where, and what answer is expected."""

    hostname: str
    record_type: str = "A"
    expected: str | None = None
    resolver: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DnsSettings:
        """Build settings from a config subentry's data (validated beforehand)."""
        record_type = str(data.get("record_type") or "A").upper()
        if record_type not in RECORD_TYPES:
            raise ValueError(f"unsupported record type {record_type!r}")
        resolver = _optional_text(data.get("resolver"))
        if resolver is not None:
            parse_resolver(resolver)  # raises ValueError when malformed
        return cls(
            hostname=str(data["hostname"]).strip(),
            record_type=record_type,
            expected=_optional_text(data.get("expected")),
            resolver=resolver,
        )


def validate(data: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{field: error_key}`` for invalid DNS settings (empty when valid)."""
    errors: dict[str, str] = {}
    hostname = data.get("hostname")
    if (
        not isinstance(hostname, str)
        or not is_valid_host(hostname.strip())
        or _is_ip(hostname.strip())
    ):
        errors["hostname"] = "invalid_host"
    raw_type = data.get("record_type") or "A"
    record_type = raw_type.upper() if isinstance(raw_type, str) else None
    if record_type not in RECORD_TYPES:
        errors["record_type"] = "invalid_record_type"
    resolver = _optional_text(data.get("resolver"))
    if resolver is not None:
        try:
            parse_resolver(resolver)
        except ValueError:
            errors["resolver"] = "invalid_resolver"
    expected = _optional_text(data.get("expected"))
    if (
        expected is not None
        and record_type in RECORD_TYPES
        and not _expected_fits(record_type, expected)
    ):
        errors["expected"] = "invalid_expected"
    return errors


def _is_ip(text: str) -> bool:
    """Return whether ``text`` is an IP address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _expected_fits(record_type: str, expected: str) -> bool:
    """Return whether ``expected`` could be an answer of ``record_type``."""
    if record_type == "A":
        return _is_ip(expected) and ":" not in expected
    if record_type == "AAAA":
        return _is_ip(expected) and ":" in expected
    if record_type == "TXT":
        return True
    return is_valid_host(expected)


def _answer_values(record_type: str, result: pycares.DNSResult) -> list[str]:
    """Return the answer's values of ``record_type``, skipping e.g. CNAME hops."""
    code = _RECORD_TYPE_CODES[record_type]
    values: list[str] = []
    for record in result.answer:
        if record.type != code:
            continue
        data = record.data
        if isinstance(data, pycares.ARecordData | pycares.AAAARecordData):
            values.append(data.addr)
        elif isinstance(data, pycares.CNAMERecordData):
            values.append(data.cname)
        elif isinstance(data, pycares.MXRecordData):
            values.append(data.exchange)
        elif isinstance(data, pycares.TXTRecordData):
            values.append(data.data.decode("utf-8", errors="replace"))
    return values


def _describe_dns_error(err: DNSError, settings: DnsSettings) -> str:
    """Return a short human-readable text for an aiodns error."""
    code = err.args[0] if err.args else None
    if code == ARES_ENOTFOUND:
        return f"{settings.hostname} does not exist (NXDOMAIN)"
    if code == ARES_ENODATA:
        return f"No {settings.record_type} record for {settings.hostname}"
    if code in (ARES_ETIMEOUT, ARES_ECONNREFUSED):
        return "DNS server did not answer"
    if code == ARES_ESERVFAIL:
        return "DNS server failed (SERVFAIL)"
    if code == ARES_EREFUSED:
        return "DNS server refused the query"
    if code == ARES_EBADNAME:
        return f"Invalid host name {settings.hostname}"
    message = err.args[1] if len(err.args) > 1 else str(err)
    return f"DNS error: {message}"


async def probe(settings: DnsSettings, timeout: float) -> ProbeOutcome:  # noqa: ASYNC109
    """Query ``settings.resolver`` (or the system's) and check the answer.

    ``timeout`` sets c-ares' own retry timing so that it gives up in time;
    the caller still bounds the call with ``asyncio.timeout``.
    """
    nameservers = [_nameserver(settings.resolver)] if settings.resolver else None
    resolver = aiodns.DNSResolver(
        nameservers=nameservers,
        timeout=max(timeout * _FIRST_TRY_SHARE, 0.1),
        tries=_TRIES,
    )
    start = time.perf_counter()
    try:
        result = await resolver.query_dns(settings.hostname, settings.record_type)
    except DNSError as err:
        return failed(_describe_dns_error(err, settings))
    finally:
        # Also on cancellation: cancels the query and frees the channel.
        await resolver.close()
    elapsed_ms = (time.perf_counter() - start) * 1000

    values = _answer_values(settings.record_type, result)
    if not values:
        return failed(
            f"No {settings.record_type} record for {settings.hostname}",
            response_time_ms=elapsed_ms,
        )
    if settings.expected is not None:
        wanted = _normalise(settings.record_type, settings.expected)
        if wanted not in {_normalise(settings.record_type, v) for v in values}:
            return failed(
                f"Expected {settings.expected}, got {', '.join(values)}",
                response_time_ms=elapsed_ms,
            )
    return ProbeOutcome(success=True, response_time_ms=elapsed_ms)
