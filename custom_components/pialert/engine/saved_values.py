"""Type-checked reading of saved values: each refusal says where and what.

Saved state is JSON written by an older or newer PiAlert, or edited by hand:
every value is checked here, so a wrong type is refused at load rather than
failing later, where it is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def iso_or_none(value: datetime | None) -> str | None:
    """Return a timestamp as saved, or None."""
    return value.isoformat() if value is not None else None


class SavedStateError(ValueError):
    """Saved state of the wrong shape or type; the message says where."""


def invalid(where: str, expected: str, value: Any) -> SavedStateError:
    """Return the error for a value of the wrong shape at ``where``."""
    return SavedStateError(f"{where}: expected {expected}, got {value!r:.60}")


def as_mapping(value: Any, where: str) -> Mapping[str, Any]:
    """Return an object."""
    if not isinstance(value, Mapping):
        raise invalid(where, "an object", value)
    return value


def as_list(value: Any, where: str) -> list[Any]:
    """Return a list."""
    if not isinstance(value, list):
        raise invalid(where, "a list", value)
    return value


def as_str(value: Any, where: str) -> str:
    """Return a string."""
    if not isinstance(value, str):
        raise invalid(where, "a string", value)
    return value


def as_opt_str(value: Any, where: str) -> str | None:
    """Return a string or None."""
    return None if value is None else as_str(value, where)


def as_count(value: Any, where: str) -> int:
    """Return a whole number of 0 or more."""
    # bool is an int to Python, not to the JSON that was saved.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise invalid(where, "a whole number of 0 or more", value)


def as_opt_count(value: Any, where: str) -> int | None:
    """Return a whole number of 0 or more, or None."""
    return None if value is None else as_count(value, where)


def as_number(value: Any, where: str) -> float:
    """Return a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(where, "a number", value)
    return float(value)


def as_opt_number(value: Any, where: str) -> float | None:
    """Return a number or None."""
    return None if value is None else as_number(value, where)


def as_bool(value: Any, where: str) -> bool:
    """Return true or false."""
    if not isinstance(value, bool):
        raise invalid(where, "true or false", value)
    return value


def as_moment(value: Any, where: str = "timestamp") -> datetime | None:
    """Parse an optional timestamp; it must carry its time zone."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid(where, "a timestamp", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise invalid(where, "a timestamp", value) from None
    if parsed.tzinfo is None:
        # Compared with aware times later, a naive one would fail there.
        raise invalid(where, "a timestamp with a time zone", value)
    return parsed


def as_req_moment(value: Any, where: str = "timestamp") -> datetime:
    """Return a timestamp that must be there."""
    parsed = as_moment(value, where)
    if parsed is None:
        raise SavedStateError(f"{where}: missing timestamp")
    return parsed


def as_str_set(value: Any, where: str) -> frozenset[str]:
    """Return a list of strings as a set."""
    return frozenset(
        as_str(item, f"{where}[{i}]") for i, item in enumerate(as_list(value, where))
    )


def as_opt_int(value: Any, where: str) -> int | None:
    """Return a whole number (negative too), or None."""
    # A certificate may have expired: its remaining days go below 0.
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise invalid(where, "a whole number", value)
