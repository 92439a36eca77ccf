"""Ping probe: checks that a host answers ICMP echo requests."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from icmplib import (  # type: ignore[import-untyped]
    ICMPLibError,
    SocketPermissionError,
    async_ping,
)

from ..settings import PingSettings
from . import ProbeOutcome, failed

PACKET_INTERVAL = 0.2
DEFAULT_REPLY_TIMEOUT = 2.0


async def _resolve(host: str) -> str:
    """Return an IP address for ``host``, preferring IPv4 as icmplib does.

    Resolving here (in the loop's executor) rather than in icmplib keeps a
    name icmplib does not recognise as one from being resolved by a blocking
    ``sendto``.
    """
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, None, type=socket.SOCK_DGRAM
    )
    addresses = [str(info[4][0]) for info in infos]
    ipv4 = [address for address in addresses if ":" not in address]
    return (ipv4 or addresses)[0]


async def probe(
    settings: PingSettings,
    privileged: bool,
    reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
) -> ProbeOutcome:
    """Ping the host ``settings.count`` times; up when any reply comes back.

    ``privileged`` is what ``detect_privilege`` found (raw vs. datagram ICMP
    sockets).
    """
    try:
        address = await _resolve(settings.host)
    except (OSError, IndexError):
        return failed(f"Cannot resolve host {settings.host}")
    try:
        host = await async_ping(
            address,
            count=settings.count,
            interval=PACKET_INTERVAL,
            timeout=reply_timeout,
            privileged=privileged,
        )
    except SocketPermissionError:
        return failed("ICMP not permitted")
    except ICMPLibError as err:
        # icmplib wraps every socket error (bad source address and the like).
        return failed(str(err) or type(err).__name__)
    if not host.is_alive:
        return failed(
            f"No reply from {settings.host} ({host.packets_sent} packets sent)"
        )
    return ProbeOutcome(success=True, response_time_ms=float(host.avg_rtt))


async def detect_privilege() -> bool | None:
    """Return how ICMP can be used here, as Home Assistant's ``ping`` does.

    True: raw (privileged) sockets work; False: only unprivileged datagram
    sockets work; None: neither (pinging is not possible with icmplib).
    ``count=0`` only opens (and closes) the socket: nothing is sent.
    """
    try:
        await async_ping("127.0.0.1", count=0, timeout=0, privileged=True)
    except SocketPermissionError:
        try:
            await async_ping("127.0.0.1", count=0, timeout=0, privileged=False)
        except SocketPermissionError:
            return None
        return False
    return True
