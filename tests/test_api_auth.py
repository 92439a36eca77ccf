"""API authentication, rate limits and key usage, as the contract states them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import hashlib
from http import HTTPStatus
import json
import logging
import re
from typing import Any

from aiohttp.test_utils import TestClient, make_mocked_request
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryDataWithId
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api.base import ApiError, authenticate
from custom_components.pialert.api.keys import Scope
from custom_components.pialert.api.limits import WindowLimiter, client_key
from custom_components.pialert.api.state import KEYS_STORAGE_KEY
from custom_components.pialert.const import DOMAIN, HUB_TITLE, SUBENTRY_TYPE_TARGET
from custom_components.pialert.coordinator import PiAlertCoordinator

URL = "/api/v1/alert-status"
MISSING = {"detail": "Missing API key in x-api-key header"}
INVALID = {"detail": "Invalid or disabled API key"}
RATE_LIMITED = re.compile(r"Rate limit exceeded\. Try again in (\d+) seconds\.")
AUTH_LIMITED = re.compile(
    r"Too many failed authentication attempts\. Try again in (\d+) seconds\."
)


@pytest.fixture
async def hub(hass: HomeAssistant) -> MockConfigEntry:
    """A loaded hub with one heartbeat target."""
    return await set_up_hub(hass)


async def set_up_hub(hass: HomeAssistant) -> MockConfigEntry:
    """Set up a hub with one heartbeat target."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=HUB_TITLE,
        data={},
        subentries_data=[
            ConfigSubentryDataWithId(
                data={
                    "kind": "heartbeat",
                    "name": "Backup",
                    "period": 3600,
                    "grace": 60,
                    "token": "backup-token-0123456789abcdef",
                },
                subentry_type=SUBENTRY_TYPE_TARGET,
                title="Backup",
                unique_id=None,
                subentry_id="backup",
            )
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@pytest.fixture
def coordinator(hub: MockConfigEntry) -> PiAlertCoordinator:
    """The hub's coordinator."""
    return hub.runtime_data  # type: ignore[no-any-return]


@pytest.fixture
async def client(
    hub: MockConfigEntry, hass_client_no_auth: ClientSessionGenerator
) -> TestClient:
    """An HTTP client without Home Assistant credentials."""
    return await hass_client_no_auth()


async def create_key(hass: HomeAssistant, name: str, **fields: Any) -> dict[str, Any]:
    """Create a key through the service, as users do."""
    response = await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": name, **fields},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)


async def get(client: TestClient, key: str | None = None) -> tuple[int, Any, Any]:
    """GET the alert status; return status, JSON body and headers."""
    headers = {"x-api-key": key} if key is not None else {}
    response = await client.get(URL, headers=headers)
    assert response.content_type == "application/json"
    return response.status, await response.json(), response.headers


async def test_missing_key(hass: HomeAssistant, client: TestClient) -> None:
    """No key at all: 401 with the contract's detail."""
    status, body, _ = await get(client)
    assert status == HTTPStatus.UNAUTHORIZED
    assert body == MISSING

    # A blank header or a non-bearer Authorization is no key either.
    for headers in ({"x-api-key": "  "}, {"Authorization": "Basic abc"}):
        response = await client.get(URL, headers=headers)
        assert response.status == HTTPStatus.UNAUTHORIZED
        assert await response.json() == MISSING


async def test_wrong_and_disabled_key(hass: HomeAssistant, client: TestClient) -> None:
    """A wrong key and a disabled key get the same 401; enabling restores it."""
    created = await create_key(hass, "Relay")

    status, body, _ = await get(client, "pa_not-a-key")
    assert status == HTTPStatus.UNAUTHORIZED
    assert body == INVALID
    # One character off is no better.
    status, body, _ = await get(client, created["key"][:-1] + "x")
    assert (status, body) == (HTTPStatus.UNAUTHORIZED, INVALID)

    await hass.services.async_call(
        DOMAIN, "disable_api_key", {"key_id": "Relay"}, blocking=True
    )
    status, body, _ = await get(client, created["key"])
    assert status == HTTPStatus.UNAUTHORIZED
    assert body == INVALID

    await hass.services.async_call(
        DOMAIN, "enable_api_key", {"key_id": created["id"]}, blocking=True
    )
    status, body, _ = await get(client, created["key"])
    assert status == HTTPStatus.OK
    assert body["alert"] is False

    await hass.services.async_call(
        DOMAIN, "delete_api_key", {"key_id": created["id"]}, blocking=True
    )
    status, body, _ = await get(client, created["key"])
    assert (status, body) == (HTTPStatus.UNAUTHORIZED, INVALID)


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
    assert coordinator.api.keys.listing()[0].usage_count == 0

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


def mocked_request(hass: HomeAssistant, headers: dict[str, str]) -> Any:
    """Return a request to a write endpoint, as aiohttp would hand it over."""
    return make_mocked_request(
        "POST", "/api/pialert/v1/silences", headers=headers, app=hass.http.app
    )


async def test_read_key_on_write_scope_is_forbidden(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """A read key cannot call write endpoints: 403 with a clear detail."""
    read = (await create_key(hass, "Reader"))["key"]
    write = (await create_key(hass, "Writer", scope="write"))["key"]

    with pytest.raises(ApiError) as err:
        authenticate(mocked_request(hass, {"x-api-key": read}), Scope.WRITE)
    assert err.value.status == HTTPStatus.FORBIDDEN
    assert "read-only" in err.value.detail
    assert "write scope" in err.value.detail
    response = err.value.response()
    assert response.status == HTTPStatus.FORBIDDEN
    assert json.loads(response.body) == {"detail": err.value.detail}

    found, key = authenticate(mocked_request(hass, {"x-api-key": write}), Scope.WRITE)
    assert found is coordinator
    assert key.name == "Writer"
    # Both scopes may read.
    for plaintext in (read, write):
        authenticate(mocked_request(hass, {"x-api-key": plaintext}), Scope.READ)


async def test_read_key_on_write_endpoint_over_http(
    hass: HomeAssistant, client: TestClient
) -> None:
    """Where a write endpoint is served, a read key gets its 403 as JSON."""
    routes = {
        (route.method, route.resource.canonical)
        for route in hass.http.app.router.routes()
        if route.resource is not None
    }
    if ("POST", "/api/pialert/v1/silences") not in routes:
        pytest.skip("no write endpoint is served yet; authenticate() is tested above")
    read = (await create_key(hass, "Reader"))["key"]
    response = await client.post(
        "/api/pialert/v1/silences", headers={"x-api-key": read}, json={}
    )
    assert response.status == HTTPStatus.FORBIDDEN
    assert "read-only" in (await response.json())["detail"]


async def test_usage_is_counted_and_saved_debounced(
    hass: HomeAssistant,
    client: TestClient,
    coordinator: PiAlertCoordinator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Last used and usage count grow per request; disk sees them 10 s after first use."""
    caplog.set_level(logging.DEBUG)
    created = await create_key(hass, "Relay")
    plaintext, key_id = created["key"], created["id"]
    # (The clock is frozen: run the save that is due "now" by hand.)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    # A new key is saved at once: as a SHA-256 hash, never as the key.
    stored = hass_storage[KEYS_STORAGE_KEY]["data"]["keys"]
    assert len(stored) == 1
    assert stored[0]["key_hash"] == hashlib.sha256(plaintext.encode()).hexdigest()
    assert stored[0]["usage_count"] == 0
    assert stored[0]["last_used_at"] is None
    assert plaintext not in json.dumps(hass_storage)
    assert coordinator.api.keys.current(key_id).usage_count == 0

    first_use = coordinator.now()
    for _ in range(3):
        status, _, _ = await get(client, plaintext)
        assert status == HTTPStatus.OK
    freezer.tick(timedelta(seconds=5))
    status, _, _ = await get(client, plaintext)
    assert status == HTTPStatus.OK
    current = coordinator.api.keys.current(key_id)
    assert current.usage_count == 4
    assert current.last_used_at == first_use + timedelta(seconds=5)

    # Failed requests are no use of the key.
    await get(client, plaintext + "x")
    assert coordinator.api.keys.current(key_id).usage_count == 4

    # Not written per request...
    freezer.tick(timedelta(seconds=4))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    stored = hass_storage[KEYS_STORAGE_KEY]["data"]["keys"][0]
    assert stored["usage_count"] == 0
    assert stored["last_used_at"] is None

    # ...but within USAGE_SAVE_DELAY (10 s) of the first use: a crash loses
    # at most that much usage.
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    stored = hass_storage[KEYS_STORAGE_KEY]["data"]["keys"][0]
    assert stored["usage_count"] == 4
    assert stored["last_used_at"] == current.last_used_at.isoformat()
    assert stored["key_hash"] == hashlib.sha256(plaintext.encode()).hexdigest()

    # The count keeps growing from there.
    status, _, _ = await get(client, plaintext)
    assert status == HTTPStatus.OK
    assert coordinator.api.keys.current(key_id).usage_count == 5
    listed = await hass.services.async_call(
        DOMAIN, "list_api_keys", {}, blocking=True, return_response=True
    )
    assert listed is not None
    assert listed["keys"][0]["usage_count"] == 5

    # Unloading writes what is pending.
    assert await hass.config_entries.async_unload(coordinator.config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[KEYS_STORAGE_KEY]["data"]["keys"][0]["usage_count"] == 5

    assert plaintext not in json.dumps(hass_storage)
    assert plaintext not in caplog.text
    assert plaintext[3:] not in caplog.text


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
    """The hub's failed-auth limiter is created with a bound."""
    limiter = coordinator.api.auth_limiter
    assert limiter._max_names is not None
    assert limiter._max_names <= 100_000


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
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
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
    await set_up_hub(hass)
    client = await hass_client_no_auth()
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
