"""``/metrics``: Prometheus text format, checked with the official parser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from prometheus_client.parser import text_string_to_metric_families
import pytest

from custom_components.pialert.api import metrics as metrics_module
from custom_components.pialert.api.base import INVALID_KEY, MISSING_KEY
from custom_components.pialert.api.metrics import escape_label, format_value
from custom_components.pialert.api.state import METRICS_MAX_AGE

from .conftest import Hub

STATUSES = ("unknown", "up", "pending", "down", "paused", "unreachable")


async def scrape(hub: Hub, **kwargs: Any) -> dict[str, Any]:
    response = await hub.request("GET", "/metrics", key="read", **kwargs)
    assert response.status == 200
    assert (
        response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    )
    text = await response.text()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for family in families.values():
        assert family.type == "gauge"
        assert family.documentation
    return families


def values(family: Any, **match: str) -> dict[str, float]:
    """Return ``{target id: value}`` of samples whose labels match."""
    return {
        s.labels["id"]: s.value
        for s in family.samples
        if all(s.labels.get(k) == v for k, v in match.items())
    }


async def test_metrics(hub: Hub) -> None:
    families = await scrape(hub)
    assert set(families) == {
        "pialert_alert",
        "pialert_failing_targets",
        "pialert_active_silences",
        "pialert_target_up",
        "pialert_target_status",
        "pialert_target_consecutive_failures",
        "pialert_target_response_time_seconds",
        "pialert_target_certificate_days_remaining",
        "pialert_target_alerting",
        "pialert_target_acknowledged",
        "pialert_target_silenced",
        "pialert_target_uptime_ratio",
    }
    assert families["pialert_alert"].samples[0].value == 0
    assert values(families["pialert_target_up"]) == {
        "paused": 0,
        "backup": 0,
        "cpu": 1,
        "door": 1,
    }
    assert families["pialert_target_response_time_seconds"].samples == []
    sample = families["pialert_target_up"].samples[2]
    assert sample.labels == {"target": "CPU load", "kind": "entity", "id": "cpu"}

    now = hub.coordinator.now()
    hub.record("backup", False)
    hub.record("cpu", True, now, response_time_ms=250.0, cert_days_remaining=12)
    await hub.settle()
    await hub.json(
        "POST", "/silences", 201, json={"target_ids": ["door"], "duration_seconds": 60}
    )
    await hub.settle()

    families = await scrape(hub)
    assert families["pialert_alert"].samples[0].value == 1
    assert families["pialert_failing_targets"].samples[0].value == 1
    assert families["pialert_active_silences"].samples[0].value == 1
    status = families["pialert_target_status"]
    assert len(status.samples) == 4 * len(STATUSES)
    for target_id, expected in [
        ("backup", "down"),
        ("cpu", "up"),
        ("door", "up"),
        ("paused", "paused"),
    ]:
        one_hot = {
            s.labels["status"]: s.value
            for s in status.samples
            if s.labels["id"] == target_id
        }
        assert one_hot == {s: float(s == expected) for s in STATUSES}
    assert values(families["pialert_target_consecutive_failures"])["backup"] == 1
    assert values(families["pialert_target_alerting"]) == {
        "paused": 0,
        "backup": 1,
        "cpu": 0,
        "door": 0,
    }
    assert values(families["pialert_target_silenced"])["door"] == 1
    assert values(families["pialert_target_response_time_seconds"]) == {"cpu": 0.25}
    assert values(families["pialert_target_certificate_days_remaining"]) == {"cpu": 12}
    uptime = families["pialert_target_uptime_ratio"]
    assert values(uptime, window="24h") == {"backup": 0.0, "cpu": 1.0, "door": 1.0}
    assert {s.labels["window"] for s in uptime.samples} == {
        "24h",
        "7d",
        "30d",
        "90d",
        "1y",
    }

    await hub.json("POST", "/targets/backup/acknowledge")
    await hub.settle()
    families = await scrape(hub)
    assert values(families["pialert_target_acknowledged"])["backup"] == 1
    assert families["pialert_alert"].samples[0].value == 0


async def test_label_escaping(hub: Hub) -> None:
    # Names cannot hold a newline any more; escape_label still handles one
    # (test_formatting), for targets saved before that rule.
    name = 'Back\\slash "quoted" {next}'
    created = await hub.json(
        "POST",
        "/targets",
        201,
        json={"kind": "heartbeat", "name": name, "period": 60, "grace": 0},
    )
    await hub.settle()
    families = await scrape(hub)
    labels = [
        s.labels
        for s in families["pialert_target_up"].samples
        if s.labels["id"] == created["id"]
    ]
    assert labels == [{"target": name, "kind": "heartbeat", "id": created["id"]}]


async def test_bearer_auth_and_errors(hub: Hub) -> None:
    response = await hub.request(
        "GET", "/metrics", key=None, headers={"Authorization": f"Bearer {hub.read_key}"}
    )
    assert response.status == 200
    assert await hub.error("GET", "/metrics", 401, key=None) == MISSING_KEY
    assert await hub.error("GET", "/metrics", 401, key="pa_nope") == INVALID_KEY
    detail = await hub.error("GET", "/metrics?format=json", 400, key="read")
    assert detail == "Unknown query parameter: format"


async def test_rendered_once_per_snapshot(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, freezer: FrozenDateTimeFactory
) -> None:
    """Scrapes between two snapshots reuse the text; a new snapshot shows at once.

    A client flooding /metrics then costs a copy, not a render per request.
    Uptime moves with time alone, so an old text is rendered anew too.
    """
    rendered: list[object] = []
    real = metrics_module.render

    def counting(snapshot: Any, *args: Any) -> str:
        rendered.append(snapshot)
        return real(snapshot, *args)

    monkeypatch.setattr(metrics_module, "render", counting)
    for _ in range(3):
        families = await scrape(hub)
        assert families["pialert_alert"].samples[0].value == 0
    assert rendered == [hub.coordinator.data]

    hub.record("backup", False)
    await hub.settle()
    families = await scrape(hub)
    assert families["pialert_alert"].samples[0].value == 1
    assert values(families["pialert_target_consecutive_failures"])["backup"] == 1
    await scrape(hub)
    assert len(rendered) == 2
    assert rendered[-1] is hub.coordinator.data

    # A target added through the API is listed even before its snapshot.
    created = await hub.json(
        "POST",
        "/targets",
        201,
        json={"kind": "heartbeat", "name": "New", "period": 60, "grace": 0},
    )
    families = await scrape(hub)
    assert created["id"] in values(families["pialert_target_up"])

    await hub.settle()
    await scrape(hub)
    count = len(rendered)
    freezer.tick(METRICS_MAX_AGE - timedelta(seconds=1))
    await scrape(hub)
    assert len(rendered) == count
    freezer.tick(timedelta(seconds=1))
    await scrape(hub)
    assert len(rendered) == count + 1


def test_formatting() -> None:
    assert escape_label('a\\b"c\nd') == 'a\\\\b\\"c\\nd'
    assert format_value(True) == "1"
    assert format_value(3) == "3"
    assert format_value(2.0) == "2"
    assert format_value(0.125) == "0.125"
