"""``GET events`` (Server-Sent Events) and ``ws`` (WebSocket): the hub's events, live.

Both need a read key: the event stream in the usual header, the WebSocket in
its first message, ``{"auth": KEY, "subscribe": ["monitor.status", ...]}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from http import HTTPStatus
import socket
from typing import Any, Final

from aiohttp import WSMsgType, web
from homeassistant.helpers.http import KEY_HASS
from homeassistant.helpers.json import json_bytes, json_dumps
from homeassistant.util.json import json_loads

from .base import API_PREFIX, ApiError, PiAlertView, authenticate, authenticate_key
from .keys import Scope
from .live import CHANNELS, STREAM_SEND_BUFFER, LiveClient, LiveEvents, live_events
from .request import bad_request, check_query

KEEPALIVE_SECONDS: Final = 25.0
# A write the client does not take within this long marks it as too slow.
WRITE_TIMEOUT_SECONDS: Final = 10.0
AUTH_TIMEOUT_SECONDS: Final = 10.0
MAX_AUTH_MESSAGE: Final = 4096
# WebSocket close codes (the private range): why a stream ended.
CLOSE_AUTH: Final = 4401
CLOSE_BAD_MESSAGE: Final = 4400
CLOSE_LIMIT: Final = 4429
CLOSE_SLOW: Final = 4408
CLOSE_UNLOADED: Final = 4503


def _channels(value: Any) -> list[str]:
    """Return the channels asked for (all when none are named)."""
    if value is None:
        return list(CHANNELS)
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise bad_request("'subscribe' must be a list of channel names")
    chosen = [name.strip() for name in names if name.strip()]
    unknown = sorted(set(chosen) - set(CHANNELS))
    if unknown or not chosen:
        raise bad_request(
            f"Unknown channel {', '.join(unknown) or '(none)'}: "
            f"expected some of {', '.join(CHANNELS)}"
        )
    return list(dict.fromkeys(chosen))


def _live(request: web.Request) -> LiveEvents:
    live = live_events(request.app[KEY_HASS])
    if live is None:
        raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "PiAlert is not loaded")
    return live


def _bounded(request: web.Request) -> Callable[[], None] | None:
    """Bound the stream's kernel send buffer; return what cuts the connection."""
    transport = request.transport
    if transport is None:
        return None
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, STREAM_SEND_BUFFER)
    return transport.abort


def _sse(event: str, data: Any) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + json_bytes(data) + b"\n\n"


