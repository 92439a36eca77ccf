"""Webhook payloads, signatures, backoff and the saved outbox's parsing."""

from __future__ import annotations

from dataclasses import replace
import hashlib
import hmac
import json
import random

from custom_components.pialert.engine.notify.alertmanager import AlertInfo, alert_body
from custom_components.pialert.engine.notify.webhooks import (
    MAX_DELAY,
    Delivery,
    backoff,
    payload,
    restore,
    signature,
    verify,
)


def test_payload_is_the_reference_shape_and_signed() -> None:
    """event, timestamp, monitor, incident; sha256= HMAC of the exact bytes."""
    body = payload(
        "monitor.down",
        "2026-01-01T12:00:00+00:00",
        {
            "id": "t1",
            "name": "NAS",
            "type": "website",
            "target": "https://nas",
            "status": "down",
        },
        {
            "id": "i1",
            "started_at": "2026-01-01T11:59:00+00:00",
            "error_message": "HTTP 503",
        },
    )
    assert set(json.loads(body)) == {"event", "timestamp", "monitor", "incident"}
    expected = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert signature("k", body) == f"sha256={expected}"
    assert verify("k", body, f"sha256={expected}")
    assert not verify("other", body, f"sha256={expected}")
    assert "incident" not in json.loads(payload("test", "t", {}, None))


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    """Each attempt waits between half and all of a doubling ceiling."""
    rng = random.Random(1)
    for attempts, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (20, MAX_DELAY)):
        waits = [backoff(attempts, rng) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1


def test_outbox_round_trip_and_bad_entries() -> None:
    """Saved deliveries come back identical; bad entries are counted, not kept."""
    delivery = Delivery.new("d1", "rule:0", "rule", "monitor.down", b'{"a":1}', 5.0)
    delivery.attempts = 2
    good, bad = restore(
        [delivery.as_saved(), {"id": 1}, {**delivery.as_saved(), "due": "soon"}, "x"]
    )
    assert bad == 3
    assert good == [delivery]
    assert good[0].body == b'{"a":1}'


def test_alertmanager_alert_shape() -> None:
    """Labels, annotations, startsAt; endsAt only once resolved."""
    alert = AlertInfo(
        "t1",
        "NAS",
        "http",
        "warning",
        ("net", "nas"),
        "NAS is down",
        "HTTP 503",
        "2026-01-01T12:00:00+00:00",
    )
    body = alert_body(alert, "home")
    assert body["labels"]["tags"] == "net,nas"
    assert body["labels"]["site"] == "home"
    assert "endsAt" not in body
    # No tags, no label: Alertmanager would drop an empty one anyway.
    untagged = alert_body(replace(alert, tags=()), "home")
    assert "tags" not in untagged["labels"]
    assert untagged["labels"]["target"] == "NAS"


def test_delivery_names_the_target_its_body_is_about() -> None:
    """A delivery record can say which target; bodies without one say none."""
    body = payload("monitor.down", "t", {"id": "nas", "name": "NAS"}, None)
    assert Delivery.new("d1", "r:0", "r", "monitor.down", body, 0.0).monitor_name == (
        "NAS"
    )
    for other in (b"[1, 2]", b"not json", b'{"monitor": "NAS"}', b"{}"):
        assert Delivery.new("d2", "r:0", "r", "x", other, 0.0).monitor_name is None
