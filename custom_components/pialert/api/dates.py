"""The one parser of dates and times given to the API, in bodies or queries.

A value that looks like ISO 8601 but names no real moment (minute 99,
30 February, a year past 9999 once converted) is refused with 400 naming
the field, never left to raise inside a handler.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from http import HTTPStatus
import re
from typing import Final, Literal

from ..local_time import as_utc
from .base import ApiError

type Source = Literal["field", "query parameter"]

EXPECTED_DATETIME: Final = (
    "expected an ISO 8601 date and time, for example 2026-01-31T22:00:00+01:00"
)
EXPECTED_DATE_OR_DATETIME: Final = (
    "expected a date (YYYY-MM-DD) or an ISO 8601 date and time"
)

# The shape only; whether the numbers make a real moment is checked after.
_ISO_SHAPE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?P<time>[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_moment(
    raw: object,
    name: str,
    *,
    source: Source = "field",
    end_of_day: bool = False,
) -> datetime:
    """Return ``raw`` as an aware UTC datetime, or raise a 400 naming ``name``.

    A date alone means the start of that day in Home Assistant's time zone
    (its last moment with ``end_of_day``); so does a time without an offset.
    """
    expected = EXPECTED_DATETIME if source == "field" else EXPECTED_DATE_OR_DATETIME
    text = raw.strip() if isinstance(raw, str) else None
    match = _ISO_SHAPE.fullmatch(text) if text else None
    if text is None or match is None:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"Invalid {source} '{name}': {expected}")
    try:
        if match.group("time") is None:
            day = date.fromisoformat(text)
            if end_of_day:
                day += timedelta(days=1)
            utc = as_utc(datetime.combine(day, time()))
            return utc - timedelta(microseconds=1) if end_of_day else utc
        return as_utc(datetime.fromisoformat(_six_fraction_digits(text)))
    except (ValueError, OverflowError):
        raise _out_of_range(source, name) from None


def _six_fraction_digits(text: str) -> str:
    # fromisoformat wants a dot; more than six digits are below a microsecond.
    return re.sub(
        r"[.,](\d+)", lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1
    )


def _out_of_range(source: Source, name: str) -> ApiError:
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        f"Invalid {source} '{name}': out of range (not a real date and time, "
        "or beyond year 9999)",
    )
