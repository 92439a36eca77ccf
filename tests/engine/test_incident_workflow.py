"""The incident workflow's rules and how its records are saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.incident_workflow import (
    IncidentUpdate,
    IncidentWork,
    Presets,
    Stamp,
    apply_update,
    dump_work,
    first_view,
    parse_work,
    preset_list,
)
from custom_components.pialert.engine.saved_values import SavedStateError

AT = datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_update_and_round_trip() -> None:
    work, changes = apply_update(
        IncidentWork(),
        IncidentUpdate(root_cause=" Disk full ", note="df said 100 %", dismissed=True),
        Presets(),
        "Ann",
        AT,
    )
    assert changes == [
        ("root_cause", "Disk full"),
        ("note", "df said 100 %"),
        ("dismissed", "true"),
    ]
    assert work.root_cause == Stamp("Disk full", AT, "Ann")
    assert parse_work(dump_work(work), "w") == work
    # Files saved before the workflow existed have no "work": none recorded.
    assert parse_work(None, "w") == IncidentWork()
    assert dump_work(IncidentWork()) is None


def test_first_view_only_and_saved() -> None:
    viewed = first_view(IncidentWork(), "Ann", AT)
    assert viewed is not None
    assert viewed.viewed == Stamp("", AT, "Ann")
    assert first_view(viewed, "Bob", AT) is None  # only the first view counts
    saved = dump_work(viewed)
    assert parse_work(saved, "w") == viewed
    # Work saved before views were recorded has no "viewed" key.
    assert saved is not None
    del saved["viewed"]
    assert parse_work(saved, "w") == IncidentWork()


def test_same_value_is_no_change() -> None:
    work, _ = apply_update(
        IncidentWork(), IncidentUpdate(root_cause="x"), Presets(), "Ann", AT
    )
    with pytest.raises(RefusedError) as err:
        apply_update(work, IncidentUpdate(root_cause="x"), Presets(), "Bob", AT)
    assert err.value.key == "incident_unchanged"


def test_presets() -> None:
    presets = Presets(root_causes=("Power cut",), allow_custom=False)
    work, _ = apply_update(
        IncidentWork(), IncidentUpdate(root_cause="POWER CUT"), presets, "Ann", AT
    )
    assert work.root_cause is not None
    assert work.root_cause.text == "Power cut"
    with pytest.raises(RefusedError) as err:
        apply_update(IncidentWork(), IncidentUpdate(action_taken="x"), presets, "A", AT)
    assert err.value.placeholders == {"field": "action_taken", "presets": "-"}
    assert preset_list(" a, B ,b,, c") == ("a", "B", "c")


@pytest.mark.parametrize(
    "saved",
    [
        {"root_cause": {"text": 5, "at": AT.isoformat(), "by": "x"}},
        {"notes": {"text": "x"}},
        {"dismissed": {"text": "", "at": "yesterday", "by": "x"}},
        "work",
    ],
)
def test_bad_saved_work_is_refused(saved: object) -> None:
    with pytest.raises(SavedStateError):
        parse_work(saved, "incidents[0].work")
