"""Target data from request bodies: typed, cleaned and validated as the form does.

The JSON type of each field comes from the engine's field table.
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import TYPE_CHECKING, Any, Final

from ..engine.config import (
    COMMON_KEYS,
    COMMON_NUMBERS,
    CONF_KIND,
    CONF_NAME,
    KIND_KEYS,
    kind_fields,
    normalize_tags,
    validate_target,
)
from ..engine.fields import MAX_LIST_ITEMS, FieldType, name_list
from ..engine.models import Target, TargetKind
from ..target_checks import hass_target_errors
from .request import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TEXT_LENGTH,
    bad_request,
    field_errors_detail,
)

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

TOKEN: Final = "token"  # noqa: S105 - the field name, not a secret

_STR = "str"
_INT = "int"
_NUMBER = "number"
_BOOL = "bool"
_TAGS = "tags"
_STR_OR_NUMBER = "str_or_number"
_LIST = "list"

# How a field type is typed in JSON.
_JSON_TYPES: Final[Mapping[FieldType, str]] = {
    FieldType.INTEGER: _INT,
    FieldType.NUMBER: _NUMBER,
    FieldType.BOOLEAN: _BOOL,
    FieldType.TEXT_OR_NUMBER: _STR_OR_NUMBER,
    FieldType.LIST: _LIST,
}
# How each field of a target's data is typed in JSON (text unless said).
FIELD_TYPES: Final[Mapping[str, str]] = {
    "enabled": _BOOL,
    "tags": _TAGS,
    **{f.name: _JSON_TYPES[f.spec.type] for f in COMMON_NUMBERS},
    **{
        f.name: _JSON_TYPES.get(f.spec.type, _STR)
        for kind in TargetKind
        for f in kind_fields(kind)
    },
}
_EXPECTED = {
    _STR: "a string",
    _INT: "a whole number",
    _NUMBER: "a number",
    _BOOL: "true or false",
    _TAGS: f"a list of at most {MAX_TAGS} strings of at most {MAX_TAG_LENGTH} characters",
    _STR_OR_NUMBER: "a string or a number",
    _LIST: f"a list of at most {MAX_LIST_ITEMS} non-empty strings",
}
_REMOVE: Final = object()


def editable_fields(kind: TargetKind) -> frozenset[str]:
    """Return the fields a request body may set for ``kind``."""
    return (COMMON_KEYS | KIND_KEYS[kind]) - {TOKEN}


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def clean_field(name: str, value: Any) -> Any:
    """Return a body field as stored in the subentry, or ``_REMOVE``.

    ``null`` and blank text (except for the name) unset a field, as emptying
    it in the UI does; whole floats become integers; tags are normalised.
    """
    if value is None:
        return _REMOVE
    kind = FIELD_TYPES.get(name, _STR)
    cleaned: Any = None
    if kind == _STR and isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH:
        cleaned = value.strip()
        if not cleaned and name != CONF_NAME:
            return _REMOVE
    elif kind == _INT and _is_number(value) and float(value).is_integer():
        cleaned = int(value)
    elif (kind == _NUMBER and _is_number(value)) or (
        kind == _BOOL and isinstance(value, bool)
    ):
        cleaned = value
    elif kind == _STR_OR_NUMBER and (
        (isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH) or _is_number(value)
    ):
        cleaned = value.strip() if isinstance(value, str) else str(value)
        if not cleaned:
            return _REMOVE
    elif (
        kind == _TAGS
        and isinstance(value, list)
        and len(value) <= MAX_TAGS
        and all(isinstance(t, str) and len(t) <= MAX_TAG_LENGTH for t in value)
    ):
        cleaned = list(normalize_tags(value))
    elif kind == _LIST and isinstance(value, list):
        if not value:
            return _REMOVE
        names = name_list(value)
        if names is not None and all(len(n) <= MAX_TEXT_LENGTH for n in names):
            cleaned = list(names)
    if cleaned is None:
        raise bad_request(f"Invalid field '{name}': expected {_EXPECTED[kind]}")
    return cleaned


def apply_fields(data: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Merge cleaned body fields into ``data`` (in place)."""
    for name, value in body.items():
        cleaned = clean_field(name, value)
        if cleaned is _REMOVE:
            data.pop(name, None)
        else:
            data[name] = cleaned


def body_kind(body: Mapping[str, Any]) -> TargetKind:
    """Return the kind named in a creation body."""
    if CONF_KIND not in body:
        raise bad_request("Missing field 'kind': one of " + ", ".join(TargetKind))
    raw = body[CONF_KIND]
    if not isinstance(raw, str) or raw not in set(TargetKind):
        raise bad_request(
            "Invalid field 'kind': Unknown kind of target. Expected one of "
            + ", ".join(TargetKind)
        )
    return TargetKind(raw)


def configured(coordinator: PiAlertCoordinator) -> dict[str, Target]:
    """Return the targets as configured (the subentries), by id."""
    return {t.id: t for t in coordinator.configured_targets()}


async def validated(
    coordinator: PiAlertCoordinator, data: Mapping[str, Any], target_id: str | None
) -> None:
    """Refuse target data that the config flow would refuse too."""
    errors = validate_target(
        data, target_id=target_id, existing=configured(coordinator)
    )
    errors = hass_target_errors(coordinator.hass, data) | errors
    if errors:
        raise bad_request(await field_errors_detail(coordinator.hass, errors))
