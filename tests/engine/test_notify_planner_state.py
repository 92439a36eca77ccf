"""The planner's saved state: a restart continues outages and grouped bursts."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

import pytest

from custom_components.pialert.engine.notify.planner import Planner, What
from custom_components.pialert.engine.notify.planner_state import (
    parse_planner,
    planner_fingerprint,
    planner_saved,
)
from custom_components.pialert.engine.notify.rules import parse_rule

from .test_notify_planner import BOTH, PHONE, T0, _rule, _targets


def _restarted(before: Planner) -> Planner:
    """Return a new planner given what ``before`` saved, through JSON."""
    saved = json.loads(json.dumps(planner_saved(before)))
    after = Planner()
    after.restore(parse_planner(saved))
    after.set_rules(p.rule for p in before.rules.values())
    return after


def test_outage_continues_at_its_step_after_a_restart() -> None:
    """Told, escalated, restarted: no repeat, step 3 on time, recovery to all."""
    before = _rule(reminder_minutes=7, max_reminders=3)
    before.observe(_targets(), T0)
    before.observe(_targets("nas"), T0)
    (down,) = before.due(_targets("nas"), T0 + timedelta(seconds=30))
    assert down.what is What.DOWN
    (step2,) = before.due(_targets("nas"), T0 + timedelta(minutes=11))
    assert step2.step == 1

    after = _restarted(before)
    assert after.next_wake() == before.next_wake()
    assert after.observe(_targets("nas"), T0 + timedelta(minutes=12)) == []
    at_30 = T0 + timedelta(seconds=30, minutes=30)
    (step3,) = after.due(_targets("nas"), at_30)
    assert (step3.what, step3.step) == (What.ESCALATION, 2)
    (up,) = after.observe(_targets(), at_30 + timedelta(minutes=1))
    assert up.what is What.RECOVERED
    assert set(up.channels) == {PHONE, BOTH, "webhook:2"}


def test_burst_being_grouped_is_told_after_a_restart() -> None:
    """A restart within the group wait still sends the grouped "down" message."""
    before = _rule()
    before.observe(_targets(), T0)
    before.observe(_targets("nas", "printer"), T0)
    after = _restarted(before)
    assert after.observe(_targets("nas", "printer"), T0 + timedelta(seconds=5)) == []
    assert after.next_wake() == T0 + timedelta(seconds=30)
    (down,) = after.due(_targets("nas", "printer"), T0 + timedelta(seconds=30))
    assert (down.what, down.target_ids) == (What.DOWN, ("nas", "printer"))


def test_a_restored_rule_that_is_gone_is_dropped() -> None:
    """Outages of a rule removed while Home Assistant was off are not kept."""
    before = _rule()
    before.observe(_targets("nas"), T0)
    after = Planner()
    after.restore(parse_planner(planner_saved(before)))
    other, _ = parse_rule("other", {"name": "Other", "steps": [{"persistent": True}]})
    assert other is not None
    after.set_rules([other])
    assert planner_saved(after) == {"rules": {}}


@pytest.mark.parametrize(
    "data",
    [
        [],
        {},
        {"rules": []},
        {"rules": {"rule": {"episodes": {}, "pending": {}}}},
        {"rules": {"rule": {"episodes": [], "pending": {}, "group_due": None}}},
        {
            "rules": {
                "rule": {"episodes": {}, "pending": {"nas": "noon"}, "group_due": None}
            }
        },
        {
            "rules": {
                "rule": {
                    "episodes": {},
                    "pending": {"nas": "2026-01-01T12:00:00"},
                    "group_due": None,
                }
            }
        },
    ],
)
def test_malformed_state_is_refused(data: Any) -> None:
    """Data of the wrong shape raises, so the file is set aside."""
    with pytest.raises((TypeError, ValueError, KeyError)):
        parse_planner(data)


def test_malformed_episode_is_refused() -> None:
    """A bad step count or channel list in an episode raises."""
    before = _rule()
    before.observe(_targets("nas"), T0)
    saved = planner_saved(before)
    episode = saved["rules"]["rule"]["episodes"]["nas"]
    for key, bad in (
        ("step", -1),
        ("channels", "phone"),
        ("quiet", "no"),
        ("error", 3),
    ):
        broken = json.loads(json.dumps(saved))
        broken["rules"]["rule"]["episodes"]["nas"] = {**episode, key: bad}
        with pytest.raises((TypeError, ValueError)):
            parse_planner(broken)


def test_fingerprint_changes_with_what_is_saved() -> None:
    """The notifier saves when the fingerprint changes: each timer step changes it."""
    planner = _rule(reminder_minutes=5, max_reminders=3)
    planner.observe(_targets(), T0)
    empty = planner_fingerprint(planner)
    planner.observe(_targets("nas"), T0)
    burst = planner_fingerprint(planner)
    assert burst != empty
    planner.due(_targets("nas"), T0 + timedelta(seconds=30))
    told = planner_fingerprint(planner)
    assert told != burst
    planner.due(_targets("nas"), T0 + timedelta(minutes=1))
    assert planner_fingerprint(planner) == told  # nothing due, nothing to save
    planner.due(_targets("nas"), T0 + timedelta(seconds=30, minutes=5))
    assert planner_fingerprint(planner) != told  # a reminder was sent
    planner.observe(_targets("nas", quiet=("nas",)), T0 + timedelta(minutes=6))
    quiet = planner_fingerprint(planner)
    assert quiet["rule"][2]["nas"][5] is True
