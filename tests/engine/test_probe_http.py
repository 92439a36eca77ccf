"""Tests for the HTTP probe, against real aiohttp servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import ipaddress
from pathlib import Path
import socket
import ssl
import struct
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
import pytest
from yarl import URL

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes import http as http_probe
from custom_components.pialert.engine.probes.http import (
    HttpSettings,
    format_status_codes,
    parse_status_codes,
    probe,
)

# Sockets are blocked by the Home Assistant test plugin unless enabled.
pytestmark = pytest.mark.usefixtures("socket_enabled")

TIMEOUT = 5.0
BIG_BODY = b"a" * (2 * 1024 * 1024) + b"needle"


# --- servers ---------------------------------------------------------------


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="hello world")


async def _status(request: web.Request) -> web.Response:
    return web.Response(status=int(request.match_info["code"]), text="status page")


async def _redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("/ok")


async def _loop(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


async def _method(request: web.Request) -> web.Response:
    return web.Response(text=f"method={request.method}")


async def _stream(request: web.Request) -> web.StreamResponse:
    # Headers and a first chunk go out, the rest later: the client sees the
    # response while its connection is still open.
    response = web.StreamResponse()
    await response.prepare(request)
    await response.write(b"streamed ")
    await asyncio.sleep(0.05)
    await response.write(b"hello")
    await response.write_eof()
    return response


async def _big(request: web.Request) -> web.Response:
    return web.Response(body=BIG_BODY, content_type="text/plain")


async def _latin1(request: web.Request) -> web.Response:
    return web.Response(
        body="café".encode("latin-1"), content_type="text/plain", charset="iso-8859-1"
    )


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(5)
    return web.Response(text="late")  # pragma: no cover - the client gives up


def _app() -> web.Application:
    app = web.Application()
    app.router.add_get("/ok", _ok)
    app.router.add_get("/status/{code}", _status)
    app.router.add_get("/redirect", _redirect)
    app.router.add_get("/loop", _loop)
    app.router.add_route("*", "/method", _method)
    app.router.add_get("/stream", _stream)
    app.router.add_get("/big", _big)
    app.router.add_get("/latin1", _latin1)
    app.router.add_get("/slow", _slow)
    return app


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return a client session like the caller's."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    """Start a plain HTTP server on a free loopback port."""
    test_server = TestServer(_app(), host="127.0.0.1")
    await test_server.start_server()
    yield test_server
    await test_server.close()


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate and its key, as PEM files."""

    cert_path: Path
    key_path: Path
    not_after: datetime


def _make_certificate(directory: Path, not_after: datetime) -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=400))
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_path, key_path, not_after)


@pytest.fixture(scope="module")
def valid_cert(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Return a certificate with 30 days (and an hour) left."""
    not_after = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30, hours=1)
    return _make_certificate(tmp_path_factory.mktemp("valid"), not_after)


@pytest.fixture(scope="module")
def expired_cert(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Return a certificate that expired two days ago."""
    not_after = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    return _make_certificate(tmp_path_factory.mktemp("expired"), not_after)


HttpsServerFactory = Callable[[Certificate], Awaitable[TestServer]]


@pytest.fixture
async def https_server() -> AsyncIterator[HttpsServerFactory]:
    """Return a factory starting HTTPS servers presenting a given certificate."""
    servers: list[TestServer] = []

    async def start(certificate: Certificate) -> TestServer:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate.cert_path, certificate.key_path)
        test_server = TestServer(_app(), host="127.0.0.1")
        await test_server.start_server(ssl=context)
        servers.append(test_server)
        return test_server

    yield start
    for test_server in servers:
        await test_server.close()


RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[RawHandler], Awaitable[int]]]:
    """Return a factory for misbehaving TCP servers (returns their port)."""
    servers: list[asyncio.Server] = []

    async def start(handler: RawHandler) -> int:
        srv = await asyncio.start_server(handler, "127.0.0.1", 0)
        servers.append(srv)
        return int(srv.sockets[0].getsockname()[1])

    yield start
    for srv in servers:
        srv.close()
        await srv.wait_closed()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


