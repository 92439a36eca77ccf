"""Times in text that people read, in Home Assistant's time zone."""

from __future__ import annotations

from datetime import datetime

from homeassistant.util import dt as dt_util


def local_time_text(moment: datetime, now: datetime) -> str:
    """Write ``moment`` in local time; with its date unless it is ``now``'s day."""
    local = dt_util.as_local(moment)
    if local.date() == dt_util.as_local(now).date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")
