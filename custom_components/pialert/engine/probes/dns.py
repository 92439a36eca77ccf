"""DNS probe: checks that a name resolves, optionally to an expected value."""

from __future__ import annotations

import ipaddress
import time

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

from ..settings import DnsSettings
from ..syntax import parse_resolver
from . import ProbeOutcome, failed

__all__ = ["DnsSettings", "parse_resolver", "probe"]

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
