"""Tests for the TCP probe, against real listeners on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import errno
import socket
from typing import Any

import pytest

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes.tcp import (
    TcpSettings,
    describe_os_error,
    is_valid_host,
    probe,
)

# Sockets are blocked by the Home Assistant test plugin unless enabled.
pytestmark = pytest.mark.usefixtures("socket_enabled")


class Listener:
    """A TCP server on 127.0.0.1 that records whether clients hung up cleanly."""

    def __init__(self) -> None:
        self.server: asyncio.Server | None = None
        self.port = 0
        self.clean_eof = asyncio.Event()

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if await reader.read() == b"":
            self.clean_eof.set()
        writer.close()
        await writer.wait_closed()


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    """Start a TCP server on a free loopback port."""
    result = Listener()
    result.server = await asyncio.start_server(result._handle, "127.0.0.1", 0)
    result.port = result.server.sockets[0].getsockname()[1]
    yield result
    result.server.close()
    await result.server.wait_closed()


def free_port() -> int:
    """Return a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_open_port_succeeds_and_closes_cleanly(listener: Listener) -> None:
    outcome = await probe(TcpSettings(host="127.0.0.1", port=listener.port))

    assert outcome.success
    assert outcome.error is None
    assert outcome.response_time_ms is not None
    assert 0 < outcome.response_time_ms < 1000
    # The probe closed its side: the server read EOF rather than a reset.
    async with asyncio.timeout(1):
        await listener.clean_eof.wait()


async def test_hostname_is_resolved(listener: Listener) -> None:
    outcome = await probe(TcpSettings(host="localhost", port=listener.port))

    assert outcome.success


async def test_closed_port_is_refused() -> None:
    outcome = await probe(TcpSettings(host="127.0.0.1", port=free_port()))

    assert not outcome.success
    assert outcome.error == "Connection refused"
    assert outcome.response_time_ms is None


async def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    # No network here: stand in for the system resolver answering NXDOMAIN.
    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    outcome = await probe(TcpSettings(host="no-such-host.invalid", port=80))

    assert not outcome.success
    assert outcome.error == "Cannot resolve host no-such-host.invalid"


async def test_cancellation_propagates(listener: Listener) -> None:
    task = asyncio.create_task(probe(TcpSettings(host="127.0.0.1", port=listener.port)))
    await asyncio.sleep(0)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), "Connection refused"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "Host unreachable"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "Network unreachable"),
        (OSError(errno.ECONNRESET, "reset"), "Connection reset"),
        (OSError(errno.EACCES, "Permission denied"), "Permission denied"),
        (OSError("Multiple exceptions: a, b"), "Multiple exceptions: a, b"),
        (OSError(), "OSError"),
        (socket.gaierror(socket.EAI_NONAME, "unknown"), "Cannot resolve host"),
    ],
)
def test_describe_os_error(err: OSError, expected: str) -> None:
    assert describe_os_error(err) == expected


def test_describe_os_error_names_the_host() -> None:
    err = socket.gaierror(socket.EAI_NONAME, "unknown")
    assert describe_os_error(err, "nas.lan") == "Cannot resolve host nas.lan"


@pytest.mark.parametrize(
    ("host", "valid"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("nas", True),
        ("nas.lan.", True),
        ("_sip._tcp.example.com", True),
        ("a" * 63 + ".example", True),
        ("", False),
        (" nas", False),
        ("my host", False),
        ("-bad.example", False),
        ("bad-.example", False),
        ("a..b", False),
        (".", False),
        ("a" * 64 + ".example", False),
        ("x." * 127 + "xx", False),
        ("http://nas", False),
    ],
)
def test_is_valid_host(host: str, valid: bool) -> None:
    assert is_valid_host(host) is valid


@pytest.mark.parametrize(
    "data",
    [
        {"host": "127.0.0.1", "port": 22},
        {"host": "nas.lan", "port": "8080"},
        {"host": " nas.lan ", "port": 65535.0},
        {"host": "::1", "port": 1},
    ],
)
def test_validate_accepts(data: dict[str, Any]) -> None:
    assert kind_errors(TargetKind.TCP, data) == {}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"host": "invalid_host", "port": "invalid_port"}),
        ({"host": "", "port": 80}, {"host": "invalid_host"}),
        ({"host": "my host", "port": 80}, {"host": "invalid_host"}),
        ({"host": 42, "port": 80}, {"host": "invalid_host"}),
        ({"host": "nas", "port": 0}, {"port": "invalid_port"}),
        ({"host": "nas", "port": 65536}, {"port": "invalid_port"}),
        ({"host": "nas", "port": 80.5}, {"port": "invalid_port"}),
        ({"host": "nas", "port": "http"}, {"port": "invalid_port"}),
        ({"host": "nas", "port": True}, {"port": "invalid_port"}),
        ({"host": "nas", "port": float("inf")}, {"port": "invalid_port"}),
    ],
)
def test_validate_rejects(data: dict[str, Any], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.TCP, data) == errors


def test_settings_from_mapping() -> None:
    settings = TcpSettings.from_mapping({"host": " nas.lan ", "port": 8080.0})

    assert settings == TcpSettings(host="nas.lan", port=8080)
    with pytest.raises(ValueError, match="invalid port"):
        TcpSettings.from_mapping({"host": "nas", "port": 0})
