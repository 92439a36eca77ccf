"""The notification planner: grouping, reminders, escalation, recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.pialert.engine.notify.messages import Detail, compose
from custom_components.pialert.engine.notify.planner import (
    Dispatch,
    Planner,
    Seen,
    What,
)
from custom_components.pialert.engine.notify.rules import parse_rule

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
PHONE = "service:notify.mobile_app_phone"
BOTH = "entity:notify.both_phones"


def _rule(**extra: object) -> Planner:
    data: dict[str, object] = {
        "name": "On call",
        "steps": [
            {"notify_services": ["notify.mobile_app_phone"]},
            {"after_minutes": 10, "notify_entities": ["notify.both_phones"]},
            {"after_minutes": 30, "webhook_url": "http://127.0.0.1:9/hook"},
        ],
        **extra,
    }
    rule, errors = parse_rule("rule", data)
    assert errors == {}
    assert rule is not None
    planner = Planner()
    planner.set_rules([rule])
    return planner


def _targets(
    *down: str, quiet: tuple[str, ...] = (), **parents: str
) -> dict[str, Seen]:
    names = {"nas", "printer", "camera", "router", *parents}
    return {
        n: Seen(
            n,
            n.title(),
            down=n in down,
            quiet=n in quiet,
            acknowledged_by="Ann" if n in quiet else None,
            unreachable_parent=parents.get(n),
        )
        for n in sorted(names)
    }


def test_burst_within_group_wait_is_one_message() -> None:
    """Three targets going down within 30 s make one message, after the wait."""
    planner = _rule()
    assert planner.observe(_targets(), T0) == []
    assert planner.observe(_targets("nas"), T0) == []
    assert planner.observe(_targets("nas", "printer"), T0 + timedelta(seconds=5)) == []
    seen = _targets("nas", "printer", "camera")
    assert planner.observe(seen, T0 + timedelta(seconds=10)) == []
    assert planner.next_wake() == T0 + timedelta(seconds=30)
    assert planner.due(seen, T0 + timedelta(seconds=29)) == []
    sent = planner.due(seen, T0 + timedelta(seconds=30))
    assert sent == [Dispatch("rule", What.DOWN, ("nas", "printer", "camera"), (PHONE,))]
    details = {t: Detail(t, t.title()) for t in seen}
    assert compose(sent[0], details, "On call")[1] == (
        "3 targets down: Nas, Printer, Camera"
    )


def test_recovered_within_group_wait_sends_nothing() -> None:
    """A blip shorter than the group wait is never told."""
    planner = _rule()
    planner.observe(_targets(), T0)
    planner.observe(_targets("nas"), T0)
    assert planner.observe(_targets(), T0 + timedelta(seconds=10)) == []
    assert planner.due(_targets(), T0 + timedelta(seconds=40)) == []
    assert planner.next_wake() is None


def test_dependants_are_named_in_the_parents_message() -> None:
    """50 targets unreachable behind a down router: one message naming them."""
    planner = _rule(group_wait=0)
    planner.observe(_targets(), T0)
    behind = {f"host{i:02}": "router" for i in range(50)}
    sent = planner.observe(_targets("router", **behind), T0)
    assert len(sent) == 1
    assert sent[0].target_ids == ("router",)
    assert len(sent[0].dependants) == 50


def test_escalation_steps_then_acknowledge_stops_them() -> None:
    """Step 2 after 10 min, step 3 after 30 min; acknowledging stops the chain."""
    planner = _rule(group_wait=0)
    planner.observe(_targets(), T0)
    assert planner.observe(_targets("nas"), T0)[0].what is What.DOWN
    assert planner.next_wake() == T0 + timedelta(minutes=10)
    step2 = planner.due(_targets("nas"), T0 + timedelta(minutes=10))
    assert step2 == [Dispatch("rule", What.ESCALATION, ("nas",), (BOTH,), step=1)]
    acked = planner.observe(_targets("nas", quiet=("nas",)), T0 + timedelta(minutes=12))
    assert acked == [
        Dispatch("rule", What.ACKNOWLEDGED, ("nas",), (BOTH, PHONE), by="Ann")
    ]
    assert planner.next_wake() is None
    assert planner.due(_targets("nas", quiet=("nas",)), T0 + timedelta(hours=2)) == []


def test_recovery_goes_to_everyone_notified() -> None:
    """After two steps, the recovery goes to both steps' channels."""
    planner = _rule(group_wait=0)
    planner.observe(_targets(), T0)
    planner.observe(_targets("nas"), T0)
    planner.due(_targets("nas"), T0 + timedelta(minutes=10))
    sent = planner.observe(_targets(), T0 + timedelta(minutes=15))
    assert sent == [Dispatch("rule", What.RECOVERED, ("nas",), (BOTH, PHONE))]


