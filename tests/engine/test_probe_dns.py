"""Tests for the DNS probe, against a real UDP DNS responder on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import ipaddress
import socket
import struct
from typing import Any

import pytest

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes import ProbeOutcome
from custom_components.pialert.engine.probes.dns import (
    DnsSettings,
    parse_resolver,
    probe,
)

# Sockets are blocked by the Home Assistant test plugin unless enabled.
pytestmark = pytest.mark.usefixtures("socket_enabled")

TIMEOUT = 2.0

A, CNAME, MX, TXT, AAAA = 1, 5, 15, 16, 28
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, REFUSED = 0, 1, 2, 3, 5


# --- a small authoritative responder -------------------------------------------


def encode_name(name: str) -> bytes:
    """Return ``name`` in DNS wire format (uncompressed)."""
    labels = [label.encode() for label in name.rstrip(".").split(".") if label]
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\x00"


def rdata(qtype: int, value: Any) -> bytes:
    """Return the wire-format RDATA of one record."""
    if qtype == A:
        return ipaddress.IPv4Address(value).packed
    if qtype == AAAA:
        return ipaddress.IPv6Address(value).packed
    if qtype == CNAME:
        return encode_name(value)
    if qtype == MX:
        preference, exchange = value
        return struct.pack("!H", preference) + encode_name(exchange)
    # TXT: one or more character-strings.
    strings = [value] if isinstance(value, str) else value
    return b"".join(bytes([len(s.encode())]) + s.encode() for s in strings)


ZONE: dict[tuple[str, int], list[Any]] = {
    ("example.test", A): ["10.0.0.1"],
    ("example.test", AAAA): ["2001:db8::1"],
    ("example.test", MX): [(10, "Mail.Example.Test"), (20, "backup.example.test")],
    ("example.test", TXT): ["v=spf1 -all", ["google-site-", "verification=abc"]],
    ("www.example.test", CNAME): ["Example.Test"],
    ("many.example.test", A): ["10.0.0.1", "10.0.0.2"],
    ("nodata.example.test", TXT): ["only text here"],
    # Points outside the zone: the answer holds the CNAME and nothing else.
    ("dangling.example.test", CNAME): ["elsewhere.invalid"],
}
RCODES = {"servfail.test": SERVFAIL, "refused.test": REFUSED, "formerr.test": FORMERR}
SILENT = "silent.test"


class Responder(asyncio.DatagramProtocol):
    """Answers queries from ZONE; NXDOMAIN for unknown names."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.questions: list[tuple[str, int]] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        query_id, flags = struct.unpack("!HH", data[:4])
        offset, labels = 12, []
        while data[offset]:
            length = data[offset]
            labels.append(data[offset + 1 : offset + 1 + length].decode())
            offset += 1 + length
        qtype = struct.unpack("!H", data[offset + 1 : offset + 3])[0]
        question = data[12 : offset + 5]  # echoed verbatim, as servers do
        name = ".".join(labels).lower()
        self.questions.append((name, qtype))
        if name == SILENT:
            return

        answers: list[bytes] = []
        # Follow a CNAME like a recursive resolver would.
        owner = name
        if qtype != CNAME and (owner, CNAME) in ZONE:
            target = ZONE[(owner, CNAME)][0]
            answers.append(self._record(owner, CNAME, target))
            owner = target.lower()
        answers += [
            self._record(owner, qtype, value) for value in ZONE.get((owner, qtype), [])
        ]
        known = any(zone_name == name for zone_name, _ in ZONE)
        rcode = RCODES.get(name, NOERROR if known else NXDOMAIN)

        header = struct.pack(
            "!HHHHHH",
            query_id,
            0x8400 | (flags & 0x0100) | rcode,
            1,
            len(answers),
            0,
            0,
        )
        assert self.transport is not None
        self.transport.sendto(header + question + b"".join(answers), addr)

    @staticmethod
    def _record(owner: str, qtype: int, value: Any) -> bytes:
        data = rdata(qtype, value)
        return encode_name(owner) + struct.pack("!HHIH", qtype, 1, 60, len(data)) + data


@pytest.fixture
async def responder() -> AsyncIterator[tuple[Responder, str]]:
    """Start the responder on a free UDP port; return it and its resolver string."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        Responder, local_addr=("127.0.0.1", 0)
    )
    port = transport.get_extra_info("sockname")[1]
    yield protocol, f"127.0.0.1:{port}"
    transport.close()


def free_udp_port() -> int:
    """Return a loopback UDP port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def check(
    resolver: str, hostname: str, record_type: str = "A", expected: str | None = None
) -> ProbeOutcome:
    """Run the probe against ``resolver``."""
    settings = DnsSettings(
        hostname=hostname, record_type=record_type, expected=expected, resolver=resolver
    )
    return await probe(settings, TIMEOUT)


# --- lookups ---------------------------------------------------------------------


