"""TCP probe: checks that a connection to host:port opens."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import errno
import ipaddress
import re
import socket
import time
from typing import Any

from . import ProbeOutcome, failed

# Hostname labels: letters, digits, hyphens, and underscores (seen in the wild
# for service names); a trailing dot is allowed.
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")

_ERRNO_TEXT = {
    errno.ECONNREFUSED: "Connection refused",
    errno.ECONNRESET: "Connection reset",
    errno.EHOSTUNREACH: "Host unreachable",
    errno.ENETUNREACH: "Network unreachable",
    errno.ETIMEDOUT: "Connection timed out",
    errno.ECONNABORTED: "Connection aborted",
}


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


def describe_os_error(err: OSError, host: str | None = None) -> str:
    """Return a short human-readable text for a connection-level ``err``."""
    if isinstance(err, socket.gaierror):
        return f"Cannot resolve host {host}" if host else "Cannot resolve host"
    if err.errno is not None and err.errno in _ERRNO_TEXT:
        return _ERRNO_TEXT[err.errno]
    return err.strerror or str(err) or type(err).__name__


def _parse_port(value: Any) -> int:
    """Return ``value`` as a port number, raising ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError("port must be a number")
    number = float(value)
    if not number.is_integer() or not 1 <= number <= 65535:
        raise ValueError(f"invalid port {value!r}")
    return int(number)


@dataclass(frozen=True, slots=True)
class TcpSettings:
    """What a TCP target connects to."""

    host: str
    port: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TcpSettings:
        """Build settings from a config subentry's data (validated beforehand)."""
        return cls(host=str(data["host"]).strip(), port=_parse_port(data["port"]))


def validate(data: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{field: error_key}`` for invalid TCP settings (empty when valid)."""
    errors: dict[str, str] = {}
    host = data.get("host")
    if not isinstance(host, str) or not is_valid_host(host.strip()):
        errors["host"] = "invalid_host"
    try:
        _parse_port(data.get("port"))
    except (TypeError, ValueError, OverflowError):
        errors["port"] = "invalid_port"
    return errors


async def probe(settings: TcpSettings) -> ProbeOutcome:
    """Open (and cleanly close) a TCP connection to the target."""
    start = time.perf_counter()
    try:
        # all_errors: with several addresses (IPv4 and IPv6) every failure is
        # kept, instead of one merged OSError without an errno.
        _reader, writer = await asyncio.open_connection(
            settings.host, settings.port, all_errors=True
        )
    except ExceptionGroup as group:
        errors = [err for err in group.exceptions if isinstance(err, OSError)]
        texts = {describe_os_error(err, settings.host) for err in errors}
        return failed("; ".join(sorted(texts)) or str(group))
    except OSError as err:
        return failed(describe_os_error(err, settings.host))
    elapsed_ms = (time.perf_counter() - start) * 1000
    writer.close()
    # The peer may reset the connection while we close it: the check passed.
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return ProbeOutcome(success=True, response_time_ms=elapsed_ms)
