"""API rate limits: per key, and failed authentications per client."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from http import HTTPStatus
import json
import re
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest

from custom_components.pialert.api.limits import WindowLimiter, client_key
from custom_components.pialert.coordinator import PiAlertCoordinator

from .conftest import BACKUP, Hub, MakeHub
from .test_auth import INVALID, MISSING, URL, create_key, get

RATE_LIMITED = re.compile(r"Rate limit exceeded\. Try again in (\d+) seconds\.")
AUTH_LIMITED = re.compile(
    r"Too many failed authentication attempts\. Try again in (\d+) seconds\."
)


@pytest.fixture
def client(keyless_hub: Hub) -> TestClient:
    """An HTTP client without Home Assistant credentials."""
    return keyless_hub.client  # type: ignore[no-any-return]


@pytest.fixture
def coordinator(keyless_hub: Hub) -> PiAlertCoordinator:
    """The hub's coordinator."""
    return keyless_hub.coordinator


def retry_after(body: dict[str, Any], headers: Any, pattern: re.Pattern[str]) -> int:
    """Return N from a 429: the detail and Retry-After must agree."""
    match = pattern.fullmatch(body["detail"])
    assert match is not None, body
    assert body == {"detail": body["detail"]}
    assert headers["Retry-After"] == match.group(1)
    return int(match.group(1))