async def test_a_record(responder: tuple[Responder, str]) -> None:
    server, resolver = responder
    outcome = await check(resolver, "example.test")

    assert outcome.success
    assert outcome.error is None
    assert outcome.response_time_ms is not None
    assert 0 < outcome.response_time_ms < 1000
    # The query went to our port, not to the system resolver.
    assert server.questions == [("example.test", A)]


@pytest.mark.parametrize(
    ("hostname", "record_type", "expected"),
    [
        ("example.test", "A", "10.0.0.1"),
        ("many.example.test", "A", "10.0.0.2"),
        ("example.test", "AAAA", "2001:DB8:0::1"),
        ("www.example.test", "CNAME", "example.test."),
        ("www.example.test", "A", "10.0.0.1"),
        ("example.test", "MX", "mail.example.test"),
        ("example.test", "MX", "BACKUP.example.test."),
        ("example.test", "TXT", "v=spf1 -all"),
        ("example.test", "TXT", "google-site-verification=abc"),
    ],
)
async def test_expected_value_matches(
    responder: tuple[Responder, str], hostname: str, record_type: str, expected: str
) -> None:
    outcome = await check(responder[1], hostname, record_type, expected)

    assert outcome.success, outcome.error


@pytest.mark.parametrize(
    ("hostname", "record_type", "expected", "error"),
    [
        ("example.test", "A", "10.0.0.5", "Expected 10.0.0.5, got 10.0.0.1"),
        (
            "many.example.test",
            "A",
            "10.0.0.9",
            "Expected 10.0.0.9, got 10.0.0.1, 10.0.0.2",
        ),
        (
            "example.test",
            "AAAA",
            "2001:db8::2",
            "Expected 2001:db8::2, got 2001:db8::1",
        ),
        (
            "www.example.test",
            "CNAME",
            "other.test",
            "Expected other.test, got Example.Test",
        ),
        # TXT values are compared exactly: case matters in tokens.
        (
            "example.test",
            "TXT",
            "V=SPF1 -ALL",
            "Expected V=SPF1 -ALL, got v=spf1 -all, google-site-verification=abc",
        ),
    ],
)
async def test_expected_value_differs(
    responder: tuple[Responder, str],
    hostname: str,
    record_type: str,
    expected: str,
    error: str,
) -> None:
    outcome = await check(responder[1], hostname, record_type, expected)

    assert not outcome.success
    assert outcome.error == error
    assert outcome.response_time_ms is not None


async def test_a_query_through_cname_ignores_the_cname(
    responder: tuple[Responder, str],
) -> None:
    # The answer holds the CNAME hop and the A record; only the A counts.
    outcome = await check(responder[1], "www.example.test", "A", "example.test")

    assert outcome.error == "Expected example.test, got 10.0.0.1"


async def test_nxdomain(responder: tuple[Responder, str]) -> None:
    outcome = await check(responder[1], "missing.test")

    assert not outcome.success
    assert outcome.error == "missing.test does not exist (NXDOMAIN)"


async def test_no_record_of_that_type(responder: tuple[Responder, str]) -> None:
    outcome = await check(responder[1], "nodata.example.test", "AAAA")

    assert not outcome.success
    assert outcome.error == "No AAAA record for nodata.example.test"


async def test_answer_without_the_record_type(responder: tuple[Responder, str]) -> None:
    outcome = await check(responder[1], "dangling.example.test", "A")

    assert not outcome.success
    assert outcome.error == "No A record for dangling.example.test"
    assert outcome.response_time_ms is not None


async def test_cname_query_on_a_plain_name(responder: tuple[Responder, str]) -> None:
    outcome = await check(responder[1], "example.test", "CNAME")

    assert outcome.error == "No CNAME record for example.test"


@pytest.mark.parametrize(
    ("hostname", "error"),
    [
        ("servfail.test", "DNS server failed (SERVFAIL)"),
        ("refused.test", "DNS server refused the query"),
    ],
)
async def test_server_errors(
    responder: tuple[Responder, str], hostname: str, error: str
) -> None:
    outcome = await check(responder[1], hostname)

    assert not outcome.success
    assert outcome.error == error


async def test_other_dns_errors(responder: tuple[Responder, str]) -> None:
    outcome = await check(responder[1], "formerr.test")

    assert not outcome.success
    assert outcome.error is not None
    assert outcome.error.startswith("DNS error: ")


async def test_bad_name() -> None:
    outcome = await check(f"127.0.0.1:{free_udp_port()}", "a..b")

    assert outcome.error == "Invalid host name a..b"


async def test_nothing_listening() -> None:
    outcome = await check(f"127.0.0.1:{free_udp_port()}", "example.test")

    assert not outcome.success
    assert outcome.error == "DNS server did not answer"


async def test_server_stays_silent(responder: tuple[Responder, str]) -> None:
    settings = DnsSettings(hostname=SILENT, resolver=responder[1])
    outcome = await probe(settings, 0.4)

    assert outcome.error == "DNS server did not answer"
    # Asked again within the time given rather than once.
    assert len(responder[0].questions) >= 2


