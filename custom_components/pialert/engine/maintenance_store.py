"""Maintenance windows as saved (the state file's ``maintenance_windows``)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from .cron import is_cron, is_time_zone
from .maintenance import DAYS, MaintenanceWindow, MaintenanceWindows
from .saved_values import (
    as_list,
    as_mapping,
    as_moment,
    as_number,
    as_opt_str,
    as_req_moment,
    as_str,
    as_str_set,
    invalid,
    iso_or_none,
)


def dump_windows(windows: MaintenanceWindows) -> list[dict[str, Any]]:
    """Return the windows as JSON-safe data."""
    return [
        {
            "id": w.id,
            "name": w.name,
            "time_zone": w.time_zone,
            "cron": w.cron,
            "duration_seconds": w.duration.total_seconds(),
            "created_by": w.created_by,
            "created_at": iso_or_none(w.created_at),
            "days": list(w.days),
            "start_time": _clock(w.start_time),
            "end_time": _clock(w.end_time),
            "target_ids": sorted(w.target_ids),
            "tags": sorted(w.tags),
            "until": iso_or_none(w.until),
        }
        for w in windows.windows.values()
    ]


def _clock(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _time(value: Any, where: str) -> time | None:
    text = as_opt_str(value, where)
    if text is None:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise invalid(where, "a time HH:MM", value) from None


def parse_windows(data: Any) -> list[MaintenanceWindow]:
    """Check saved windows and build them; raise SavedStateError."""
    windows = []
    for index, raw in enumerate(as_list(data, "maintenance_windows")):
        where = f"maintenance_windows[{index}]"
        item = as_mapping(raw, where)
        zone = as_str(item.get("time_zone"), f"{where}.time_zone")
        cron = as_str(item.get("cron"), f"{where}.cron")
        days = tuple(as_str_set(item.get("days", []), f"{where}.days"))
        if not is_time_zone(zone) or not is_cron(cron) or set(days) - set(DAYS):
            raise invalid(where, "a time zone, cron expression and days", raw)
        seconds = as_number(item.get("duration_seconds"), f"{where}.duration_seconds")
        windows.append(
            MaintenanceWindow(
                id=as_str(item.get("id"), f"{where}.id"),
                name=as_str(item.get("name"), f"{where}.name"),
                time_zone=zone,
                cron=cron,
                duration=timedelta(seconds=seconds),
                created_by=as_str(item.get("created_by"), f"{where}.created_by"),
                created_at=as_req_moment(item.get("created_at"), f"{where}.created_at"),
                days=tuple(d for d in DAYS if d in days),
                start_time=_time(item.get("start_time"), f"{where}.start_time"),
                end_time=_time(item.get("end_time"), f"{where}.end_time"),
                target_ids=as_str_set(
                    item.get("target_ids", []), f"{where}.target_ids"
                ),
                tags=as_str_set(item.get("tags", []), f"{where}.tags"),
                until=as_moment(item.get("until"), f"{where}.until"),
            )
        )
    return windows
