"""HTTP body and header assertions: small, documented, no code evaluated.

A JSON path is dotted keys, with list indexes as numbers: ``status``,
``queue.length``, ``items.0.state``. A value there is compared as text
(``equals``, ``not_equals``, ``contains``) or as a number (``above``,
``below``), or only required to exist. A header assertion names a header
that must be present and, optionally, text its value must contain (case is
ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
import json
import math
import re
from typing import Any, Final, Protocol

# Keys of letters, digits, _ and -; list indexes are whole numbers.
JSON_PATH: Final = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+){0,19}$")
# RFC 9110 token characters.
HEADER_NAME: Final = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
_MISSING: Final = object()


class JsonCondition(StrEnum):
    """How the value at a JSON path is judged."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    CONTAINS = "contains"
    ABOVE = "above"
    BELOW = "below"
    EXISTS = "exists"


NUMERIC_JSON_CONDITIONS: Final = frozenset({JsonCondition.ABOVE, JsonCondition.BELOW})


def is_json_path(text: str) -> bool:
    """Return whether ``text`` is a dotted JSON path."""
    return JSON_PATH.fullmatch(text) is not None


def is_header_name(text: str) -> bool:
    """Return whether ``text`` could name an HTTP header."""
    return HEADER_NAME.fullmatch(text) is not None


def value_at(document: Any, path: str) -> Any:
    """Return the value at ``path``, or ``_MISSING``."""
    current = document
    for key in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(key, _MISSING)
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            return _MISSING
        if current is _MISSING:
            return _MISSING
    return current


def _as_text(value: Any) -> str:
    """Return a JSON value as compared text: true, null, 3, 2.5, ok."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, separators=(",", ":"))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def json_problem(
    body: str, path: str, condition: JsonCondition, expected: str | None
) -> str | None:
    """Return why the body fails the JSON assertion, or None."""
    try:
        document = json.loads(body)
    except ValueError:
        return "JSON: the body is not JSON"
    value = value_at(document, path)
    if value is _MISSING:
        return f"JSON: {path} not found"
    if condition is JsonCondition.EXISTS:
        return None
    shown = _as_text(value)
    wanted = expected or ""
    if condition in NUMERIC_JSON_CONDITIONS:
        number, limit = _number(value), _number(wanted)
        if number is None or limit is None:
            return f"JSON: {path} is {shown!r}, not a number"
        holds = number > limit if condition is JsonCondition.ABOVE else number < limit
    elif condition is JsonCondition.CONTAINS:
        holds = wanted in shown
    else:
        holds = (shown == wanted) == (condition is JsonCondition.EQUALS)
    if holds:
        return None
    words = condition.value.replace("_", " ")
    return f"JSON: {path} is {shown!r}, expected {words} {wanted!r}"


def header_problem(
    headers: Mapping[str, str], name: str, contains: str | None
) -> str | None:
    """Return why the headers fail the header assertion, or None."""
    value = headers.get(name)
    if value is None:
        return f"Header {name} missing"
    if contains is not None and contains.casefold() not in value.casefold():
        return f"Header {name} is {value!r}, expected to contain {contains!r}"
    return None


def assertion_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Return {field: error_key} for assertions missing a part (valid values given)."""
    errors: dict[str, str] = {}
    path, condition = values.get("json_path"), values.get("json_condition")
    value = values.get("json_value")
    if path is not None:
        if values.get("method") == "HEAD":
            errors["json_path"] = "json_with_head"
        elif condition in NUMERIC_JSON_CONDITIONS and _number(value) is None:
            errors["json_value"] = "value_not_numeric"
        elif condition not in (None, JsonCondition.EXISTS) and value is None:
            errors["json_value"] = "json_value_required"
    elif value is not None:
        errors["json_path"] = "json_path_required"
    if values.get("header_value") is not None and values.get("header_name") is None:
        errors["header_name"] = "header_name_required"
    return errors


class Assertions(Protocol):
    """The assertion fields of an HTTP target's settings."""

    @property
    def json_path(self) -> str | None:
        """The dotted path, if any."""

    @property
    def json_condition(self) -> JsonCondition:
        """How the value there is judged."""

    @property
    def json_value(self) -> str | None:
        """What it is compared with."""

    @property
    def header_name(self) -> str | None:
        """A header that must be present."""

    @property
    def header_value(self) -> str | None:
        """Text that header must contain."""


def assertion_problem(
    settings: Assertions, body: str | None, headers: Mapping[str, str]
) -> str | None:
    """Return why a response fails the target's assertions, or None."""
    if settings.header_name is not None and (
        problem := header_problem(headers, settings.header_name, settings.header_value)
    ):
        return problem
    if settings.json_path is not None and body is not None:
        return json_problem(
            body, settings.json_path, settings.json_condition, settings.json_value
        )
    return None
