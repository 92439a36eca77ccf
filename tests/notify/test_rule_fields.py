"""A rule's fields are described once: the form, the API and OpenAPI agree."""

from __future__ import annotations

from custom_components.pialert.api.openapi_notify import rule_create_schema
from custom_components.pialert.api.rule_bodies import fits
from custom_components.pialert.engine.fields import FieldType
from custom_components.pialert.engine.notify.rule_fields import (
    RULE_FIELDS,
    RULE_KEYS,
    STEP_FIELDS,
    rule_data,
)
from custom_components.pialert.engine.notify.rules import parse_rule
from custom_components.pialert.notify_rule_flow import (
    STEP_KEYS,
    TOP_NUMBERS,
    _number,
)


def test_form_boxes_and_openapi_bounds_come_from_the_table() -> None:
    """Each number's form box, OpenAPI schema and API check share its bounds."""
    properties = rule_create_schema()["properties"]
    numbers = [f for f in RULE_FIELDS if f.spec.type is FieldType.INTEGER]
    assert [f.name for f in numbers] == list(TOP_NUMBERS)
    for described in numbers:
        spec = described.spec
        box = _number(described.name)
        assert (box.config["min"], box.config["max"]) == (spec.minimum, spec.maximum)
        assert box.error == described.error
        schema = properties[described.name]
        assert (schema["minimum"], schema["maximum"]) == (spec.minimum, spec.maximum)
        assert fits(spec, spec.maximum)
        assert not fits(spec, (spec.maximum or 0) + 1)
    assert set(properties) == RULE_KEYS
    step = properties["steps"]["items"]["properties"]
    assert set(step) == {f.name for f in STEP_FIELDS}
    assert set(STEP_KEYS) == set(step) - {"after_minutes"}


def test_every_field_error_is_one_parse_rule_gives() -> None:
    """Out-of-range numbers get the table's error key from the engine's parser."""
    base = {"name": "x", "steps": [{"persistent": True}]}
    for described in RULE_FIELDS:
        spec = described.spec
        if spec.type is FieldType.INTEGER:
            too_big = (spec.maximum or 0) + 1
            _rule, errors = parse_rule("r", {**base, described.name: too_big})
            assert errors == {described.name: described.error}


def test_saved_data_reads_back_the_same() -> None:
    """``rule_data`` writes what ``parse_rule`` reads (what the subentry keeps)."""
    rule, errors = parse_rule(
        "r",
        {
            "name": " On call ",
            "scope": "tags",
            "tags": ["NAS", "nas", "printer"],
            "severities": ["warning"],
            "group_wait": 5.0,
            "steps": [
                {"notify_services": ["notify.mobile_app_phone"]},
                {
                    "after_minutes": 10,
                    "webhook_url": "http://h/x",
                    "webhook_secret": "s",
                },
            ],
            "site": "Flat",
        },
    )
    assert rule is not None, errors
    data = rule_data(rule)
    assert data["name"] == "On call"
    assert data["tags"] == ["nas", "printer"]
    assert data["group_wait"] == 5
    assert data["steps"][1]["webhook_secret"] == "s"
    assert parse_rule("r", data) == (rule, {})
