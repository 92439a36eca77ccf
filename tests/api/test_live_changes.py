"""Event streams look at the targets a snapshot changed, not at every target."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from custom_components.pialert.api.keys import ApiKey
from custom_components.pialert.api.live import CHANNEL_STATUS, LiveEvents

from ..hub_walks import T0, counted, monitor_of, result

if TYPE_CHECKING:
    from custom_components.pialert.coordinator import PiAlertCoordinator

N = 2_000


def test_status_changes_look_at_changed_targets_only() -> None:
    monitor = monitor_of(N)
    hub = SimpleNamespace(data=monitor.snapshot(T0))
    live = LiveEvents(cast("PiAlertCoordinator", hub))
    key = cast("ApiKey", SimpleNamespace(id="key", name="Key"))
    client = live.open(key, [CHANNEL_STATUS])

    lookups: list[str] = []
    at = T0
    for number in range(1, 11):
        at += timedelta(seconds=1)
        monitor.record(f"t{number:04d}", result(ok=number % 2 == 0, at=at))
        hub.data = counted(monitor.snapshot(at), lookups)
        live.snapshot_changed()

    told = [client.queue.get_nowait() for _ in range(client.queue.qsize())]
    # Only status changes are told: up again is not one.
    assert [(m["monitor"]["id"], m["monitor"]["status"]) for m in told] == [
        (f"t{number:04d}", "pending") for number in range(1, 11, 2)
    ]
    # Before, each snapshot walked all 2,000 targets.
    assert len(lookups) <= 3 * 10