def test_reminders_repeat_a_bounded_number_of_times() -> None:
    """Every 5 min while down and unacknowledged, at most 2 times."""
    planner = _rule(
        group_wait=0, reminder_minutes=5, max_reminders=2, steps=[{"persistent": True}]
    )
    planner.observe(_targets(), T0)
    planner.observe(_targets("nas"), T0)
    times = []
    now = T0
    while (wake := planner.next_wake()) is not None and wake < T0 + timedelta(hours=1):
        now = wake
        for dispatch in planner.due(_targets("nas"), now):
            assert dispatch.what is What.REMINDER
            times.append(now - T0)
    assert times == [timedelta(minutes=5), timedelta(minutes=10)]


def test_filters_by_tag_and_severity_and_when() -> None:
    """A rule for tag "net" and warnings only; recoveries not told."""
    planner = _rule(
        group_wait=0,
        scope="tags",
        tags=["net"],
        severities=["warning"],
        when=["down"],
    )
    seen = {
        "a": Seen("a", "A", ("net",), "warning", down=True),
        "b": Seen("b", "B", ("net",), "critical", down=True),
        "c": Seen("c", "C", (), "warning", down=True),
    }
    planner.observe(
        {k: Seen(v.id, v.name, v.tags, v.severity) for k, v in seen.items()}, T0
    )
    sent = planner.observe(seen, T0)
    assert [d.target_ids for d in sent] == [("a",)]
    up = {k: Seen(v.id, v.name, v.tags, v.severity) for k, v in seen.items()}
    assert planner.observe(up, T0 + timedelta(minutes=1)) == []


def test_outages_under_way_at_start_are_adopted_not_repeated() -> None:
    """After a restart a target already down is not announced again."""
    planner = _rule(group_wait=0)
    assert planner.observe(_targets("nas"), T0) == []
    assert planner.observe(_targets(), T0 + timedelta(minutes=1))[0].what is (
        What.RECOVERED
    )


def test_rule_errors() -> None:
    """Bad rules are refused field by field."""
    _, errors = parse_rule(
        "r",
        {
            "name": " ",
            "scope": "tags",
            "group_wait": -1,
            "steps": [
                {"notify_services": ["mobile_app"]},
                {"after_minutes": 0, "persistent": True},
            ],
        },
    )
    assert errors == {
        "name": "invalid_rule_name",
        "tags": "tags_required",
        "group_wait": "invalid_group_wait",
        "notify_services": "invalid_notify_target",
        "steps": "invalid_step_delay",
    }
    _, errors = parse_rule("r", {"name": "x", "steps": [{}]})
    assert errors == {"steps": "step_without_channel"}


def test_escalation_due_with_a_reminder_is_sent_once() -> None:
    """At 10 min both are due: the escalation goes, the reminder moves on."""
    planner = _rule(group_wait=0, reminder_minutes=10)
    planner.observe(_targets(), T0)
    planner.observe(_targets("nas"), T0)
    sent = planner.due(_targets("nas"), T0 + timedelta(minutes=10))
    assert [d.what for d in sent] == [What.ESCALATION]
    assert planner.rules["rule"].episodes["nas"].next_reminder == T0 + timedelta(
        minutes=20
    )


def test_incident_updated_only_when_chosen() -> None:
    """A down target whose error changes: told only to rules that chose it."""
    seen = {"nas": Seen("nas", "Nas", down=True, error="HTTP 503")}
    later = {"nas": Seen("nas", "Nas", down=True, error="timeout")}
    for when, expected in ((["down"], []), (["down", "updated"], [What.UPDATED])):
        planner = _rule(group_wait=0, when=when)
        planner.observe({"nas": Seen("nas", "Nas")}, T0)
        assert [d.what for d in planner.observe(seen, T0)] == [What.DOWN]
        sent = planner.observe(later, T0 + timedelta(minutes=1))
        assert [d.what for d in sent] == expected
    details = {"nas": Detail("nas", "Nas", error="timeout")}
    assert compose(sent[0], details, "On call")[1] == "Still down, now: Nas: timeout"
