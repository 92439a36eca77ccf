"""The Alertmanager channel against a real Alertmanager on loopback."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

from homeassistant.core import HomeAssistant
import pytest

from custom_components.pialert.engine.notify.alertmanager import ALERT_NAME

from .conftest import SetupRules, entity_target, rule
from .real_alertmanager import MISSING, RealAlertmanager, alerts_of

pytestmark = [
    pytest.mark.usefixtures("socket_enabled"),
    pytest.mark.skipif(MISSING, reason="scripts/system-packages installs it"),
]


@pytest.fixture
async def alertmanager(tmp_path: Path, socket_enabled: None) -> AsyncGenerator[str]:
    """Start a real Alertmanager on a free loopback port; return its URL."""
    process = RealAlertmanager(tmp_path)
    await process.start()
    try:
        yield process.url
    finally:
        await process.stop()


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
    (alert,) = await alerts_of(alertmanager)
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
        a for a in await alerts_of(alertmanager) if a["status"]["state"] == "active"
    ] == []
