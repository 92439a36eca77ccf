"""Live events for clients outside Home Assistant: SSE and WebSocket, with real keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from http import HTTPStatus
import json
import logging
import socket
from typing import Any

from aiohttp import ClientResponse, WSMsgType
import pytest

from custom_components.pialert.api.base import API_PREFIX
from custom_components.pialert.api.live import (
    MAX_STREAMS_PER_KEY,
    QUEUE_SIZE,
    live_events,
)

from .conftest import Hub

EVENTS = f"{API_PREFIX}/events"
WS = f"{API_PREFIX}/ws"


async def sse_events(response: ClientResponse) -> AsyncIterator[tuple[str, Any]]:
    """Yield (event, data) of a Server-Sent Events stream (comments skipped)."""
    while True:
        block = (await response.content.readuntil(b"\n\n")).decode()
        fields = dict(
            line.split(": ", 1) for line in block.strip().splitlines() if ": " in line
        )
        if "event" in fields:
            yield fields["event"], json.loads(fields["data"])


async def next_events(
    stream: AsyncIterator[tuple[str, Any]], count: int
) -> list[tuple[str, Any]]:
    """Return the stream's next ``count`` events (bounded in time)."""
    async with asyncio.timeout(10):
        return [await anext(stream) for _ in range(count)]


async def cpu_goes_down(hub: Hub) -> None:
    """Make the CPU target fail (its threshold is one failure)."""
    hub.hass.states.async_set("sensor.cpu", "95")
    await hub.settle()


async def test_sse_needs_a_valid_key(hub: Hub) -> None:
    """Missing and wrong keys are refused as for every endpoint."""
    assert await hub.error("GET", EVENTS, 401, key=None) == (
        "Missing API key in x-api-key header"
    )
    assert await hub.error("GET", EVENTS, 401, key="pa_not_a_key") == (
        "Invalid or disabled API key"
    )
    assert await hub.error("GET", EVENTS + "?subscribe=monitor.nope", 400) == (
        "Unknown channel monitor.nope: expected some of monitor.status, "
        "alert.status, incident.updates"
    )


async def test_sse_streams_status_alert_and_incident_events(hub: Hub) -> None:
    """A read key gets status changes, the alert and the incident as they happen."""
    response = await hub.request("GET", EVENTS, key="read")
    assert response.status == HTTPStatus.OK
    assert response.content_type == "text/event-stream"
    stream = sse_events(response)
    assert await next_events(stream, 1) == [
        ("ready", {"channels": ["monitor.status", "alert.status", "incident.updates"]})
    ]
    await cpu_goes_down(hub)
    received = dict(await next_events(stream, 3))
    assert received["monitor.status"]["monitor"] == {
        "id": "cpu",
        "name": "CPU load",
        "kind": "entity",
        "status": "down",
        "previous_status": "up",
    }
    incident = received["incident.opened"]["incident"]
    assert incident["target_id"] == "cpu"
    assert incident["incident_id"] == (
        hub.coordinator.monitor.states["cpu"].incident_id
    )
    assert "device_id" not in incident
    assert received["alert.started"]["alert"]["failing_count"] == 1
    response.close()


async def test_sse_subscribes_to_chosen_channels(hub: Hub) -> None:
    """Only the channels asked for are sent."""
    response = await hub.request(
        "GET", EVENTS + "?subscribe=incident.updates", key="read"
    )
    stream = sse_events(response)
    await next_events(stream, 1)
    await cpu_goes_down(hub)
    hub.hass.states.async_set("sensor.cpu", "10")
    await hub.settle()
    events = [name for name, _ in await next_events(stream, 2)]
    assert events == ["incident.opened", "incident.resolved"]
    response.close()


async def test_streams_per_key_are_limited(hub: Hub) -> None:
    """A key holds at most a few streams; another key is not affected."""
    open_streams = [
        await hub.request("GET", EVENTS, key="read") for _ in range(MAX_STREAMS_PER_KEY)
    ]
    assert all(r.status == HTTPStatus.OK for r in open_streams)
    assert await hub.error("GET", EVENTS, 429, key="read") == (
        f"Too many open event streams for this API key (at most {MAX_STREAMS_PER_KEY})"
    )
    socket_ = await hub.client.ws_connect(WS)
    await socket_.send_json({"auth": hub.read_key, "subscribe": ["monitor.status"]})
    assert (await socket_.receive_json())["type"] == "error"
    closed = await socket_.receive()
    assert closed.type is WSMsgType.CLOSE
    assert closed.data == 4429
    other = await hub.request("GET", EVENTS, key="write")
    assert other.status == HTTPStatus.OK
    for response in [*open_streams, other]:
        response.close()


