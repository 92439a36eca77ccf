"""The HTTP probe reads a certificate from the connection its request used.

A loopback TLS server with a self-signed certificate counts the connections
it accepts: one check opens one connection, whatever the size of the answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
import ssl

import aiohttp
import pytest

from custom_components.pialert.engine.probes.http import HttpSettings, probe

from .test_probe_http import Certificate, _make_certificate

pytestmark = pytest.mark.usefixtures("socket_enabled")

TIMEOUT = 5.0


class CountingTlsServer:
    """Answers every request with a fixed body; counts accepted connections."""

    def __init__(self, body: bytes, *, close: bool) -> None:
        self.body = body
        self.close = close
        self.accepted = 0
        self.requests = 0
        self.port = 0

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.requests += 1
                is_head = head.startswith(b"HEAD ")
                header = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + f"Content-Length: {len(self.body)}\r\n".encode()
                    + (b"Connection: close\r\n" if self.close else b"")
                    + b"\r\n"
                )
                writer.write(header if is_head else header + self.body)
                await writer.drain()
                if self.close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass  # the client went away
        finally:
            writer.close()


ServerFactory = Callable[..., Awaitable[CountingTlsServer]]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Return a self-signed certificate with 30 days (and an hour) left."""
    not_after = datetime.now(UTC) + timedelta(days=30, hours=1)
    return _make_certificate(tmp_path_factory.mktemp("tls"), not_after)


@pytest.fixture
async def tls_server(certificate: Certificate) -> AsyncIterator[ServerFactory]:
    """Return a factory of counting TLS servers on 127.0.0.1."""
    servers: list[asyncio.Server] = []

    async def start(body: bytes = b"ok", *, close: bool = False) -> CountingTlsServer:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate.cert_path, certificate.key_path)
        counting = CountingTlsServer(body, close=close)
        server = await asyncio.start_server(
            counting.handle, "127.0.0.1", 0, ssl=context
        )
        servers.append(server)
        counting.port = int(server.sockets[0].getsockname()[1])
        return counting

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


async def _check(port: int, method: str = "GET", **settings: object) -> object:
    async with aiohttp.ClientSession() as session:
        return await probe(
            HttpSettings(
                url=f"https://127.0.0.1:{port}/",
                method=method,
                verify_ssl=False,
                **settings,  # type: ignore[arg-type]
            ),
            session,
            TIMEOUT,
        )


@pytest.mark.parametrize(
    ("body", "method", "settings"),
    [
        (b"ok", "GET", {}),  # read along with the headers
        (b"", "GET", {}),
        (b"ok", "HEAD", {}),
        (b"needle in a small body", "GET", {"keyword": "needle"}),
        (b"x" * 200_000, "GET", {"keyword": "x"}),  # still streaming
    ],
    ids=["small", "empty", "head", "keyword", "large"],
)
async def test_one_connection_per_tls_check(
    tls_server: ServerFactory,
    body: bytes,
    method: str,
    settings: dict[str, object],
) -> None:
    server = await tls_server(body)

    for round_number in range(1, 4):
        outcome = await _check(server.port, method, **settings)

        assert getattr(outcome, "success", None), outcome
        assert getattr(outcome, "cert_days_remaining", None) == 30
        # A fresh session each time: one check, one TLS connection.
        assert server.accepted == round_number
        assert server.requests == round_number


async def test_pooled_connection_still_reports_the_certificate(
    tls_server: ServerFactory,
) -> None:
    server = await tls_server()
    async with aiohttp.ClientSession() as session:
        outcomes = [
            await probe(
                HttpSettings(url=f"https://127.0.0.1:{server.port}/", verify_ssl=False),
                session,
                TIMEOUT,
            )
            for _ in range(3)
        ]

    assert [o.cert_days_remaining for o in outcomes] == [30, 30, 30]
    assert server.accepted == 1
    assert server.requests == 3


async def test_server_closing_after_answer_is_asked_again(
    tls_server: ServerFactory,
) -> None:
    # The answer's connection is gone when the probe looks: the certificate
    # comes from a second handshake, so expiry is still reported.
    server = await tls_server(close=True)

    outcome = await _check(server.port)

    assert getattr(outcome, "cert_days_remaining", None) == 30
    assert server.requests == 1
    assert server.accepted == 2
