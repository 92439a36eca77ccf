"""A heartbeat tracker as JSON-safe data and back (engine/persistence.py).

Open runs and kept pings came later than the tracker's times: files without
them load with none.
"""

from __future__ import annotations

from typing import Any

from .ping_log import PingLog, PingRecord
from .probes.heartbeat import HeartbeatTracker
from .saved_values import (
    as_list,
    as_mapping,
    as_moment,
    as_opt_int,
    as_opt_number,
    as_opt_str,
    as_req_moment,
    as_str,
    iso_or_none,
)


def dump_tracker(tracker: HeartbeatTracker) -> dict[str, Any]:
    """Return ``tracker`` as JSON-safe data."""
    return {
        "awaited_since": iso_or_none(tracker.awaited_since),
        "last_ping": iso_or_none(tracker.last_ping),
        "started_at": iso_or_none(tracker.started_at),
        "runs": {rid: started.isoformat() for rid, started in tracker.runs.items()},
        "pings": [
            {
                "at": ping.at.isoformat(),
                "signal": ping.signal,
                "rid": ping.rid,
                "exit_code": ping.exit_code,
                "duration_ms": ping.duration_ms,
                "body": ping.body,
            }
            for ping in reversed(tracker.log.latest())
        ],
    }


def _ping(item: Any, where: str) -> PingRecord:
    item = as_mapping(item, where)
    return PingRecord(
        at=as_req_moment(item.get("at"), f"{where}.at"),
        signal=as_str(item.get("signal"), f"{where}.signal"),
        rid=as_opt_str(item.get("rid"), f"{where}.rid"),
        exit_code=as_opt_int(item.get("exit_code"), f"{where}.exit_code"),
        duration_ms=as_opt_number(item.get("duration_ms"), f"{where}.duration_ms"),
        body=as_opt_str(item.get("body"), f"{where}.body") or "",
    )


def parse_tracker(item: Any, where: str) -> HeartbeatTracker:
    """Build a tracker from saved data; SavedStateError when it is malformed."""
    item = as_mapping(item, where)
    runs = as_mapping(item.get("runs", {}), f"{where}.runs")
    pings = as_list(item.get("pings", []), f"{where}.pings")
    return HeartbeatTracker(
        awaited_since=as_req_moment(
            item.get("awaited_since"), f"{where}.awaited_since"
        ),
        last_ping=as_moment(item.get("last_ping"), f"{where}.last_ping"),
        started_at=as_moment(item.get("started_at"), f"{where}.started_at"),
        runs={
            rid: as_req_moment(started, f"{where}.runs.{rid}")
            for rid, started in runs.items()
        },
        log=PingLog([_ping(p, f"{where}.pings[{i}]") for i, p in enumerate(pings)]),
    )
