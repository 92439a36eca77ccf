"""The Alertmanager channel against a real Alertmanager on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path
import shutil
import socket
from typing import Any

import aiohttp
from homeassistant.core import HomeAssistant
import pytest

from custom_components.pialert.engine.notify.alertmanager import ALERT_NAME

from .conftest import SetupRules, entity_target, rule

BINARY = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
pytestmark = [
    pytest.mark.usefixtures("socket_enabled"),
    pytest.mark.skipif(
        not Path(BINARY).exists(), reason="scripts/system-packages installs it"
    ),
]
CONFIG = "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def alertmanager(tmp_path: Path, socket_enabled: None) -> AsyncGenerator[str]:
    """Start a real Alertmanager on a free loopback port; return its URL."""
    (tmp_path / "am.yml").write_text(CONFIG)
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        BINARY,
        f"--config.file={tmp_path / 'am.yml'}",
        f"--storage.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"{url}/-/ready") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail("Alertmanager did not start")
        yield url
    finally:
        process.terminate()
        await process.wait()


async def _alerts(url: str) -> list[dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{url}/api/v2/alerts") as response,
    ):
        alerts: list[dict[str, Any]] = await response.json()
        return alerts


async def test_alert_arrives_with_labels_and_resolves(
    hass: HomeAssistant, setup_rules: SetupRules, alertmanager: str
) -> None:
    """A target down is an alert in Alertmanager; its recovery resolves it."""
    await setup_rules(
        {"nas": entity_target("nas", tags=["storage"], severity="warning")},
        rule(
            group_wait=0,
            site="holiday-flat",
            steps=[{"alertmanager_urls": [alertmanager]}],
        ),
    )
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    (alert,) = await _alerts(alertmanager)
    assert alert["labels"] == {
        "alertname": ALERT_NAME,
        "target": "Nas",
        "target_id": "nas",
        "kind": "entity",
        "severity": "warning",
        "tags": "storage",
        "site": "holiday-flat",
    }
    assert alert["annotations"]["summary"] == "Nas is down"
    assert "95" in alert["annotations"]["error"]
    assert alert["status"]["state"] == "active"

    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [
        a for a in await _alerts(alertmanager) if a["status"]["state"] == "active"
    ] == []