async def test_rate_limit_120_per_minute_and_retry_after_is_truthful(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """120 requests a minute; the 121st waits exactly as long as it is told."""
    key = (await create_key(hass, "Poller"))["key"]
    other = (await create_key(hass, "Other"))["key"]

    status, _, _ = await get(client, key)
    assert status == HTTPStatus.OK
    freezer.tick(timedelta(seconds=20))
    for _ in range(119):
        status, _, _ = await get(client, key)
        assert status == HTTPStatus.OK

    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    wait = retry_after(body, headers, RATE_LIMITED)
    assert wait == 40  # the window opened 20 s ago

    # The limit is per key: another key is served.
    status, _, _ = await get(client, other)
    assert status == HTTPStatus.OK

    # One second short of the promise: still limited, and told the rest.
    freezer.tick(timedelta(seconds=wait - 1))
    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    assert retry_after(body, headers, RATE_LIMITED) == 1

    # Waiting as long as told is enough.
    freezer.tick(timedelta(seconds=1))
    for _ in range(120):
        status, _, _ = await get(client, key)
        assert status == HTTPStatus.OK
    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    assert retry_after(body, headers, RATE_LIMITED) == 60


async def test_per_key_rate_limit(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """A key created with rate_limit=5 gets five requests a minute."""
    created = await create_key(hass, "Slow", rate_limit=5)
    assert created["rate_limit_per_minute"] == 5
    for _ in range(5):
        status, _, _ = await get(client, created["key"])
        assert status == HTTPStatus.OK
    status, body, headers = await get(client, created["key"])
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    wait = retry_after(body, headers, RATE_LIMITED)
    assert wait == 60

    freezer.tick(timedelta(seconds=wait))
    status, _, _ = await get(client, created["key"])
    assert status == HTTPStatus.OK


async def test_failed_auth_limit_per_address(
    hass: HomeAssistant,
    client: TestClient,
    coordinator: PiAlertCoordinator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ten failed authentications a minute, then even a good key waits."""
    key = (await create_key(hass, "Relay"))["key"]

    for attempt in range(10):
        status, body, _ = await get(client, f"pa_guess-{attempt}")
        assert (status, body) == (HTTPStatus.UNAUTHORIZED, INVALID)
        freezer.tick(timedelta(seconds=1))

    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    wait = retry_after(body, headers, AUTH_LIMITED)
    assert wait == 50  # ten seconds went by since the first failure
    # Missing keys are refused the same while the address is blocked.
    status, body, headers = await get(client)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    assert retry_after(body, headers, AUTH_LIMITED) == wait
    # A blocked request is not counted as a use of the key.
    assert coordinator.config_entry.runtime_data.api.keys.listing()[0].usage_count == 0

    freezer.tick(timedelta(seconds=wait - 1))
    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    assert retry_after(body, headers, AUTH_LIMITED) == 1

    freezer.tick(timedelta(seconds=1))
    status, body, _ = await get(client, key)
    assert status == HTTPStatus.OK
    assert body["alert"] is False


async def test_missing_keys_do_not_count_as_failed_auth(
    hass: HomeAssistant, client: TestClient
) -> None:
    """Forgetting the header is a mistake, not a guess: it is not throttled."""
    key = (await create_key(hass, "Relay"))["key"]
    for _ in range(15):
        status, body, _ = await get(client)
        assert (status, body) == (HTTPStatus.UNAUTHORIZED, MISSING)
    status, _, _ = await get(client, key)
    assert status == HTTPStatus.OK


def test_auth_limiter_memory_is_bounded() -> None:
    """A flood from 100,000 addresses keeps at most max_names windows."""
    now = [0.0]
    limiter = WindowLimiter(max_names=1000, clock=lambda: now[0])
    for n in range(100_000):
        limiter.hit(f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}", 10)
        assert len(limiter) <= 1000
    assert len(limiter) == 1000
    # The newest addresses are the ones still tracked.
    assert limiter.retry_after("10.1.134.159", 1) == 60

    # After the window, the next event sweeps every expired window away.
    now[0] += 60
    limiter.hit("192.0.2.1", 10)
    assert len(limiter) == 1
    limiter.forget("192.0.2.1")
    assert len(limiter) == 0


def test_hub_limiters_are_bounded(coordinator: PiAlertCoordinator) -> None:
    """The hub's failed-auth limiter tracks at most 100,000 clients."""
    limiter = coordinator.config_entry.runtime_data.api.auth_limiter
    for n in range(100_001):
        limiter.hit(f"2001:db8::{n:x}", 10)
    assert 0 < len(limiter) <= 100_000


async def raw_get(client: TestClient, header: bytes) -> tuple[int, bytes, bytes]:
    """Send one header line as raw bytes (clients refuse non-ASCII ones)."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(
        b"GET "
        + URL.encode()
        + b" HTTP/1.1\r\nHost: localhost\r\n"
        + header
        + b"\r\nConnection: close\r\n\r\n"
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head, body


@pytest.mark.parametrize(
    "header",
    [
        b"x-api-key: pa_\xff\xfe-not-utf8",
        b"x-api-key: \xc3\xa9t\xc3\xa9",  # valid UTF-8, still no key
        # Home Assistant's own auth middleware reads every bearer token first
        # and fails on non-UTF-8 ones before PiAlert sees them (a core issue);
        # a non-ASCII one it lets through reaches PiAlert as a wrong key.
        b"Authorization: Bearer pa_\xc3\xa9t\xc3\xa9",
    ],
)
async def test_non_ascii_key_is_an_invalid_key_and_throttled(
    hass: HomeAssistant,
    client: TestClient,
    coordinator: PiAlertCoordinator,
    header: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bytes that are not a key's answer 401 and count as failed attempts."""
    key = (await create_key(hass, "Relay"))["key"]
    for _ in range(10):
        status, head, body = await raw_get(client, header)
        assert status == HTTPStatus.UNAUTHORIZED, body
        assert b"application/json" in head
        assert json.loads(body) == INVALID
    assert "Traceback" not in caplog.text
    # The eleventh attempt, even with a good key, waits: they were counted.
    status, body, headers = await get(client, key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS
    assert retry_after(body, headers, AUTH_LIMITED) == 60


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::1", "::/64"),
        (None, "unknown"),
        ("", "unknown"),
        ("not-an-ip", "not-an-ip"),
    ],
)
def test_client_key(address: str | None, expected: str) -> None:
    """IPv4 by address, IPv6 by its /64, IPv4-mapped IPv6 as IPv4."""
    assert client_key(address) == expected


async def test_failed_auth_limit_counts_an_ipv6_64_as_one_client(
    hass: HomeAssistant, make_hub: MakeHub
) -> None:
    """Ten addresses of one /64 share ten failures; another /64 is not blocked.

    Home Assistant behind a trusted reverse proxy takes the client address from
    X-Forwarded-For, which lets one loopback test speak for many IPv6 clients.
    """
    assert await async_setup_component(
        hass,
        "http",
        {"http": {"use_x_forwarded_for": True, "trusted_proxies": ["127.0.0.1"]}},
    )
    client = (await make_hub(BACKUP, keys=False)).client
    key = (await create_key(hass, "Relay"))["key"]

    async def get_from(address: str, api_key: str) -> tuple[int, Any]:
        response = await client.get(
            URL, headers={"x-api-key": api_key, "X-Forwarded-For": address}
        )
        return response.status, await response.json()

    for n in range(1, 11):
        status, body = await get_from(f"2001:db8:1:2::{n:x}", f"pa_guess-{n}")
        assert (status, body) == (HTTPStatus.UNAUTHORIZED, INVALID)
    # A fresh address of the same /64 is the same client: blocked.
    status, body = await get_from("2001:db8:1:2:ffff::1", key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS, body
    # Another /64 and an IPv4 client are not.
    assert (await get_from("2001:db8:1:3::1", key))[0] == HTTPStatus.OK
    assert (await get_from("192.0.2.7", key))[0] == HTTPStatus.OK
    # An IPv4-mapped IPv6 address is that IPv4 client.
    for n in range(10):
        await get_from("::ffff:192.0.2.9", f"pa_guess-{n}")
    status, body = await get_from("192.0.2.9", key)
    assert status == HTTPStatus.TOO_MANY_REQUESTS, body


# --- WindowLimiter -------------------------------------------------------------


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        """Start at an arbitrary point."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the time."""
        return self.now


def test_limiter_fixed_window() -> None:
    """``limit`` events per window; the window opens with its first event."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    assert limiter.retry_after("a", 3) is None
    for _ in range(3):
        assert limiter.hit("a", 3) is None
        clock.now += 10
    # Window opened at 1000, now 1030: 30 s left, and refusals do not extend it.
    assert limiter.retry_after("a", 3) == 30
    assert limiter.hit("a", 3) == 30
    clock.now += 29.5
    assert limiter.hit("a", 3) == 1  # never 0: round up
    assert limiter.retry_after("a", 3) == 1
    clock.now += 0.5
    # Exactly when promised, a new window opens.
    assert limiter.retry_after("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) == 60


def test_limiter_names_are_independent() -> None:
    """Each name has its own window."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    assert limiter.hit("a", 1) is None
    clock.now += 15
    assert limiter.hit("b", 1) is None
    assert limiter.hit("a", 1) == 45
    assert limiter.hit("b", 1) == 60
    assert len(limiter) == 2


def test_limiter_retry_after_does_not_count() -> None:
    """retry_after only looks; a limit of zero refuses the first event."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    for _ in range(5):
        assert limiter.retry_after("a", 1) is None
    assert len(limiter) == 0
    assert limiter.hit("a", 1) is None
    assert limiter.hit("z", 0) == 60


def test_limiter_evicts_expired_windows() -> None:
    """Expired windows go at the next event; the bound drops the oldest."""
    clock = Clock()
    limiter = WindowLimiter(max_names=3, clock=clock)
    for name in "abc":
        limiter.hit(name, 1)
        clock.now += 1
    limiter.hit("d", 1)
    assert len(limiter) == 3
    assert limiter.retry_after("a", 1) is None  # the oldest was dropped
    assert limiter.retry_after("d", 1) == 60
    # Hitting a tracked name drops nothing.
    limiter.hit("d", 5)
    assert len(limiter) == 3
    assert limiter.retry_after("b", 1) is not None

    clock.now += 60
    limiter.hit("e", 1)
    assert len(limiter) == 1


def test_limiter_forget() -> None:
    """forget() drops a name's window; unknown names are fine."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    limiter.hit("a", 1)
    assert limiter.hit("a", 1) == 60
    limiter.forget("a")
    limiter.forget("never-seen")
    assert len(limiter) == 0
    assert limiter.hit("a", 1) is None


def test_limiter_default_clock_is_monotonic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a clock of its own the limiter reads time.monotonic at call time."""
    now = [500.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    limiter = WindowLimiter()
    limiter.hit("a", 1)
    now[0] += 20
    assert limiter.hit("a", 1) == 40


def test_limiter_forgets_expired_windows_on_any_lookup() -> None:
    """After a flood, the next lookup (not only a new failure) frees memory."""
    now = [0.0]
    limiter = WindowLimiter(max_names=1_000, clock=lambda: now[0])
    for address in range(5_000):
        limiter.hit(f"10.0.{address // 256}.{address % 256}", 10)
    assert len(limiter) == 1_000
    now[0] += 61
    assert limiter.retry_after("192.0.2.1", 10) is None
    assert len(limiter) == 0
