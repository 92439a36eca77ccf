"""TCP probe: checks that a connection to host:port opens."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import time

from ..settings import TcpSettings
from ..syntax import is_valid_host
from . import ProbeOutcome, failed

__all__ = ["TcpSettings", "describe_os_error", "is_valid_host", "probe"]

_ERRNO_TEXT = {
    errno.ECONNREFUSED: "Connection refused",
    errno.ECONNRESET: "Connection reset",
    errno.EHOSTUNREACH: "Host unreachable",
    errno.ENETUNREACH: "Network unreachable",
    errno.ETIMEDOUT: "Connection timed out",
    errno.ECONNABORTED: "Connection aborted",
}


def describe_os_error(err: OSError, host: str | None = None) -> str:
    """Return a short human-readable text for a connection-level ``err``."""
    if isinstance(err, socket.gaierror):
        return f"Cannot resolve host {host}" if host else "Cannot resolve host"
    if err.errno is not None and err.errno in _ERRNO_TEXT:
        return _ERRNO_TEXT[err.errno]
    return err.strerror or str(err) or type(err).__name__


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
