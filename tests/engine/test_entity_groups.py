"""A group's members and verdict, without Home Assistant (engine/entity_groups.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from custom_components.pialert.engine.entity_groups import GroupMembers
from custom_components.pialert.engine.group_settings import EntityGroupSettings

T0 = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def group(members: int, **settings: Any) -> GroupMembers:
    """Return a group of ``members`` sensors (all fine), chosen by domain."""
    built = GroupMembers(
        "Sensors", EntityGroupSettings.from_mapping({"domains": ["sensor"], **settings})
    )
    names = {f"sensor.s{i:02}": f"S{i:02}" for i in range(members)}
    built.set_members(names, dict.fromkeys(names, "on"), T0)
    return built


def test_a_large_failure_names_ten_members_and_counts_all() -> None:
    """The message names the first ten failing members; the count covers all."""
    members = group(14)
    for i in range(13):
        members.update(f"sensor.s{i:02}", "unavailable", T0 + timedelta(seconds=i))
    verdict = members.verdict(T0 + timedelta(seconds=20))
    assert verdict.failed
    assert verdict.failing == 13
    assert verdict.error == (
        "13 of 14 Sensors unavailable: S00, S01, S02, S03, S04, S05, S06, S07,"
        " S08, S09 and 3 more"
    )


def test_the_rule_not_met_still_counts_the_failing_members() -> None:
    """At least 3 of 5: two failing members are counted, the group is fine."""
    members = group(5, rule="at_least", at_least=3)
    members.update("sensor.s00", "unavailable", T0)
    members.update("sensor.s01", "unavailable", T0)
    verdict = members.verdict(T0)
    assert (verdict.failed, verdict.error, verdict.failing) == (False, None, 2)
    members.update("sensor.s02", None, T0)
    verdict = members.verdict(T0)
    assert verdict.failing == 3
    assert verdict.error == "3 of 5 Sensors unavailable: S00, S01, S02"


def test_held_members_count_once_their_time_is_up() -> None:
    """A member counts after for_seconds; the earliest pending one sets wake_at."""
    members = group(3, for_seconds=60)
    members.update("sensor.s00", "unavailable", T0)
    members.update("sensor.s01", "unavailable", T0 + timedelta(seconds=30))
    # Still failing: the time it started failing is kept.
    members.update("sensor.s00", "unknown", T0 + timedelta(seconds=40))
    verdict = members.verdict(T0 + timedelta(seconds=59))
    assert (verdict.failed, verdict.failing) == (False, 0)
    assert verdict.wake_at == T0 + timedelta(seconds=60)
    verdict = members.verdict(T0 + timedelta(seconds=60))
    assert (verdict.failed, verdict.failing) == (True, 1)
    assert verdict.wake_at == T0 + timedelta(seconds=90)
    assert verdict.error == "1 of 3 Sensors unavailable for 60 s: S00"


def test_a_recovered_member_starts_over_when_it_fails_again() -> None:
    """Recovery forgets when it started failing; leaving the group forgets it too."""
    members = group(2, for_seconds=60)
    members.update("sensor.s00", "unavailable", T0)
    members.update("sensor.s00", "on", T0 + timedelta(seconds=10))
    members.update("sensor.s00", "unavailable", T0 + timedelta(seconds=20))
    assert members.verdict(T0 + timedelta(seconds=70)).failing == 0
    assert members.verdict(T0 + timedelta(seconds=80)).failing == 1
    members.set_members({"sensor.s01": "S01"}, {"sensor.s01": "on"}, T0)
    verdict = members.verdict(T0 + timedelta(seconds=80))
    assert (verdict.failed, verdict.failing) == (False, 0)


def test_a_state_named_for_a_member_that_is_missing() -> None:
    """Under another condition, an unavailable or missing member says so."""
    members = group(2, condition="equals", value="off")
    members.update("sensor.s00", "off", T0)
    members.update("sensor.s01", None, T0)
    assert members.verdict(T0).error == "2 of 2 Sensors off: S00, S01 (missing)"