class EventStreamView(PiAlertView):
    """The hub's events as Server-Sent Events."""

    url = f"{API_PREFIX}/events"
    name = "api:pialert:events"

    async def get(self, request: web.Request) -> web.StreamResponse:
        """Stream events until the client leaves or is dropped."""
        try:
            query = check_query(request, ("subscribe",))
            channels = _channels(query.get("subscribe"))
            _, key = authenticate(request, Scope.READ)
            live = _live(request)
            client = live.open(key, channels)
        except ApiError as err:
            return err.response()
        try:
            response = web.StreamResponse(
                headers={
                    "Content-Type": "text/event-stream",
                    "Cache-Control": "no-cache",
                    "X-Accel-Buffering": "no",
                }
            )
            response.force_close()  # a stream's connection is never reused
            await response.prepare(request)
            client.abort = _bounded(request)
            await response.write(
                b"retry: 5000\n\n" + _sse("ready", {"channels": channels})
            )
            await self._pump(request, response, client)
        finally:
            live.close(client)
        return response

    @staticmethod
    async def _pump(
        request: web.Request, response: web.StreamResponse, client: LiveClient
    ) -> None:
        while True:
            try:
                message = await asyncio.wait_for(client.queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                chunk = b": keep-alive\n\n"
            else:
                if message is None:
                    break
                chunk = _sse(message["event"], message)
            try:
                await asyncio.wait_for(response.write(chunk), WRITE_TIMEOUT_SECONDS)
            except TimeoutError:
                client.end(f"Too slow: a write waited {WRITE_TIMEOUT_SECONDS:g} s")
                break
            except ConnectionError:
                return
        try:
            await asyncio.wait_for(
                response.write(_sse("closed", {"reason": client.closed})), 1.0
            )
            # End the chunked body cleanly (the response is not kept alive):
            # closing the socket right after the last event could make a
            # client drop that event as a torn payload.
            await asyncio.wait_for(response.write_eof(), 1.0)
        except TimeoutError, ConnectionError:
            if request.transport is not None:
                # A slow client's buffers are given back at once.
                request.transport.close()


class EventSocketView(PiAlertView):
    """The hub's events over a WebSocket (the reference's subscription shape)."""

    url = f"{API_PREFIX}/ws"
    name = "api:pialert:ws"

    async def get(self, request: web.Request) -> web.WebSocketResponse:
        """Authenticate by the first message, then send events."""
        # Pings are sent by the pump while idle (like the event stream's comments).
        ws = web.WebSocketResponse(max_msg_size=MAX_AUTH_MESSAGE)
        await ws.prepare(request)
        try:
            live, client = await self._subscribe(request, ws)
        except ApiError as err:
            code = {
                HTTPStatus.BAD_REQUEST: CLOSE_BAD_MESSAGE,
                HTTPStatus.TOO_MANY_REQUESTS: CLOSE_LIMIT,
            }.get(err.status, CLOSE_AUTH)
            await ws.send_str(json_dumps({"type": "error", "detail": err.detail}))
            await ws.close(code=code, message=err.detail[:120].encode())
            return ws
        client.abort = _bounded(request)
        reader = asyncio.create_task(self._read_until_closed(ws, client))
        try:
            await self._pump(ws, client)
        finally:
            reader.cancel()
            live.close(client)
        return ws

    @staticmethod
    async def _subscribe(
        request: web.Request, ws: web.WebSocketResponse
    ) -> tuple[LiveEvents, LiveClient]:
        try:
            first = await ws.receive(timeout=AUTH_TIMEOUT_SECONDS)
        except TimeoutError:
            raise ApiError(
                HTTPStatus.UNAUTHORIZED, "No authentication message in time"
            ) from None
        if first.type is not WSMsgType.TEXT:
            raise bad_request("The first message must be JSON text")
        try:
            body = json_loads(first.data)
        except ValueError:
            raise bad_request("The first message is not valid JSON") from None
        presented = body.get("auth") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(presented, str):
            raise ApiError(
                HTTPStatus.UNAUTHORIZED,
                'The first message must be {"auth": KEY, "subscribe": [...]}',
            )
        unknown = sorted(set(body) - {"auth", "subscribe"})
        if unknown:
            raise bad_request(
                f"Unknown field{'s' * (len(unknown) > 1)}: {', '.join(unknown)}"
            )
        channels = _channels(body.get("subscribe"))
        _, key = authenticate_key(request, presented.strip() or None, Scope.READ)
        live = _live(request)
        client = live.open(key, channels)
        await ws.send_str(json_dumps({"type": "subscribed", "channels": channels}))
        return live, client

    @staticmethod
    async def _read_until_closed(ws: web.WebSocketResponse, client: LiveClient) -> None:
        """Take the client's messages (only closing is expected)."""
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                await ws.send_str(
                    json_dumps(
                        {"type": "error", "detail": "Only the first message is read"}
                    )
                )
        client.end("The client closed the connection")

    @staticmethod
    async def _pump(ws: web.WebSocketResponse, client: LiveClient) -> None:
        while True:
            try:
                message = await asyncio.wait_for(client.queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                message = {}
            if message is None:
                break
            try:
                await asyncio.wait_for(
                    ws.send_str(json_dumps(message)) if message else ws.ping(),
                    WRITE_TIMEOUT_SECONDS,
                )
            except TimeoutError:
                client.end(f"Too slow: a write waited {WRITE_TIMEOUT_SECONDS:g} s")
                break
            except ConnectionError:
                return
        reason = client.closed or ""
        if ws.closed:
            return
        code = CLOSE_UNLOADED if reason.startswith("PiAlert") else CLOSE_SLOW
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(
                ws.close(code=code, message=reason[:120].encode()), 1.0
            )