# --- status, redirects, methods ----------------------------------------------


async def test_ok(server: TestServer, session: aiohttp.ClientSession) -> None:
    outcome = await probe(HttpSettings(url=_url(server, "/ok")), session, TIMEOUT)

    assert outcome.success
    assert outcome.error is None
    assert outcome.response_time_ms is not None
    assert 0 < outcome.response_time_ms < 2000
    assert outcome.cert_days_remaining is None


async def test_unexpected_status(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/status/503")), session, TIMEOUT
    )

    assert not outcome.success
    assert outcome.error == "HTTP 503 (expected 200-299)"
    assert outcome.response_time_ms is not None


async def test_accepted_status_list(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    settings = HttpSettings(
        url=_url(server, "/status/404"),
        accepted_status=parse_status_codes("200-299, 404"),
    )

    assert (await probe(settings, session, TIMEOUT)).success


async def test_redirects_are_followed(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    followed = await probe(
        HttpSettings(url=_url(server, "/redirect")), session, TIMEOUT
    )
    only_redirects = await probe(
        HttpSettings(url=_url(server, "/redirect"), accepted_status=((300, 399),)),
        session,
        TIMEOUT,
    )

    assert followed.success
    # The final response (200) is judged, not the redirect itself.
    assert only_redirects.error == "HTTP 200 (expected 300-399)"


async def test_redirect_loop(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(HttpSettings(url=_url(server, "/loop")), session, TIMEOUT)

    assert not outcome.success
    assert outcome.error == "Too many redirects"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_methods(
    server: TestServer, session: aiohttp.ClientSession, method: str
) -> None:
    settings = HttpSettings(
        url=_url(server, "/method"), method=method, keyword=f"method={method}"
    )

    assert (await probe(settings, session, TIMEOUT)).success


async def test_head(server: TestServer, session: aiohttp.ClientSession) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/method"), method="HEAD"), session, TIMEOUT
    )
    wrong_code = await probe(
        HttpSettings(url=_url(server, "/status/500"), method="HEAD"), session, TIMEOUT
    )

    assert outcome.success
    assert wrong_code.error == "HTTP 500 (expected 200-299)"


# --- keyword -----------------------------------------------------------------


async def test_keyword_found(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    settings = HttpSettings(url=_url(server, "/ok"), keyword="world")

    assert (await probe(settings, session, TIMEOUT)).success


async def test_keyword_not_found(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/ok"), keyword="ok"), session, TIMEOUT
    )

    assert not outcome.success
    assert outcome.error == "Keyword 'ok' not found"
    assert outcome.response_time_ms is not None


async def test_keyword_is_case_sensitive(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/ok"), keyword="Hello"), session, TIMEOUT
    )

    assert outcome.error == "Keyword 'Hello' not found"


async def test_keyword_absent(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    absent = await probe(
        HttpSettings(url=_url(server, "/ok"), keyword="error", keyword_absent=True),
        session,
        TIMEOUT,
    )
    present = await probe(
        HttpSettings(url=_url(server, "/ok"), keyword="hello", keyword_absent=True),
        session,
        TIMEOUT,
    )

    assert absent.success
    assert not present.success
    assert present.error == "Keyword 'hello' found"


async def test_status_is_checked_before_keyword(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/status/500"), keyword="status"),
        session,
        TIMEOUT,
    )

    assert outcome.error == "HTTP 500 (expected 200-299)"


async def test_keyword_search_is_bounded(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    # The needle sits after the first MiB, so it is never read.
    beyond = await probe(
        HttpSettings(url=_url(server, "/big"), keyword="needle"), session, TIMEOUT
    )
    within = await probe(
        HttpSettings(url=_url(server, "/big"), keyword="aaaa"), session, TIMEOUT
    )

    assert beyond.error == "Keyword 'needle' not found"
    assert within.success


async def test_keyword_in_declared_charset(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    outcome = await probe(
        HttpSettings(url=_url(server, "/latin1"), keyword="café"), session, TIMEOUT
    )

    assert outcome.success


# --- connection failures -----------------------------------------------------


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    outcome = await probe(
        HttpSettings(url=f"http://127.0.0.1:{_free_port()}/"), session, TIMEOUT
    )

    assert not outcome.success
    assert outcome.error == "Connection refused"
    assert outcome.response_time_ms is None


async def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    # No network here: stand in for the system resolver answering NXDOMAIN.
    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    connector = aiohttp.TCPConnector(resolver=aiohttp.ThreadedResolver())
    async with aiohttp.ClientSession(connector=connector) as client:
        outcome = await probe(
            HttpSettings(url="http://no-such-host.invalid/"), client, TIMEOUT
        )

    assert outcome.error == "Cannot resolve host no-such-host.invalid"


async def test_server_disconnects(
    raw_server: Callable[[RawHandler], Awaitable[int]], session: aiohttp.ClientSession
) -> None:
    async def hang_up(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    port = await raw_server(hang_up)
    outcome = await probe(
        HttpSettings(url=f"http://127.0.0.1:{port}/"), session, TIMEOUT
    )

    assert outcome.error == "Server disconnected"


async def test_connection_reset(
    raw_server: Callable[[RawHandler], Awaitable[int]], session: aiohttp.ClientSession
) -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        # Linger 0: closing sends a TCP RST instead of a FIN.
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    port = await raw_server(reset)
    outcome = await probe(
        HttpSettings(url=f"http://127.0.0.1:{port}/"), session, TIMEOUT
    )

    assert outcome.error == "Connection reset"


async def test_truncated_body(
    raw_server: Callable[[RawHandler], Awaitable[int]], session: aiohttp.ClientSession
) -> None:
    async def truncate(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
        await writer.drain()
        writer.close()

    port = await raw_server(truncate)
    outcome = await probe(
        HttpSettings(url=f"http://127.0.0.1:{port}/", keyword="partial"),
        session,
        TIMEOUT,
    )

    assert outcome.error == "Incomplete response body"


async def test_garbage_response(
    raw_server: Callable[[RawHandler], Awaitable[int]], session: aiohttp.ClientSession
) -> None:
    async def garbage(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
        await writer.drain()
        writer.close()

    port = await raw_server(garbage)
    outcome = await probe(
        HttpSettings(url=f"http://127.0.0.1:{port}/"), session, TIMEOUT
    )

    assert not outcome.success
    assert outcome.error == "Invalid HTTP response (Bad status line)"


@pytest.mark.parametrize(
    "url", ["http://", "ftp://127.0.0.1/", "http://[::1/", "not a url"]
)
async def test_invalid_url(session: aiohttp.ClientSession, url: str) -> None:
    outcome = await probe(HttpSettings(url=url), session, TIMEOUT)

    assert not outcome.success
    assert outcome.error == f"Invalid URL {url}"


async def test_timeout_is_left_to_the_caller(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(TimeoutError):
        await probe(HttpSettings(url=_url(server, "/slow")), session, 0.2)


async def test_cancellation_propagates(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    task = asyncio.create_task(
        probe(HttpSettings(url=_url(server, "/slow")), session, TIMEOUT)
    )
    await asyncio.sleep(0.05)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


# --- TLS ---------------------------------------------------------------------


async def test_https_unverified_reports_cert_days(
    https_server: HttpsServerFactory,
    valid_cert: Certificate,
    session: aiohttp.ClientSession,
) -> None:
    srv = await https_server(valid_cert)
    outcome = await probe(
        HttpSettings(url=_url(srv, "/ok"), verify_ssl=False), session, TIMEOUT
    )

    assert outcome.success
    assert outcome.cert_days_remaining == 30


async def test_https_cert_read_from_open_connection(
    https_server: HttpsServerFactory,
    valid_cert: Certificate,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_handshake(url: URL) -> bytes | None:
        raise AssertionError("the response's own connection should have been used")

    monkeypatch.setattr(http_probe, "_peer_der_by_handshake", no_handshake)
    srv = await https_server(valid_cert)
    outcome = await probe(
        HttpSettings(
            url=_url(srv, "/stream"), verify_ssl=False, keyword="streamed hello"
        ),
        session,
        TIMEOUT,
    )

    assert outcome.success
    assert outcome.cert_days_remaining == 30


async def test_https_verified_rejects_self_signed(
    https_server: HttpsServerFactory,
    valid_cert: Certificate,
    session: aiohttp.ClientSession,
) -> None:
    srv = await https_server(valid_cert)
    outcome = await probe(HttpSettings(url=_url(srv, "/ok")), session, TIMEOUT)

    assert not outcome.success
    assert outcome.error is not None
    assert outcome.error.startswith("Certificate error: ")
    assert "self-signed" in outcome.error


async def test_https_verified_with_trusted_cert(
    https_server: HttpsServerFactory, valid_cert: Certificate
) -> None:
    srv = await https_server(valid_cert)
    # A session whose connector trusts the test certificate, as a caller's may.
    context = ssl.create_default_context(cafile=str(valid_cert.cert_path))
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=context)
    ) as client:
        outcome = await probe(HttpSettings(url=_url(srv, "/ok")), client, TIMEOUT)

    assert outcome.success
    assert outcome.cert_days_remaining == 30


async def test_https_expiry_threshold(
    https_server: HttpsServerFactory,
    valid_cert: Certificate,
    session: aiohttp.ClientSession,
) -> None:
    srv = await https_server(valid_cert)
    too_soon = await probe(
        HttpSettings(url=_url(srv, "/ok"), verify_ssl=False, cert_expiry_days=60),
        session,
        TIMEOUT,
    )
    fine = await probe(
        HttpSettings(url=_url(srv, "/ok"), verify_ssl=False, cert_expiry_days=30),
        session,
        TIMEOUT,
    )

    assert not too_soon.success
    assert too_soon.error == "Certificate expires in 30 days (threshold 60)"
    assert too_soon.cert_days_remaining == 30
    assert fine.success


async def test_https_expired_cert(
    https_server: HttpsServerFactory,
    expired_cert: Certificate,
    session: aiohttp.ClientSession,
) -> None:
    srv = await https_server(expired_cert)
    verified = await probe(HttpSettings(url=_url(srv, "/ok")), session, TIMEOUT)
    unverified = await probe(
        HttpSettings(url=_url(srv, "/ok"), verify_ssl=False), session, TIMEOUT
    )
    with_threshold = await probe(
        HttpSettings(url=_url(srv, "/ok"), verify_ssl=False, cert_expiry_days=7),
        session,
        TIMEOUT,
    )

    assert verified.error is not None
    assert verified.error.startswith("Certificate error: ")
    # Not checking certificates means an expired one does not fail the check...
    assert unverified.success
    assert unverified.cert_days_remaining is not None
    assert unverified.cert_days_remaining < 0
    # ...unless an expiry threshold is set.
    assert with_threshold.error == "Certificate expired"


async def test_tls_to_plain_server(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    url = f"https://127.0.0.1:{server.port}/ok"
    outcome = await probe(HttpSettings(url=url, verify_ssl=False), session, TIMEOUT)

    assert not outcome.success
    assert outcome.error is not None
    assert outcome.error.startswith("SSL error: ")


async def test_cert_helpers_tolerate_failures() -> None:
    assert http_probe._cert_days_remaining(None) is None
    assert http_probe._cert_days_remaining(b"not a certificate") is None
    assert await http_probe._peer_der_by_handshake(URL("/relative")) is None
    assert (
        await http_probe._peer_der_by_handshake(
            URL(f"https://127.0.0.1:{_free_port()}/")
        )
        is None
    )


# --- settings and validation -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("200", ((200, 200),)),
        ("200-299", ((200, 299),)),
        ("200-299, 301", ((200, 299), (301, 301))),
        (" 2xx ,404 ,", ((200, 299), (404, 404))),
        ("3XX", ((300, 399),)),
        ("100 - 599", ((100, 599),)),
    ],
)
def test_parse_status_codes(text: str, ranges: tuple[tuple[int, int], ...]) -> None:
    assert parse_status_codes(text) == ranges


@pytest.mark.parametrize(
    "text",
    [
        "",
        " , ",
        "abc",
        "99",
        "600",
        "299-200",
        "200-700",
        "6xx",
        "2000",
        "200;300",
        "-200",
    ],
)
def test_parse_status_codes_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="status code"):
        parse_status_codes(text)


def test_format_status_codes_round_trips() -> None:
    ranges = ((200, 299), (301, 301), (404, 404))

    assert format_status_codes(ranges) == "200-299, 301, 404"
    assert parse_status_codes(format_status_codes(ranges)) == ranges


def test_settings_from_mapping() -> None:
    settings = HttpSettings.from_mapping(
        {
            "url": " https://example.test/health ",
            "method": "post",
            "accepted_status": "200-299, 301",
            "keyword": "ok",
            "keyword_absent": True,
            "verify_ssl": False,
            "cert_expiry_days": 14.0,
        }
    )

    assert settings == HttpSettings(
        url="https://example.test/health",
        method="POST",
        accepted_status=((200, 299), (301, 301)),
        keyword="ok",
        keyword_absent=True,
        verify_ssl=False,
        cert_expiry_days=14,
    )


def test_settings_from_minimal_mapping() -> None:
    settings = HttpSettings.from_mapping(
        {
            "url": "http://nas.lan",
            "accepted_status": " ",
            "keyword": "  ",
            "cert_expiry_days": "",
        }
    )

    assert settings == HttpSettings(url="http://nas.lan")


def test_null_or_blank_means_the_default() -> None:
    """A null or blank field is no value: its default applies (the API unsets with null)."""
    for data in (
        {"url": "http://nas", "method": None},
        {"url": "http://nas", "method": " "},
    ):
        assert kind_errors(TargetKind.HTTP, data) == {}
        assert HttpSettings.from_mapping(data).method == "GET"


def test_settings_from_mapping_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="accepted_status"):
        HttpSettings.from_mapping({"url": "http://nas", "accepted_status": "abc"})
    with pytest.raises(ValueError, match="cert_expiry_days"):
        HttpSettings.from_mapping({"url": "http://nas", "cert_expiry_days": 0})


@pytest.mark.parametrize(
    "data",
    [
        {"url": "http://nas.lan"},
        {"url": "https://127.0.0.1:8443/health?x=1", "method": "head"},
        {
            "url": "https://[::1]/",
            "method": "POST",
            "accepted_status": "2xx, 301",
            "keyword": "ok",
            "cert_expiry_days": 365,
        },
        {"url": "http://nas", "cert_expiry_days": None, "accepted_status": None},
        {"url": "http://nas", "method": "HEAD", "keyword": "  "},
        {"url": "http://ünïcode.example/"},
    ],
)
def test_validate_accepts(data: dict[str, Any]) -> None:
    assert kind_errors(TargetKind.HTTP, data) == {}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"url": "invalid_url"}),
        ({"url": ""}, {"url": "invalid_url"}),
        ({"url": "nas.lan"}, {"url": "invalid_url"}),
        ({"url": "ftp://nas.lan"}, {"url": "invalid_url"}),
        ({"url": "http://"}, {"url": "invalid_url"}),
        ({"url": "http://[::1"}, {"url": "invalid_url"}),
        ({"url": "http://my nas/"}, {"url": "invalid_url"}),
        ({"url": "http://-nas/"}, {"url": "invalid_url"}),
        ({"url": 42}, {"url": "invalid_url"}),
        ({"url": "http://nas", "method": "DELETE"}, {"method": "invalid_method"}),
        (
            {"url": "http://nas", "method": "HEAD", "keyword": "ok"},
            {"keyword": "keyword_with_head"},
        ),
        (
            {"url": "http://nas", "accepted_status": "abc"},
            {"accepted_status": "invalid_status_codes"},
        ),
        (
            {"url": "http://nas", "accepted_status": 200},
            {"accepted_status": "invalid_status_codes"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": 0},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": 366},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": 1.5},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": "x"},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": True},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
        (
            {"url": "http://nas", "cert_expiry_days": [1]},
            {"cert_expiry_days": "invalid_cert_expiry_days"},
        ),
    ],
)
def test_validate_rejects(data: dict[str, Any], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.HTTP, data) == errors
