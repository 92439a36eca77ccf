"""recorder: state rows the recorder writes per check cycle.

A real Home Assistant with the recorder (SQLite in the temporary config dir,
``commit_interval: 1``) runs PiAlert with 20 HTTP targets on the loopback
server: 19 always answer 200; "Flapper" (failure threshold 1) answers 200
until flapping is switched on, then alternately 500 and 200.

Rounds are counted at the server (one round = one request per target). After
start-up has settled (two rounds), the ``states`` rows per entity are counted
(sqlite3, read-only) before and after K quiet rounds, then flapping is
switched on and they are counted again after K more rounds.
"""

from __future__ import annotations

import sqlite3
import time

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer

NAME = "recorder"
TITLE = "Recorder rows per check cycle"

TARGETS = 20
FULL = {"rounds": 3, "settle_rounds": 2, "interval": 10}
QUICK = {"rounds": 1, "settle_rounds": 1, "interval": 10}
DELAY = 0.05
COMMIT_WAIT = 2.5  # commit_interval 1 s, plus the recorder queue
YAML = """\
recorder:
  commit_interval: 1
  purge_keep_days: 1
"""


def count_rows(db: str) -> dict[str, int]:
    """Return the number of ``states`` rows per entity id."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        rows = connection.execute(
            "SELECT m.entity_id, COUNT(*) FROM states s"
            " JOIN states_meta m ON s.metadata_id = m.metadata_id"
            " GROUP BY m.entity_id"
        ).fetchall()
    finally:
        connection.close()
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


def run(quick: bool) -> Result:
    """Count rows over quiet rounds, then over flapping rounds."""
    size = QUICK if quick else FULL
    rounds, interval = size["rounds"], size["interval"]
    result = Result(
        NAME, TITLE, params={**size, "targets": TARGETS, "commit_interval": 1}
    )
    with SlowServer(http_ports=1, delay=DELAY) as server:
        targets = [
            http_target(f"Site {i:02d}", server.url(i), interval=interval)
            for i in range(TARGETS - 1)
        ]
        targets.append(
            http_target(
                "Flapper",
                server.url(0, path="flap"),
                interval=interval,
                failure_threshold=1,
            )
        )
        with HassInstance("recorder", yaml=YAML, entry=hub_entry(targets)) as hass:
            hass.start()
            info = hass.wait_ready()
            say(f"recorder: Home Assistant ready after {info['ready_after_s']:.1f} s")
            db = str(hass.dir / "home-assistant_v2.db")
            deadline = time.monotonic() + 120 + interval * (2 * rounds + 3) * 3

            def served() -> int:
                stats = server.stats()
                return int(stats["slow_requests"]) + int(stats["flap_requests"])

            def wait_rounds(count: int) -> None:
                wanted = served() + count * TARGETS
                while served() < wanted:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"checks stalled at {served()} of {wanted} requests\n"
                            + hass.log_tail()
                        )
                    time.sleep(0.1)
                time.sleep(COMMIT_WAIT)

            # Start-up: unknown -> up, first uptime figures; let it settle.
            wait_rounds(size["settle_rounds"])
            t0 = time.monotonic()
            quiet_before = count_rows(db)
            wait_rounds(rounds)
            quiet_after = count_rows(db)
            t1 = time.monotonic()
            server.control("_flap/on")
            wait_rounds(rounds)
            flap_after = count_rows(db)
            t2 = time.monotonic()
            result.details["pialert_errors"] = [
                line for line in hass.errors() if "pialert" in line
            ][:10]
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
    quiet_total = sum(quiet.values())
    result.add(
        f"nothing changes: rows per cycle ({TARGETS} targets)",
        quiet_total / rounds,
        "rows",
        "0",
        quiet_total == 0,
        ", ".join(f"{k} {v}" for k, v in list(quiet.items())[:4]),
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
        ", ".join(list(flap_groups["other_targets"])[:4]),
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
