"""The target subentry form, generated from the engine's field table.

Select options double as translation keys, which must be lowercase: protocol
words ("GET", "AAAA") are shown lowercase and saved in their own spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers import selector
import probatio as vol

from .engine.config import (
    COMMON_NUMBERS,
    CONF_DEPENDS_ON,
    CONF_ENABLED,
    CONF_INTERVAL,
    CONF_KIND,
    CONF_NAME,
    CONF_TAGS,
    CONF_TIMEOUT,
    common_default,
    kind_fields,
    normalize_tags,
)
from .engine.fields import NUMERIC_TYPES, Field, FieldType
from .engine.models import POLLED_KINDS, Target, TargetKind
from .engine.rule_fields import POLLED_RULE_KEYS
from .form_numbers import BOOLEAN, TEXT, FormNumber, select_box
from .list_selectors import list_selector

URL = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
)
POLLED_ONLY = frozenset({CONF_INTERVAL, CONF_TIMEOUT}) | POLLED_RULE_KEYS


def field_selector(field: Field) -> selector.Selector[Any]:
    """Return the form box of a field."""
    spec = field.spec
    match spec.type:
        case FieldType.URL:
            return URL
        case FieldType.ENTITY:
            return selector.EntitySelector()
        case FieldType.LIST:
            return list_selector(spec.item)
        case FieldType.BOOLEAN:
            return BOOLEAN
        case FieldType.CHOICE:
            return select_box([c.lower() for c in spec.choices], field.name)
        case FieldType.INTEGER | FieldType.NUMBER:
            return FormNumber(
                spec.minimum if spec.minimum is not None else 0,
                spec.maximum if spec.maximum is not None else 1e9,
                field.error,
                unit=spec.unit,
                step=spec.step,
            )
    return TEXT


def _form_default(field: Field) -> Any:
    default = field.spec.default
    if field.spec.type is FieldType.CHOICE and isinstance(default, str):
        return default.lower()
    return vol.UNDEFINED if default is None else default


def _marker(field: Field, default: Any) -> vol.Marker:
    """Return the field's schema key.

    A number without default is optional in the schema so that its box starts
    empty (the frontend fills a required number with its minimum); the
    engine's validation still requires it.
    """
    spec = field.spec
    required = spec.default is not None or (
        spec.required and spec.type not in NUMERIC_TYPES
    )
    return (vol.Required if required else vol.Optional)(field.name, default=default)


def form_fields(kind: TargetKind) -> tuple[Field, ...]:
    """Return the kind's fields a user fills in (not the generated ones)."""
    return tuple(f for f in kind_fields(kind) if f.spec.type is not FieldType.SECRET)


def target_schema(
    kind: TargetKind, existing: Mapping[str, Target], target_id: str | None
) -> vol.Schema:
    """Return the form of a kind; ``existing`` fills the dependency and tag lists."""
    fields: dict[Any, Any] = {vol.Required(CONF_NAME): TEXT}
    for field in form_fields(kind):
        fields[_marker(field, _form_default(field))] = field_selector(field)
    for number in COMMON_NUMBERS:
        if number.name in POLLED_ONLY and kind not in POLLED_KINDS:
            continue
        default = common_default(number.name, kind)
        if default is None:  # an optional rule: its box starts empty
            fields[vol.Optional(number.name)] = field_selector(number)
        else:
            fields[vol.Required(number.name, default=default)] = field_selector(number)
    others = [
        selector.SelectOptionDict(value=tid, label=t.name)
        for tid, t in sorted(existing.items(), key=lambda kv: kv[1].name)
        if tid != target_id
    ]
    if others:
        fields[vol.Optional(CONF_DEPENDS_ON)] = selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=others, mode=selector.SelectSelectorMode.DROPDOWN
            )
        )
    tags = sorted({tag for t in existing.values() for tag in t.tags})
    fields[vol.Optional(CONF_TAGS)] = selector.SelectSelector(
        selector.SelectSelectorConfig(options=tags, multiple=True, custom_value=True)
    )
    fields[vol.Required(CONF_ENABLED, default=True)] = BOOLEAN
    return vol.Schema(fields)


def _choice_fields(kind: TargetKind) -> dict[str, Field]:
    return {f.name: f for f in kind_fields(kind) if f.spec.type is FieldType.CHOICE}


def form_values(kind: TargetKind, data: Mapping[str, Any]) -> dict[str, Any]:
    """Show saved data in the form: protocol words as their lowercase options."""
    choices = _choice_fields(kind)
    return {
        key: value.lower() if key in choices and isinstance(value, str) else value
        for key, value in data.items()
    }


def clean_form_input(kind: TargetKind, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form input into subentry data: whole numbers, trimmed text, tags."""
    choices = _choice_fields(kind)
    whole = {
        f.name
        for f in (*kind_fields(kind), *COMMON_NUMBERS)
        if f.spec.type is FieldType.INTEGER
    }
    data: dict[str, Any] = {CONF_KIND: kind.value}
    for key, raw in user_input.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if (value == "" and key != CONF_NAME) or value == []:
            continue  # an emptied optional field means "not set"
        if key in whole and isinstance(value, float) and value.is_integer():
            value = int(value)
        if key in choices and isinstance(value, str):
            # Saved in the choice's own spelling (GET, AAAA, unavailable).
            value = choices[key].spec.parse(value)
        data[key] = value
    if CONF_TAGS in data:
        data[CONF_TAGS] = list(normalize_tags(data[CONF_TAGS]))
    return data
