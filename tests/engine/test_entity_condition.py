"""Tests of entity targets' conditions (engine/probes/entity.py)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes.entity import (
    EntityCondition,
    EntitySettings,
    evaluate,
)
from custom_components.pialert.engine.settings import WEEK as MAX_FOR_SECONDS


def cond(condition: EntityCondition, value: str | None = None) -> EntitySettings:
    return EntitySettings(entity_id="sensor.x", condition=condition, value=value)


# -------------------------------------------------------------- from_mapping


def test_from_mapping_defaults() -> None:
    assert EntitySettings.from_mapping({"entity_id": "binary_sensor.door"}) == (
        EntitySettings("binary_sensor.door", EntityCondition.UNAVAILABLE, None, 0)
    )


def test_from_mapping_values() -> None:
    assert EntitySettings.from_mapping(
        {
            "entity_id": "sensor.t",
            "condition": "above",
            "value": 21.5,
            "for_seconds": "30",
        }
    ) == EntitySettings("sensor.t", EntityCondition.ABOVE, "21.5", 30)
    assert EntitySettings.from_mapping(
        {
            "entity_id": "sensor.t",
            "condition": "equals",
            "value": "",
            "for_seconds": None,
        }
    ) == EntitySettings("sensor.t", EntityCondition.EQUALS, None, 0)
    assert (
        EntitySettings.from_mapping(
            {"entity_id": "sensor.t", "condition": "below", "value": 0}
        ).value
        == "0"
    )
    with pytest.raises(ValueError, match="sideways"):
        EntitySettings.from_mapping({"entity_id": "sensor.t", "condition": "sideways"})


# ----------------------------------------------------------------- evaluate


@pytest.mark.parametrize("condition", list(EntityCondition))
@pytest.mark.parametrize(
    ("state", "error"),
    [
        (None, "sensor.x does not exist"),
        ("unavailable", "sensor.x is unavailable"),
        ("unknown", "sensor.x is unknown"),
    ],
)
def test_unavailable_unknown_and_missing_always_fail(
    condition: EntityCondition, state: str | None, error: str
) -> None:
    assert evaluate(cond(condition, "5"), state) == error


@pytest.mark.parametrize("state", ["on", "off", "0", "", "Unavailable"])
def test_unavailable_condition_passes_other_states(state: str) -> None:
    assert evaluate(cond(EntityCondition.UNAVAILABLE), state) is None


def test_equals_fails_on_the_value() -> None:
    settings_ = cond(EntityCondition.EQUALS, "open")
    assert evaluate(settings_, "open") == "sensor.x is open"
    assert evaluate(settings_, "closed") is None
    assert evaluate(settings_, "Open") is None  # exact comparison


def test_not_equals_fails_on_anything_else() -> None:
    settings_ = cond(EntityCondition.NOT_EQUALS, "home")
    assert evaluate(settings_, "home") is None
    assert evaluate(settings_, "away") == "sensor.x is away, expected home"


@pytest.mark.parametrize(
    ("condition", "limit", "state", "error"),
    [
        (EntityCondition.ABOVE, "30", "30.5", "sensor.x is 30.5, above 30"),
        (EntityCondition.ABOVE, "30", "30", None),
        (EntityCondition.ABOVE, "30", "29.9", None),
        (EntityCondition.ABOVE, "-5", "-4", "sensor.x is -4, above -5"),
        (EntityCondition.ABOVE, "1e3", "1001", "sensor.x is 1001, above 1e3"),
        (EntityCondition.BELOW, "10", "9", "sensor.x is 9, below 10"),
        (EntityCondition.BELOW, "10", "10", None),
        (EntityCondition.BELOW, "10", "10.0001", None),
        (EntityCondition.BELOW, "10", " 5 ", "sensor.x is  5 , below 10"),
    ],
)
def test_numeric_conditions(
    condition: EntityCondition, limit: str, state: str, error: str | None
) -> None:
    assert evaluate(cond(condition, limit), state) == error


@pytest.mark.parametrize("condition", [EntityCondition.ABOVE, EntityCondition.BELOW])
@pytest.mark.parametrize("state", ["on", "", "nan", "inf", "-inf", "12 °C"])
def test_non_numeric_states_fail_numeric_conditions(
    condition: EntityCondition, state: str
) -> None:
    assert evaluate(cond(condition, "10"), state) == (
        f"sensor.x state {state!r} is not a number"
    )


def test_numeric_condition_without_a_numeric_limit_fails() -> None:
    assert evaluate(cond(EntityCondition.ABOVE, None), "3") == (
        "sensor.x state '3' is not a number"
    )
    assert evaluate(cond(EntityCondition.BELOW, "abc"), "3") is not None


@settings(max_examples=80, deadline=None)
@given(
    state=st.floats(allow_nan=False, allow_infinity=False, width=32),
    limit=st.floats(allow_nan=False, allow_infinity=False, width=32),
)
def test_numeric_conditions_match_comparison(state: float, limit: float) -> None:
    above = evaluate(cond(EntityCondition.ABOVE, repr(limit)), repr(state))
    below = evaluate(cond(EntityCondition.BELOW, repr(limit)), repr(state))
    assert (above is not None) == (state > limit)
    assert (below is not None) == (state < limit)


# ----------------------------------------------------------------- validate


@pytest.mark.parametrize(
    "data",
    [
        {"entity_id": "sensor.temp"},
        {"entity_id": "binary_sensor.door_1", "condition": "unavailable"},
        {"entity_id": "sensor.t", "condition": "above", "value": "21.5"},
        {"entity_id": "sensor.t", "condition": "below", "value": -3},
        {"entity_id": "sensor.t", "condition": "equals", "value": "on"},
        {"entity_id": "sensor.t", "condition": "not_equals", "value": "home"},
        {"entity_id": "sensor.t", "for_seconds": MAX_FOR_SECONDS},
        {"entity_id": "sensor.t", "for_seconds": "0"},
        {"entity_id": "sensor.t", "for_seconds": None},
    ],
)
def test_validate_accepts(data: dict[str, object]) -> None:
    assert kind_errors(TargetKind.ENTITY, data) == {}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"entity_id": "invalid_entity_id"}),
        ({"entity_id": "Sensor.Temp"}, {"entity_id": "invalid_entity_id"}),
        ({"entity_id": "sensor"}, {"entity_id": "invalid_entity_id"}),
        ({"entity_id": "sensor.a.b"}, {"entity_id": "invalid_entity_id"}),
        ({"entity_id": "sensor. t"}, {"entity_id": "invalid_entity_id"}),
        ({"entity_id": "sensor.\nt"}, {"entity_id": "invalid_entity_id"}),
        (
            {"entity_id": "bad", "condition": "sideways"},
            {"entity_id": "invalid_entity_id", "condition": "invalid_condition"},
        ),
        (
            {"entity_id": "sensor.t", "condition": "above"},
            {"value": "value_not_numeric"},
        ),
        (
            {"entity_id": "sensor.t", "condition": "below", "value": "cold"},
            {"value": "value_not_numeric"},
        ),
        (
            {"entity_id": "sensor.t", "condition": "above", "value": "nan"},
            {"value": "value_not_numeric"},
        ),
        (
            {"entity_id": "sensor.t", "condition": "equals"},
            {"value": "value_required"},
        ),
        (
            {"entity_id": "sensor.t", "condition": "not_equals", "value": ""},
            {"value": "value_required"},
        ),
        (
            {"entity_id": "sensor.t", "for_seconds": -1},
            {"for_seconds": "invalid_duration"},
        ),
        (
            {"entity_id": "sensor.t", "for_seconds": MAX_FOR_SECONDS + 1},
            {"for_seconds": "invalid_duration"},
        ),
        (
            {"entity_id": "sensor.t", "for_seconds": "soon"},
            {"for_seconds": "invalid_duration"},
        ),
        (
            {"entity_id": "sensor.t", "for_seconds": [1]},
            {"for_seconds": "invalid_duration"},
        ),
    ],
)
def test_validate_rejects(data: dict[str, object], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.ENTITY, data) == errors
