"""recorder: state rows the recorder writes per check cycle.

A real Home Assistant with the recorder (SQLite in the temporary config dir,
``commit_interval: 1``) runs PiAlert with 20 HTTP targets on the loopback
server: 19 always answer 200; "Flapper" (failure threshold 1) answers 200
until flapping is switched on, then alternately 500 and 200.

Checks are counted per target at the server: each target is checked at its
own phase of the interval, so a window is K checks of *every* target, not a
number of requests. The first check of every target runs at once while Home
Assistant starts; the rows written from then until each target's third
check are reported apart (start-up). Then the ``states`` rows per entity are counted
(sqlite3, read-only) before and after K quiet checks of every target, then
flapping is switched on and they are counted again after K more. Every row
written in a window is listed with its old and new state, so a response
time that moved is told apart from an entity rewriting an unchanged value.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer

NAME = "recorder"
TITLE = "Recorder rows per check cycle"

TARGETS = 20
FULL = {"rounds": 3, "interval": 10}
QUICK = {"rounds": 1, "interval": 10}
# Start-up lasts until every target's third check: the first runs at once,
# while Home Assistant starts (its response time measured under that load);
# the response-time sensor shows a move once two checks in a row saw it.
STARTUP_CHECKS = 3
DELAY = 0.05
COMMIT_WAIT = 2.5  # commit_interval 1 s, plus the recorder queue
YAML = """\
recorder:
  commit_interval: 1
  purge_keep_days: 1
"""


def query(db: str, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
    """Return the rows of ``sql`` on the database, opened read-only."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def count_rows(db: str) -> dict[str, int]:
    """Return the number of ``states`` rows per entity id."""
    rows = query(
        db,
        "SELECT m.entity_id, COUNT(*) FROM states s"
        " JOIN states_meta m ON s.metadata_id = m.metadata_id"
        " GROUP BY m.entity_id",
    )
    return {str(entity_id): int(count) for entity_id, count in rows}


