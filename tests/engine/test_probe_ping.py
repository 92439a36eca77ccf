"""Tests for the ping probe: real ICMP to 127.0.0.1 where the OS allows it."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from icmplib import (  # type: ignore[import-untyped]
    Host,
    ICMPSocketError,
    SocketPermissionError,
)
import pytest

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes import ping as ping_probe
from custom_components.pialert.engine.probes.ping import (
    PingSettings,
    detect_privilege,
    probe,
)

# Sockets are blocked by the Home Assistant test plugin unless enabled.
pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def privileged() -> bool:
    """Return how this machine allows ICMP, skipping when it does not at all."""
    result = await detect_privilege()
    if result is None:
        pytest.skip("ICMP sockets are not permitted here (neither raw nor datagram)")
    return result


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for the system resolver answering NXDOMAIN (there is no network)."""

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def fake_ping(result: Host | Exception) -> Any:
    """Return an async_ping stand-in that records its call and returns/raises."""

    async def async_ping(address: str, **kwargs: Any) -> Host:
        async_ping.calls.append((address, kwargs))  # type: ignore[attr-defined]
        if isinstance(result, Exception):
            raise result
        return result

    async_ping.calls = []  # type: ignore[attr-defined]
    return async_ping


# --- real ICMP -----------------------------------------------------------------


async def test_ping_loopback(privileged: bool) -> None:
    outcome = await probe(PingSettings(host="127.0.0.1", count=2), privileged)

    assert outcome.success
    assert outcome.error is None
    assert outcome.response_time_ms is not None
    assert 0 <= outcome.response_time_ms < 1000


async def test_ping_resolves_names(privileged: bool) -> None:
    outcome = await probe(PingSettings(host="localhost", count=1), privileged)

    assert outcome.success


async def test_detect_privilege_matches_a_working_mode(privileged: bool) -> None:
    # Whatever detect_privilege() reported must actually be able to ping.
    outcome = await probe(PingSettings(host="127.0.0.1", count=1), privileged)

    assert outcome.success


async def test_cancellation_propagates(privileged: bool) -> None:
    task = asyncio.create_task(
        probe(PingSettings(host="127.0.0.1", count=10), privileged)
    )
    await asyncio.sleep(0.05)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.usefixtures("no_dns")
async def test_unresolvable_host() -> None:
    outcome = await probe(PingSettings(host="no-such-host.invalid"), privileged=True)

    assert not outcome.success
    assert outcome.error == "Cannot resolve host no-such-host.invalid"


# --- outcomes the loopback cannot produce (icmplib stood in for) ---------------


async def test_no_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_ping(Host("10.0.0.1", 3, []))
    monkeypatch.setattr(ping_probe, "async_ping", fake)

    outcome = await probe(PingSettings(host="10.0.0.1", count=3), privileged=False)

    assert not outcome.success
    assert outcome.error == "No reply from 10.0.0.1 (3 packets sent)"
    assert outcome.response_time_ms is None
    assert fake.calls == [
        ("10.0.0.1", {"count": 3, "interval": 0.2, "timeout": 2.0, "privileged": False})
    ]


async def test_reply_time_is_the_average(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ping_probe, "async_ping", fake_ping(Host("10.0.0.1", 3, [1.0, 3.0]))
    )

    outcome = await probe(PingSettings(host="10.0.0.1"), privileged=True)

    assert outcome.success
    assert outcome.response_time_ms == 2.0


async def test_not_permitted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ping_probe, "async_ping", fake_ping(SocketPermissionError(False))
    )

    outcome = await probe(PingSettings(host="127.0.0.1"), privileged=False)

    assert outcome.error == "ICMP not permitted"


async def test_other_icmp_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ping_probe, "async_ping", fake_ping(ICMPSocketError("Bad socket"))
    )

    outcome = await probe(PingSettings(host="::1"), privileged=True)

    assert outcome.error == "Bad socket"


async def test_ipv6_only_names(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET6, socket.SOCK_DGRAM, 17, "", ("::1", 0, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    fake = fake_ping(Host("::1", 1, [0.1]))
    monkeypatch.setattr(ping_probe, "async_ping", fake)

    assert (await probe(PingSettings(host="v6.example"), privileged=True)).success
    assert fake.calls[0][0] == "::1"


@pytest.mark.parametrize(
    ("raw", "datagram", "expected"),
    [(True, True, True), (False, True, False), (False, False, None)],
)
async def test_detect_privilege_modes(
    monkeypatch: pytest.MonkeyPatch, raw: bool, datagram: bool, expected: bool | None
) -> None:
    calls: list[bool] = []

    async def async_ping(address: str, **kwargs: Any) -> Host:
        privileged = kwargs["privileged"]
        calls.append(privileged)
        # count=0: only the socket is opened, nothing is sent.
        assert (address, kwargs["count"]) == ("127.0.0.1", 0)
        if not (raw if privileged else datagram):
            raise SocketPermissionError(privileged)
        return Host(address, 0, [])

    monkeypatch.setattr(ping_probe, "async_ping", async_ping)

    assert await detect_privilege() is expected
    assert calls == ([True] if raw else [True, False])


# --- settings and validation ---------------------------------------------------


def test_settings_from_mapping() -> None:
    assert PingSettings.from_mapping(
        {"host": " nas.lan ", "count": 5.0}
    ) == PingSettings(host="nas.lan", count=5)
    assert PingSettings.from_mapping({"host": "10.0.0.1"}) == PingSettings(
        host="10.0.0.1", count=3
    )
    with pytest.raises(ValueError, match="invalid count"):
        PingSettings.from_mapping({"host": "nas", "count": 11})


@pytest.mark.parametrize(
    "data",
    [
        {"host": "10.0.0.1"},
        {"host": "nas.lan", "count": 1},
        {"host": "fe80::1", "count": "10"},
        {"host": "router", "count": None},
    ],
)
def test_validate_accepts(data: dict[str, Any]) -> None:
    assert kind_errors(TargetKind.PING, data) == {}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"host": "invalid_host"}),
        ({"host": ""}, {"host": "invalid_host"}),
        ({"host": "   "}, {"host": "invalid_host"}),
        ({"host": "my router"}, {"host": "invalid_host"}),
        ({"host": None}, {"host": "invalid_host"}),
        ({"host": "nas", "count": 0}, {"count": "invalid_count"}),
        ({"host": "nas", "count": 11}, {"count": "invalid_count"}),
        ({"host": "nas", "count": 2.5}, {"count": "invalid_count"}),
        ({"host": "nas", "count": "three"}, {"count": "invalid_count"}),
        ({"host": "nas", "count": False}, {"count": "invalid_count"}),
        ({"host": "", "count": -1}, {"host": "invalid_host", "count": "invalid_count"}),
    ],
)
def test_validate_rejects(data: dict[str, Any], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.PING, data) == errors
