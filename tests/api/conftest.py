"""Fixtures for the API tests: a hub with push-only targets, keys, a client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import ClientResponse
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api.base import API_PREFIX
from custom_components.pialert.api.keys import Scope
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import CheckResult

from ..conftest import SetupHub

TOKEN = "hb-token_0123456789abcdefghijklmnopqrstuvwxyzABCD"

BACKUP = {
    "id": "backup",
    "kind": "heartbeat",
    "name": "Backup job",
    "period": 3600,
    "grace": 300,
    "token": TOKEN,
    "tags": ["nightly"],
}
CPU = {
    "id": "cpu",
    "kind": "entity",
    "name": "CPU load",
    "entity_id": "sensor.cpu",
    "condition": "above",
    "value": "80",
    "tags": ["hardware"],
}
DOOR = {
    "id": "door",
    "kind": "entity",
    "name": "Door",
    "entity_id": "binary_sensor.door",
    "condition": "equals",
    "value": "on",
    "depends_on": "cpu",
    "failure_threshold": 2,
}
PAUSED = {
    "id": "paused",
    "kind": "heartbeat",
    "name": "Archive",
    "period": 86400,
    "grace": 600,
    "token": "paused-token_0123456789abcdefghijklmnopqrstuvw",
    "enabled": False,
}
TARGETS = (BACKUP, CPU, DOOR, PAUSED)


@dataclass
class Hub:
    """The set-up hub, its keys and an HTTP client."""

    hass: HomeAssistant
    entry: MockConfigEntry
    client: Any
    read_key: str
    write_key: str

    @property
    def coordinator(self) -> PiAlertCoordinator:
        """Return the hub's coordinator."""
        coordinator: PiAlertCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    async def request(
        self,
        method: str,
        path: str,
        *,
        key: str | None = "write",
        **kwargs: Any,
    ) -> ClientResponse:
        """Send a request; ``key`` is "read", "write", a literal key or None."""
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            plain = {"read": self.read_key, "write": self.write_key}.get(key, key)
            headers["x-api-key"] = plain
        url = path if path.startswith("/api/") else API_PREFIX + path
        response: ClientResponse = await self.client.request(
            method, url, headers=headers, **kwargs
        )
        return response

    async def json(
        self, method: str, path: str, status: int = 200, **kwargs: Any
    ) -> Any:
        """Send a request, check the status and return the JSON body."""
        response = await self.request(method, path, **kwargs)
        body = await response.json()
        assert response.status == status, body
        return body

    async def error(self, method: str, path: str, status: int, **kwargs: Any) -> str:
        """Send a request that must fail; return its detail."""
        response = await self.request(method, path, **kwargs)
        assert response.status == status, await response.text()
        body = await response.json()
        assert set(body) == {"detail"}
        detail: str = body["detail"]
        return detail

    def record(
        self, target_id: str, success: bool, at: datetime | None = None, **extra: Any
    ) -> None:
        """Fold a check result into the engine."""
        coordinator = self.coordinator
        coordinator.async_record(
            target_id,
            CheckResult(
                success=success,
                checked_at=at or coordinator.now(),
                error=None if success else extra.pop("error", "boom"),
                **extra,
            ),
        )

    async def settle(self) -> None:
        """Let listeners and publishing run."""
        await self.hass.async_block_till_done()


type MakeHub = Callable[..., Awaitable[Hub]]


@pytest.fixture
def make_hub(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
) -> MakeHub:
    """Return a function setting up a hub with targets, keys and a client."""

    async def _make(*targets: dict[str, Any], keys: bool = True) -> Hub:
        """Set up the hub; ``keys=False`` leaves it without API keys."""
        hass.states.async_set("sensor.cpu", "20")
        hass.states.async_set("binary_sensor.door", "off")
        entry = await setup_hub(*targets)
        client = await hass_client_no_auth()
        if not keys:
            return Hub(hass, entry, client, read_key="", write_key="")
        coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
        now = coordinator.now()
        key_ring = entry.runtime_data.api.keys
        _, read_key = key_ring.create("Reader", Scope.READ, now, rate_limit=100_000)
        _, write_key = key_ring.create("Writer", Scope.WRITE, now, rate_limit=100_000)
        return Hub(hass, entry, client, read_key, write_key)

    return _make


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """Return the API hub's targets; a test module overrides it where they differ."""
    return TARGETS


@pytest.fixture
async def hub(make_hub: MakeHub, hub_targets: tuple[dict[str, Any], ...]) -> Hub:
    """Return a hub with these targets, API keys and a client."""
    return await make_hub(*hub_targets)


@pytest.fixture
async def keyless_hub(make_hub: MakeHub) -> Hub:
    """Return a hub with one heartbeat target and no API keys: tests make theirs."""
    return await make_hub(BACKUP, keys=False)
