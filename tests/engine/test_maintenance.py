"""Recurring maintenance windows (engine/maintenance.py), in a non-UTC zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
import json

import pytest

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.maintenance import (
    MaintenanceWindow,
    WindowRequest,
    plan_window,
)
from custom_components.pialert.engine.models import (
    CheckResult,
    SilenceState,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.persistence import dump, restore
from custom_components.pialert.engine.saved_values import SavedStateError
from custom_components.pialert.engine.settings import TcpSettings

BERLIN = "Europe/Berlin"
# Sunday 2026-11-01, 02:00 UTC = 03:00 in Berlin (CET, UTC+1).
SUNDAY_3AM_BERLIN = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
NAS = Target(
    id="nas",
    name="NAS",
    kind=TargetKind.TCP,
    settings=TcpSettings(host="nas.local", port=445),
    failure_threshold=1,
    tags=("storage",),
)
OTHER = Target(
    id="web",
    name="Web",
    kind=TargetKind.TCP,
    settings=TcpSettings(host="web.local", port=80),
    failure_threshold=1,
)
NAS_REBOOT = WindowRequest(
    name="NAS reboot",
    time_zone=BERLIN,
    days=("sun",),
    start_time=time(3, 0),
    end_time=time(3, 30),
    target_ids=frozenset({"nas"}),
)


def monitor_with_window(request: WindowRequest = NAS_REBOOT) -> Monitor:
    monitor = Monitor()
    monitor.set_targets([NAS, OTHER], SUNDAY_3AM_BERLIN - timedelta(days=1))
    window = plan_window(
        request, monitor.targets, {}, "admin", SUNDAY_3AM_BERLIN - timedelta(days=1)
    )
    monitor.maintenance.add(window)
    for target_id in ("nas", "web"):
        monitor.record(
            target_id,
            CheckResult(False, SUNDAY_3AM_BERLIN - timedelta(hours=1), "down"),
        )
    return monitor


def failing_at(monitor: Monitor, at: datetime) -> list[str]:
    return [f.name for f in monitor.snapshot(at).failing]


@pytest.mark.parametrize(
    ("minutes", "silenced"),
    [(-1, False), (0, True), (15, True), (29, True), (30, False), (60 * 24, False)],
)
def test_weekly_window_silences_only_inside_its_range(
    minutes: int, silenced: bool
) -> None:
    """Sundays 03:00-03:30 Berlin time: muted inside, alerting outside."""
    monitor = monitor_with_window()
    at = SUNDAY_3AM_BERLIN + timedelta(minutes=minutes)
    expected = ["Web"] if silenced else ["NAS", "Web"]
    assert failing_at(monitor, at) == expected
    view = monitor.snapshot(at).targets["nas"]
    assert view.silenced is silenced
    assert not monitor.snapshot(at).targets["web"].silenced


def test_same_wall_clock_time_in_utc_is_not_inside() -> None:
    """03:00 UTC is 04:00 in Berlin: outside the window."""
    monitor = monitor_with_window()
    assert failing_at(monitor, SUNDAY_3AM_BERLIN + timedelta(hours=1)) == [
        "NAS",
        "Web",
    ]


def test_window_follows_summer_time() -> None:
    """In summer Berlin is UTC+2: Sunday 03:00 there is 01:00 UTC."""
    monitor = monitor_with_window()
    summer = datetime(2026, 7, 5, 1, 10, tzinfo=UTC)  # a Sunday
    assert failing_at(monitor, summer) == ["Web"]
    assert failing_at(monitor, summer + timedelta(hours=1)) == ["NAS", "Web"]


def test_states_and_next_occurrence() -> None:
    window = monitor_with_window().maintenance.windows.popitem()[1]
    before = SUNDAY_3AM_BERLIN - timedelta(hours=2)
    assert window.state(before) is SilenceState.SCHEDULED
    assert window.occurrence(before) == (
        SUNDAY_3AM_BERLIN,
        SUNDAY_3AM_BERLIN + timedelta(minutes=30),
    )
    assert window.state(SUNDAY_3AM_BERLIN) is SilenceState.ACTIVE
    after = SUNDAY_3AM_BERLIN + timedelta(minutes=31)
    assert window.occurrence(after) == (
        SUNDAY_3AM_BERLIN + timedelta(days=7),
        SUNDAY_3AM_BERLIN + timedelta(days=7, minutes=30),
    )
    ended = MaintenanceWindow(**{**_fields(window), "until": after})
    assert ended.state(after) is SilenceState.EXPIRED


def _fields(window: MaintenanceWindow) -> dict[str, object]:
    return {name: getattr(window, name) for name in window.__slots__}


def test_cron_window_with_tags() -> None:
    """Every day at 23:50 for 20 minutes, crossing midnight, for a tag."""
    request = WindowRequest(
        name="Nightly backup",
        time_zone=BERLIN,
        cron="50 23 * * *",
        duration=timedelta(minutes=20),
        tags=frozenset({"storage"}),
    )
    monitor = monitor_with_window(request)
    midnight_berlin = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    assert failing_at(monitor, midnight_berlin) == ["Web"]
    assert failing_at(monitor, midnight_berlin + timedelta(minutes=11)) == [
        "NAS",
        "Web",
    ]


def test_windows_survive_a_restart_and_bad_files_are_refused() -> None:
    monitor = monitor_with_window()
    data = json.loads(json.dumps(dump(monitor)))
    loaded = Monitor()
    loaded.set_targets([NAS, OTHER], SUNDAY_3AM_BERLIN)
    restore(loaded, data)
    assert loaded.maintenance.windows == monitor.maintenance.windows
    data["maintenance_windows"][0]["time_zone"] = "Mars/Olympus"
    with pytest.raises(SavedStateError, match="maintenance_windows"):
        restore(Monitor(), data)


NOW = SUNDAY_3AM_BERLIN


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"name": " "}, "invalid_window_name"),
        ({"time_zone": "Mars/Olympus"}, "invalid_time_zone"),
        ({"days": ()}, "weekly_needs_days_and_times"),
        ({"days": ("sunday",)}, "invalid_days"),
        ({"end_time": None}, "weekly_needs_days_and_times"),
        ({"cron": "0 3 * * 0"}, "window_needs_schedule"),
        ({"target_ids": frozenset({"nope"})}, "unknown_target"),
        ({"target_ids": frozenset(), "everything": False}, "silence_needs_scope"),
        ({"until": NOW - timedelta(days=1)}, "window_until_past"),
    ],
)
def test_bad_requests_are_refused(changes: dict[str, object], key: str) -> None:
    fields = {name: getattr(NAS_REBOOT, name) for name in NAS_REBOOT.__slots__}
    request = WindowRequest(**(fields | changes))  # type: ignore[arg-type]
    with pytest.raises(RefusedError) as err:
        plan_window(request, {"nas": NAS}, {}, "admin", NOW)
    assert err.value.key == key


@pytest.mark.parametrize(
    ("cron", "duration", "key"),
    [
        ("every sunday", timedelta(minutes=5), "invalid_cron"),
        ("0 3 * * 0", timedelta(0), "invalid_window_duration"),
        ("0 3 * * 0", timedelta(days=8), "invalid_window_duration"),
    ],
)
def test_bad_cron_windows_are_refused(cron: str, duration: timedelta, key: str) -> None:
    request = WindowRequest(
        name="x", time_zone=BERLIN, cron=cron, duration=duration, everything=True
    )
    with pytest.raises(RefusedError) as err:
        plan_window(request, {"nas": NAS}, {}, "admin", NOW)
    assert err.value.key == key