def diff(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Return rows added per entity (only entities that got rows)."""
    return {
        entity_id: count - before.get(entity_id, 0)
        for entity_id, count in sorted(after.items())
        if count - before.get(entity_id, 0)
    }


def classify(added: dict[str, int]) -> dict[str, dict[str, int]]:
    """Split added rows into the flapping target's, other targets' and the rest."""
    groups: dict[str, dict[str, int]] = {
        "flapper": {},
        "other_targets": {},
        "hub_and_other": {},
    }
    for entity_id, count in added.items():
        object_id = entity_id.split(".", 1)[1]
        if object_id.startswith("flapper"):
            groups["flapper"][entity_id] = count
        elif object_id.startswith("site_"):
            groups["other_targets"][entity_id] = count
        else:
            groups["hub_and_other"][entity_id] = count
    return groups


def written_between(
    db: str, after_id: int, up_to_id: int | None = None
) -> list[tuple[str, str | None, str]]:
    """Return rows after ``after_id`` (up to ``up_to_id``): entity, old state, state."""
    rows = query(
        db,
        "SELECT m.entity_id, o.state, s.state FROM states s"
        " JOIN states_meta m ON s.metadata_id = m.metadata_id"
        " LEFT JOIN states o ON s.old_state_id = o.state_id"
        " WHERE s.state_id > ? AND s.state_id <= ? ORDER BY s.state_id",
        (after_id, up_to_id if up_to_id is not None else 2**62),
    )
    return [(str(e), None if o is None else str(o), str(n)) for e, o, n in rows]


def last_state_id(db: str) -> int:
    """Return the newest ``states`` row id."""
    ((value,),) = query(db, "SELECT MAX(state_id) FROM states")
    return int(value or 0)


def describe(rows: list[tuple[str, str | None, str]]) -> list[str]:
    """Return each row as ``object_id old -> new`` (what changed, and by how much)."""
    return [f"{e.split('.', 1)[1]} {old} -> {new}" for e, old, new in rows]


def checks_done(
    counts: dict[str, int], since: dict[str, int], paths: list[str], wanted: int
) -> bool:
    """Return whether every target's path got ``wanted`` requests after ``since``.

    Checks are spread over the interval (each target at its own phase), so a
    number of requests at the server is not a number of rounds: a window
    counted that way opens while some targets' earlier checks are still due.
    """
    return all(counts.get(p, 0) - since.get(p, 0) >= wanted for p in paths)


def run(quick: bool) -> Result:
    """Count rows over quiet rounds, then over flapping rounds."""
    size = QUICK if quick else FULL
    rounds, interval = size["rounds"], size["interval"]
    result = Result(
        NAME, TITLE, params={**size, "targets": TARGETS, "commit_interval": 1}
    )
    with SlowServer(http_ports=1, delay=DELAY) as server:
        urls = [server.url(i) for i in range(TARGETS - 1)]
        urls.append(server.url(0, path="flap"))
        paths = ["/" + url.split("/", 3)[3] for url in urls]
        targets = [
            http_target(f"Site {i:02d}", url, interval=interval)
            for i, url in enumerate(urls[:-1])
        ]
        targets.append(
            http_target("Flapper", urls[-1], interval=interval, failure_threshold=1)
        )
        with HassInstance("recorder", yaml=YAML, entry=hub_entry(targets)) as hass:
            hass.start()
            info = hass.wait_ready()
            say(f"recorder: Home Assistant ready after {info['ready_after_s']:.1f} s")
            db = str(hass.dir / "home-assistant_v2.db")
            deadline = time.monotonic() + 120 + interval * (2 * rounds + 3) * 3

            def counts() -> dict[str, int]:
                return dict(server.control("_stats/paths")["paths"])

            def wait_checks(wanted: int, since: dict[str, int]) -> dict[str, int]:
                while not checks_done(now := counts(), since, paths, wanted):
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"checks stalled at {now} (wanted {wanted} each)\n"
                            + hass.log_tail()
                        )
                    time.sleep(0.1)
                time.sleep(COMMIT_WAIT)
                return counts()

            wait_checks(1, {})
            first_id = last_state_id(db)
            settled = wait_checks(STARTUP_CHECKS, {})
            quiet_id = last_state_id(db)
            startup_rows = written_between(db, first_id, quiet_id)
            t0 = time.monotonic()
            quiet_before = count_rows(db)
            flap_from = wait_checks(rounds, settled)
            quiet_after = count_rows(db)
            flap_id = last_state_id(db)
            t1 = time.monotonic()
            server.control("_flap/on")
            wait_checks(rounds, flap_from)
            flap_after = count_rows(db)
            t2 = time.monotonic()
            quiet_written = written_between(db, quiet_id, flap_id)
            flap_written = written_between(db, flap_id)
            result.details["pialert_errors"] = [
                line for line in hass.errors() if "pialert" in line
            ][:10]
    result.details["startup_rows"] = describe(startup_rows)
    result.details["quiet_written"] = describe(quiet_written)
    result.details["flap_written"] = describe(flap_written)
    quiet = diff(quiet_before, quiet_after)
    flap = diff(quiet_after, flap_after)
    flap_groups = classify(flap)
    result.details.update(
        {
            "quiet_rows": quiet,
            "flap_rows": flap,
            "quiet_seconds": t1 - t0,
            "flap_seconds": t2 - t1,
            "entities_with_rows": len(quiet_after),
        }
    )
    result.add(
        f"start-up: rows from each target's first to its check {STARTUP_CHECKS}",
        len(startup_rows),
        "rows",
        note="the first check runs while Home Assistant starts; "
        + "; ".join(result.details["startup_rows"][:2]),
    )
    quiet_total = sum(quiet.values())
    result.add(
        f"nothing changes: rows per cycle ({TARGETS} targets)",
        quiet_total / rounds,
        "rows",
        "0",
        quiet_total == 0,
        "; ".join(result.details["quiet_written"][:4]),
    )
    flapper_rows = sum(flap_groups["flapper"].values())
    other_rows = sum(flap_groups["other_targets"].values())
    hub_rows = sum(flap_groups["hub_and_other"].values())
    result.add(
        "one target flaps: its own rows per cycle",
        flapper_rows / rounds,
        "rows",
        note=", ".join(sorted(e.split(".", 1)[1] for e in flap_groups["flapper"])),
    )
    result.add(
        "one target flaps: other targets' rows per cycle",
        other_rows / rounds,
        "rows",
        "0",
        other_rows == 0,
        "; ".join(
            row for row in result.details["flap_written"] if row.startswith("site_")
        ),
    )
    result.add(
        "one target flaps: hub rows per cycle",
        hub_rows / rounds,
        "rows",
        note=", ".join(
            sorted(e.split(".", 1)[1] for e in flap_groups["hub_and_other"])
        ),
    )
    return result
