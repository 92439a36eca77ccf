"""A real Alertmanager on loopback, and a front that can make it unreachable.

Debian's ``prometheus-alertmanager`` keeps alerts in memory only: stopped
and started again it has forgotten them. To see a resolve arrive after an
outage, tests put ``AlertmanagerGate`` in front of it: the gate stops
listening (connection refused) or answers 503, then comes back at the same
address, while Alertmanager keeps what it had.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import shutil
import socket
import time
from typing import Any
import urllib.request

import aiohttp
from aiohttp import web
import pytest

BINARY = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
MISSING = not Path(BINARY).exists()
CONFIG = "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n"
READY_TRIES = 100
READY_PAUSE = 0.1


def free_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def alerts_of(url: str) -> list[dict[str, Any]]:
    """Return Alertmanager's own list (``GET /api/v2/alerts``)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{url}/api/v2/alerts") as response,
    ):
        alerts: list[dict[str, Any]] = await response.json()
        return alerts


async def active_targets(url: str) -> list[str]:
    """Return the ``target_id`` of every active alert in Alertmanager."""
    return [
        a["labels"]["target_id"]
        for a in await alerts_of(url)
        if a["status"]["state"] == "active"
    ]


def _wait_ready(url: str) -> bool:
    for _ in range(READY_TRIES):
        try:
            with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(READY_PAUSE)
    return False


class RealAlertmanager:
    """An Alertmanager process on a fixed loopback port, stopped and started."""

    def __init__(self, directory: Path) -> None:
        """Keep its config and storage in ``directory``."""
        self._directory = directory
        (directory / "am.yml").write_text(CONFIG)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it (again, on the same port) and wait until it is ready."""
        self._process = await asyncio.create_subprocess_exec(
            BINARY,
            f"--config.file={self._directory / 'am.yml'}",
            f"--storage.path={self._directory / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
            "--cluster.listen-address=",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        # Waited for in a thread: a frozen clock stops the event loop's timers.
        if not await asyncio.get_running_loop().run_in_executor(
            None, _wait_ready, self.url
        ):
            pytest.fail("Alertmanager did not start")

    async def stop(self) -> None:
        """Stop the process (it forgets its alerts)."""
        if self._process is not None:
            self._process.terminate()
            await self._process.wait()
            self._process = None


class AlertmanagerGate:
    """An HTTP front of an Alertmanager: forwards, refuses, or answers 503."""

    def __init__(self, upstream: str) -> None:
        """Forward to ``upstream``; listen on a port of its own."""
        self._upstream = upstream
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.answer: int | None = None
        """Answer this status instead of forwarding (e.g. 503)."""
        self.forwarded: list[list[dict[str, Any]]] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    def resolves(self, target_id: str) -> int:
        """Return how many forwarded alerts resolved ``target_id``."""
        return sum(
            1
            for body in self.forwarded
            for alert in body
            if alert["labels"]["target_id"] == target_id and "endsAt" in alert
        )

    async def _forward(self, request: web.Request) -> web.Response:
        if self.answer is not None:
            return web.Response(status=self.answer, text="gate closed")
        body = await request.json()
        assert self._session is not None
        async with self._session.post(
            f"{self._upstream}/api/v2/alerts", json=body
        ) as response:
            if response.status == 200:
                self.forwarded.append(body)
            return web.Response(status=response.status, text=await response.text())

    async def open(self) -> None:
        """Listen (again) at the gate's address."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/api/v2/alerts", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def close(self) -> None:
        """Stop listening and drop open connections: pushes are refused."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def shut(self) -> None:
        """Close for good."""
        await self.close()
        if self._session is not None:
            await self._session.close()
