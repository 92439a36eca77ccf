"""The API keys screen's table: data only, every word is in the translations.

The rows fill a Markdown table whose header is translated; cells hold names,
numbers and times in Home Assistant's time zone, so no English plural or
status word is built here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from homeassistant.util import dt as dt_util

from .api.keys import ApiKey

NEVER = "—"
YES = "✓"
NO = "✗"
COLUMNS = 7


def local_time(value: datetime | None) -> str:
    """Return a time in Home Assistant's time zone, to the minute."""
    if value is None:
        return NEVER
    return dt_util.as_local(value).strftime("%Y-%m-%d %H:%M")


def _cell(text: str) -> str:
    """Keep a user's text from breaking the table."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def key_rows(keys: Iterable[ApiKey]) -> str:
    """Return one Markdown table row per key (a row of dashes for none)."""
    return "\n".join(
        _row(
            (
                _cell(key.name),
                f"`{_cell(key.hint)}`",
                key.scope.value,
                YES if key.enabled else NO,
                local_time(key.created_at),
                str(key.usage_count),
                local_time(key.last_used_at),
            )
        )
        for key in keys
    ) or _row((NEVER,) * COLUMNS)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"