async def test_websocket_subscription(hub: Hub) -> None:
    """The reference's shape: auth and channels in the first message."""
    ws = await hub.client.ws_connect(WS)
    await ws.send_json(
        {"auth": hub.read_key, "subscribe": ["monitor.status", "incident.updates"]}
    )
    assert await ws.receive_json() == {
        "type": "subscribed",
        "channels": ["monitor.status", "incident.updates"],
    }
    await cpu_goes_down(hub)
    async with asyncio.timeout(10):
        first, second = await ws.receive_json(), await ws.receive_json()
    assert {first["event"], second["event"]} == {"monitor.status", "incident.opened"}
    await ws.close()


@pytest.mark.parametrize(
    ("message", "code", "detail"),
    [
        ({"auth": "pa_wrong"}, 4401, "Invalid or disabled API key"),
        ({"subscribe": []}, 4401, None),
        ({"auth": "x", "subscribe": ["nope"]}, 4400, None),
        ({"auth": "x", "extra": 1}, 4400, "Unknown field: extra"),
        ("not json", 4400, "The first message is not valid JSON"),
    ],
)
async def test_websocket_refusals(
    hub: Hub, message: Any, code: int, detail: str | None
) -> None:
    """A bad first message gets an error message and a close code."""
    ws = await hub.client.ws_connect(WS)
    if isinstance(message, str):
        await ws.send_str(message)
    else:
        await ws.send_json(message)
    error = await ws.receive_json()
    assert error["type"] == "error"
    if detail is not None:
        assert error["detail"] == detail
    closed = await ws.receive()
    assert closed.type is WSMsgType.CLOSE
    assert closed.data == code


async def test_slow_client_is_dropped_without_slowing_others(
    hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    """A client that stops reading is dropped with a reason; a reader gets all."""
    caplog.set_level(logging.INFO)
    live = live_events(hub.hass)
    assert live is not None
    loop = asyncio.get_running_loop()
    # A real client that sends its request and never reads (small receive buffer).
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.setblocking(False)
    await loop.sock_connect(slow, ("127.0.0.1", hub.client.port))
    await loop.sock_sendall(
        slow,
        f"GET {EVENTS}?subscribe=incident.updates HTTP/1.1\r\nHost: x\r\n"
        f"x-api-key: {hub.read_key}\r\n\r\n".encode(),
    )
    fast = await hub.request("GET", EVENTS + "?subscribe=incident.updates", key="write")
    stream = sse_events(fast)
    await next_events(stream, 1)
    async with asyncio.timeout(5):
        while len(live.clients) < 2:
            await asyncio.sleep(0.01)
    slow_client = next(c for c in live.clients if c.key.name == "Reader")
    sent = 0
    note = "x" * 300
    async with asyncio.timeout(60):
        while slow_client in live.clients:
            for _ in range(50):
                hub.hass.bus.async_fire(
                    "pialert_status_page_incident",
                    {"status_page_id": "p", "status": "monitoring", "message": note},
                )
                sent += 1
            received = await next_events(stream, 50)
            assert all(name == "status_page.incident" for name, _ in received)
    assert slow_client.closed == (
        f"Too slow: more than {QUEUE_SIZE} events waited to be sent"
    )
    assert sent > QUEUE_SIZE
    assert "Dropped an event stream of API key Reader: Too slow" in caplog.text
    # The reader is still served, and the slow client's connection was cut.
    hub.hass.bus.async_fire("pialert_status_page_incident", {"status": "resolved"})
    assert (await next_events(stream, 1))[0][1]["incident"] == {"status": "resolved"}
    assert len(live.clients) == 1
    fast.close()
    slow.close()


async def test_unloading_ends_streams(hub: Hub) -> None:
    """Unloading the hub ends every stream with a reason."""
    response = await hub.request("GET", EVENTS, key="read")
    stream = sse_events(response)
    await next_events(stream, 1)
    await hub.hass.config_entries.async_unload(hub.entry.entry_id)
    assert await next_events(stream, 1) == [
        ("closed", {"reason": "PiAlert was unloaded"})
    ]
    assert live_events(hub.hass) is None
    assert await hub.error("GET", EVENTS, 503, key="read") == "PiAlert is not loaded"
