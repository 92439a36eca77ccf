"""The check log: compact per-target rings of the last checks."""

from __future__ import annotations

from array import array
from datetime import UTC, datetime, timedelta
import re
import sys

import pytest

from custom_components.pialert.engine.check_log import (
    CHECK_LOG_SIZE,
    MAX_ERROR_CHARS,
    CheckLog,
    CheckRecord,
    CheckRing,
    parse_check_log,
)
from custom_components.pialert.engine.history import History
from custom_components.pialert.engine.models import CheckResult
from custom_components.pialert.engine.saved_values import SavedStateError

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def check(minute: int, ok: bool = True, ms: float | None = 12.5, error: str = "boom"):
    return CheckResult(
        success=ok,
        checked_at=T0 + timedelta(minutes=minute),
        error=None if ok else error,
        response_time_ms=ms,
    )


def test_ring_keeps_the_last_checks_in_order() -> None:
    ring = CheckRing()
    for minute in range(250):
        ring.add(check(minute, ok=minute % 3 != 0, error=f"e{minute}"))
    assert len(ring) == CHECK_LOG_SIZE
    records = ring.records()
    assert [r.checked_at for r in records] == [
        T0 + timedelta(minutes=m) for m in range(150, 250)
    ]
    assert records[-1] == CheckRecord(T0 + timedelta(minutes=249), False, 12.5, "e249")
    assert records[-2] == CheckRecord(T0 + timedelta(minutes=248), True, 12.5, None)
    # Errors of overwritten checks are gone with them.
    assert ring._errors is not None
    assert len(ring._errors) == sum(1 for m in range(150, 250) if m % 3 == 0)


def test_ring_memory_stays_bounded() -> None:
    ring = CheckRing()
    for minute in range(100):
        ring.add(check(minute, ok=False, error="same error"))
    size = sys.getsizeof(ring._packed)
    # 8 bytes a check, no growth reserve once full.
    assert size - sys.getsizeof(array("I")) == 8 * CHECK_LOG_SIZE
    for minute in range(100, 1000):
        ring.add(check(minute, ok=False, error="same error"))
    assert sys.getsizeof(ring._packed) == size
    assert ring._errors is not None
    # A run of one error shares a single string.
    assert len({id(e) for e in ring._errors.values()}) == 1


def test_record_values() -> None:
    ring = CheckRing(size=4)
    assert ring._errors is None  # no dict until a check fails
    ring.add(check(0, ms=None))
    ring.add(check(1, ms=float("nan")))
    ring.add(check(2, ok=False, ms=1234.567, error="x" * 1000))
    ring.add(
        CheckResult(success=False, checked_at=T0 + timedelta(minutes=3), error=None)
    )
    ring.add(check(4, ms=10 * 3600 * 1000.0))  # clamped, still ok
    assert ring.records() == [
        CheckRecord(T0 + timedelta(minutes=1), True, None, None),
        CheckRecord(T0 + timedelta(minutes=2), False, 1234.57, "x" * MAX_ERROR_CHARS),
        CheckRecord(T0 + timedelta(minutes=3), False, None, None),
        CheckRecord(T0 + timedelta(minutes=4), True, (2**31 - 2) / 100, None),
    ]


def test_page_filters_by_date_newest_first() -> None:
    log = CheckLog()
    for minute in range(120):
        log.record("a", check(minute))
    page, total = log.page("a", limit=5)
    assert total == 100
    assert [r.checked_at for r in page] == [
        T0 + timedelta(minutes=m) for m in (119, 118, 117, 116, 115)
    ]
    page, total = log.page(
        "a",
        start=T0 + timedelta(minutes=30),
        end=T0 + timedelta(minutes=40),
        limit=4,
        offset=8,
    )
    assert total == 11
    assert [r.checked_at for r in page] == [
        T0 + timedelta(minutes=m) for m in (32, 31, 30)
    ]
    assert log.page("nobody") == ([], 0)
    assert log.recent("nobody") == []


def test_history_feeds_and_forgets_the_log() -> None:
    history = History()
    history.record_check("a", check(0, ok=False))
    assert history.checks.recent("a") == [CheckRecord(T0, False, 12.5, "boom")]
    history.forget_target("a")
    assert history.checks.recent("a") == []


def test_dump_and_parse_round_trip() -> None:
    log = CheckLog()
    for minute in range(130):
        log.record(
            "a", check(minute, ok=minute % 4 != 0, ms=minute / 3, error=f"e{minute}")
        )
    log.record("b", check(0, ok=False, ms=None))
    saved = log.dump()
    # The bound on disk is the bound in memory: two numbers a check.
    assert len(saved["a"]["checks"]) == 2 * CHECK_LOG_SIZE
    restored = CheckLog()
    restored.restore(parse_check_log(saved))
    assert restored.recent("a") == log.recent("a")
    assert restored.recent("b") == log.recent("b")
    # Restored rings go on as the originals do.
    for each in (log, restored):
        each.record("a", check(500))
    assert restored.recent("a") == log.recent("a")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "checks"),
        ({"a": {"checks": [1, 2, 3]}}, "checks.a.checks"),
        ({"a": {"checks": ["1", 1]}}, "checks.a.checks[0]"),
        ({"a": {"checks": [1, -1]}}, "checks.a.checks[1]"),
        ({"a": {"checks": [2**32 - 1, 1]}}, "checks.a.checks[0]"),
        ({"a": {"checks": [1, 2**32]}}, "checks.a.checks[1]"),
        ({"a": {"checks": [1, 1], "err": {"5": "x"}}}, "checks.a.err"),
        ({"a": {"checks": [1, 1], "err": {"0": 3}}}, "checks.a.err.0"),
    ],
)
def test_parse_refuses_bad_data(data: object, where: str) -> None:
    with pytest.raises(SavedStateError, match=f"^{re.escape(where)}:"):
        parse_check_log(data)


def test_parse_keeps_the_newest_when_more_were_saved() -> None:
    times = list(range(1, 151))
    saved = {
        "a": {
            "checks": [n for t in times for n in (t, 0)],
            "err": {"0": "oldest", "149": "newest"},
        }
    }
    ring = parse_check_log(saved)["a"]
    assert len(ring) == CHECK_LOG_SIZE
    records = ring.records()
    assert records[0].checked_at.timestamp() == 51
    assert records[-1].error == "newest"


@pytest.mark.parametrize("held", [0, 7, CHECK_LOG_SIZE, 250])
def test_last_reads_the_newest_checks_oldest_first(held: int) -> None:
    log = CheckLog()
    for minute in range(held):
        log.record("t", check(minute, ok=minute % 4 != 0, error=f"e{minute}"))
    everything = log.recent("t")
    for count in (0, 1, 30, CHECK_LOG_SIZE, CHECK_LOG_SIZE + 5, -1):
        assert log.last("t", count) == (everything[-count:] if count > 0 else [])
    assert log.last("unknown", 30) == []


@pytest.mark.parametrize("held", [0, 7, CHECK_LOG_SIZE, 250])
def test_last_packed_matches_the_records(held: int) -> None:
    log = CheckLog()
    for minute in range(held):
        result = check(minute, ok=minute % 4 != 0, error=f"e{minute}")
        log.record("t", result)
    for count in (0, 1, 30, CHECK_LOG_SIZE + 5):
        assert log.last_packed("t", count) == [
            (int(r.checked_at.timestamp()), r.ok, r.response_time_ms)
            for r in log.last("t", count)
        ]
    assert log.last_packed("unknown", 30) == []