async def test_cancellation_propagates(responder: tuple[Responder, str]) -> None:
    task = asyncio.create_task(
        probe(DnsSettings(hostname=SILENT, resolver=responder[1]), 5)
    )
    await asyncio.sleep(0.05)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


async def test_ipv6_resolver() -> None:
    loop = asyncio.get_running_loop()
    try:
        transport, _ = await loop.create_datagram_endpoint(
            Responder, local_addr=("::1", 0)
        )
    except OSError:
        pytest.skip("no IPv6 loopback here")
    port = transport.get_extra_info("sockname")[1]
    try:
        outcome = await check(f"[::1]:{port}", "example.test", "A", "10.0.0.1")
    finally:
        transport.close()

    assert outcome.success, outcome.error


# --- settings and validation -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("9.9.9.9", ("9.9.9.9", 53)),
        (" 127.0.0.1:5353 ", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("2001:DB8::1", ("2001:db8::1", 53)),
        ("[::1]", ("::1", 53)),
        ("[2001:db8::1]:5353", ("2001:db8::1", 5353)),
    ],
)
def test_parse_resolver(text: str, parsed: tuple[str, int]) -> None:
    assert parse_resolver(text) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "dns.google",
        "1.2.3.4:0",
        "1.2.3.4:65536",
        "1.2.3.4:x",
        "1.2.3.4:",
        "[::1",
        "[::1]53",
        "[::1]:",
        "[nas]:53",
        "300.1.1.1",
    ],
)
def test_parse_resolver_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"resolver|address"):
        parse_resolver(text)


def test_settings_from_mapping() -> None:
    settings = DnsSettings.from_mapping(
        {
            "hostname": " example.test ",
            "record_type": "mx",
            "expected": " mail.example.test ",
            "resolver": "[::1]:5353",
        }
    )

    assert settings == DnsSettings(
        hostname="example.test",
        record_type="MX",
        expected="mail.example.test",
        resolver="[::1]:5353",
    )
    assert DnsSettings.from_mapping(
        {"hostname": "example.test", "expected": "", "resolver": " "}
    ) == (DnsSettings(hostname="example.test"))
    with pytest.raises(ValueError, match="record_type"):
        DnsSettings.from_mapping({"hostname": "example.test", "record_type": "SRV"})
    with pytest.raises(ValueError, match="resolver"):
        DnsSettings.from_mapping({"hostname": "example.test", "resolver": "1.1.1.1:0"})


@pytest.mark.parametrize(
    "data",
    [
        {"hostname": "example.test"},
        {"hostname": "example.test.", "record_type": "aaaa", "expected": "2001:db8::1"},
        {
            "hostname": "_dmarc.example.test",
            "record_type": "TXT",
            "expected": "v=DMARC1; p=none",
        },
        {
            "hostname": "example.test",
            "record_type": "MX",
            "expected": "mail.example.test.",
        },
        {
            "hostname": "www.example.test",
            "record_type": "CNAME",
            "resolver": "[::1]:53",
        },
        {
            "hostname": "example.test",
            "record_type": None,
            "expected": "10.0.0.1",
            "resolver": "1.1.1.1",
        },
        {"hostname": "example.test", "resolver": "", "expected": " "},
    ],
)
def test_validate_accepts(data: dict[str, Any]) -> None:
    assert kind_errors(TargetKind.DNS, data) == {}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"hostname": "invalid_host"}),
        ({"hostname": ""}, {"hostname": "invalid_host"}),
        ({"hostname": "bad name.test"}, {"hostname": "invalid_host"}),
        ({"hostname": "10.0.0.1"}, {"hostname": "invalid_host"}),
        (
            {"hostname": "example.test", "record_type": "SRV"},
            {"record_type": "invalid_record_type"},
        ),
        (
            {"hostname": "example.test", "record_type": 1},
            {"record_type": "invalid_record_type"},
        ),
        (
            {"hostname": "example.test", "resolver": "dns.google"},
            {"resolver": "invalid_resolver"},
        ),
        (
            {"hostname": "example.test", "resolver": "1.1.1.1:99999"},
            {"resolver": "invalid_resolver"},
        ),
        (
            {"hostname": "example.test", "expected": "2001:db8::1"},
            {"expected": "invalid_expected"},
        ),
        (
            {"hostname": "example.test", "expected": "nas.lan"},
            {"expected": "invalid_expected"},
        ),
        (
            {"hostname": "example.test", "record_type": "AAAA", "expected": "10.0.0.1"},
            {"expected": "invalid_expected"},
        ),
        (
            {"hostname": "example.test", "record_type": "MX", "expected": "not a host"},
            {"expected": "invalid_expected"},
        ),
        # The expected value is only judged against a known record type.
        (
            {"hostname": "example.test", "record_type": "SRV", "expected": "x y"},
            {"record_type": "invalid_record_type"},
        ),
    ],
)
def test_validate_rejects(data: dict[str, Any], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.DNS, data) == errors
