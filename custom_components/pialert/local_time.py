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


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; a naive one is in Home Assistant's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(moment)
