"""Tests of the stand-alone PiAlert clients in scripts/ (pialert-relay, pialert-check).

Shared helpers: a live alert-status server on 127.0.0.1 whose answers a test
scripts one by one, and a loader for the extension-less pialert-relay script.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
import importlib.machinery
import importlib.util
import json
from pathlib import Path
import sys
import threading
from types import ModuleType, TracebackType
from typing import Any, Self

from aiohttp import web
from aiohttp.test_utils import TestServer

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
RELAY_SCRIPT = SCRIPTS / "pialert-relay"
CHECK_SCRIPT = SCRIPTS / "pialert-check"
API_PATH = "/api/v1/alert-status"
API_KEY = "test-key-7f3a9c-never-print-me"
TIMESTAMP = "2025-10-21T21:32:15.123456+00:00"


def load_relay_module() -> ModuleType:
    """Import scripts/pialert-relay (no .py extension) as a module."""
    name = "pialert_relay"
    if name in sys.modules:
        return sys.modules[name]
    loader = importlib.machinery.SourceFileLoader(name, str(RELAY_SCRIPT))
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


# --- scripted answers ------------------------------------------------------------


@dataclass
class Reply:
    """One scripted answer: status, body (dict as JSON, str as is), headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def target(name: str, failures: int = 5, threshold: int = 3) -> dict[str, Any]:
    return {
        "name": name,
        "status": "down",
        "failures": failures,
        "threshold": threshold,
    }


def ok_reply() -> Reply:
    body = {"alert": False, "failing_targets": [], "failing_count": 0}
    return Reply(200, body | {"timestamp": TIMESTAMP})


def alert_reply(*targets: dict[str, Any]) -> Reply:
    body = {
        "alert": True,
        "failing_targets": list(targets),
        "failing_count": len(targets),
        "timestamp": TIMESTAMP,
    }
    return Reply(200, body)


def error_reply(status: int, detail: str, retry_after: int | None = None) -> Reply:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Reply(status, {"detail": detail}, headers)


def rate_limited(seconds: int) -> Reply:
    return error_reply(
        429, f"Rate limit exceeded. Try again in {seconds} seconds.", seconds
    )


def server_error() -> Reply:
    return error_reply(500, "Unable to fetch alert status")


class ScriptedServer:
    """PiAlert's alert-status endpoint on 127.0.0.1, in a thread of its own.

    The endpoint checks x-api-key like PiAlert (401 with PiAlert's details),
    then answers with the next scripted Reply, or ``default`` when the script
    is empty. The thread lets blocking clients (urllib, a subprocess) talk to
    it from the test's thread. stop() closes the listening socket (so clients
    get "connection refused") and start() listens again on the same port.
    """

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.script: deque[Reply] = deque()
        self.default = ok_reply()
        self.requests: list[dict[str, str]] = []
        self.port = 0
        self._server: TestServer | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pialert-test-server", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def keys_seen(self) -> list[str | None]:
        return [headers.get("x-api-key") for headers in self.requests]

    def push(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def __enter__(self) -> Self:
        self._thread.start()
        try:
            self.start()
        except BaseException:
            self._shutdown_loop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.stop()
        finally:
            self._shutdown_loop()

    def _shutdown_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    def start(self) -> None:
        if self._server is None:
            self._run(self._start())

    def stop(self) -> None:
        if self._server is not None:
            self._run(self._server.close())
            self._server = None

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get(API_PATH, self._handle)
        server = TestServer(app, host="127.0.0.1", port=self.port or None)
        await server.start_server()
        self._server = server
        assert server.port is not None
        self.port = server.port

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append({k.lower(): v for k, v in request.headers.items()})
        key = request.headers.get("x-api-key")
        if key is None:
            return web.json_response(
                {"detail": "Missing API key in x-api-key header"}, status=401
            )
        if key != self.api_key:
            return web.json_response(
                {"detail": "Invalid or disabled API key"}, status=401
            )
        reply = self.script.popleft() if self.script else self.default
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if isinstance(reply.body, (dict, list)):
            return web.json_response(
                reply.body, status=reply.status, headers=reply.headers
            )
        text = "" if reply.body is None else str(reply.body)
        return web.Response(
            text=text,
            status=reply.status,
            headers=reply.headers,
            content_type="application/json",
        )


def body_text(reply: Reply) -> str:
    """The exact text the server sends for a JSON reply (aiohttp's json.dumps)."""
    return json.dumps(reply.body)
