"""The Alertmanager book: latest state per alert, retries, saved form."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from custom_components.pialert.engine.notify.alertmanager import AlertInfo
from custom_components.pialert.engine.notify.alertmanager_book import (
    MAX_RETRY_DELAY,
    AlertmanagerBook,
    book_saved,
    parse_book,
)
from custom_components.pialert.engine.notify.webhooks import MAX_AGE_SECONDS

URL = "http://am.example:9093"
FIRING = AlertInfo(
    "nas", "NAS", "http", "critical", ("storage",), "NAS is down", "HTTP 503", "t0"
)
RESOLVED = AlertInfo(
    "nas",
    "NAS",
    "http",
    "critical",
    ("storage",),
    "NAS is down",
    "HTTP 503",
    "t0",
    "t1",
)


def test_a_newer_state_replaces_the_waiting_one() -> None:
    """Down then up while unreachable: only the resolve is pushed, once."""
    book = AlertmanagerBook()
    book.put(URL, [FIRING], "home", "rule", 0.0)
    assert book.settle(URL, book.batch(URL, everything=False), "refused", 0.0) == []
    book.put(URL, [RESOLVED], "home", "rule", 1.0)
    (waiting,) = book.batch(URL, everything=False)
    assert waiting.alert is RESOLVED
    book.settle(URL, [waiting], None, 2.0)
    assert book.destinations == {}


def test_a_state_replaced_while_in_flight_stays_unsent() -> None:
    """A push that succeeds does not mark a newer state as sent."""
    book = AlertmanagerBook()
    book.put(URL, [FIRING], "home", "rule", 0.0)
    in_flight = book.batch(URL, everything=False)
    book.put(URL, [RESOLVED], "home", "rule", 1.0)
    book.settle(URL, in_flight, None, 1.0)
    (left,) = book.batch(URL, everything=False)
    assert (left.alert, left.unsent) == (RESOLVED, True)


def test_firing_alerts_are_kept_for_resending_and_sites_are_apart() -> None:
    """An accepted firing state is kept (re-sent), per site label."""
    book = AlertmanagerBook()
    book.put(URL, [FIRING], "home", "rule", 0.0)
    book.put(URL, [FIRING], "flat", "other", 0.0)
    book.settle(URL, book.batch(URL, everything=False), None, 0.0)
    assert book.batch(URL, everything=False) == []
    assert {b.site for b in book.batch(URL, everything=True)} == {"home", "flat"}


def test_retries_back_off_exponentially_with_jitter_up_to_a_cap() -> None:
    """Each failure waits longer (jittered), never more than the cap."""
    book = AlertmanagerBook()
    book.put(URL, [RESOLVED], "home", "rule", 0.0)
    rng = random.Random(7)
    waits: list[float] = []
    for _ in range(8):
        batch = book.batch(URL, everything=True)
        book.settle(URL, batch, "HTTP 503", 0.0, rng)
        assert book.waiting(URL, 0.0) == "HTTP 503"
        due = book.destinations[URL].due
        assert due is not None
        waits.append(due)
        assert book.take_due(0.0) == []
    assert 1.0 <= waits[0] <= 2.0
    assert 8.0 <= waits[3] <= 16.0
    assert MAX_RETRY_DELAY / 2 <= waits[-1] <= MAX_RETRY_DELAY
    assert book.next_due() == waits[-1]
    assert book.take_due(waits[-1]) == [URL]
    assert book.waiting(URL, 0.0) is None  # being tried now


def test_a_resolve_is_given_up_after_a_day() -> None:
    """A resolve nobody took for a day is dropped and returned."""
    book = AlertmanagerBook()
    book.put(URL, [RESOLVED], "home", "rule", 0.0)
    batch = book.batch(URL, everything=True)
    (gone,) = book.settle(URL, batch, "refused", MAX_AGE_SECONDS + 1)
    assert gone.alert is RESOLVED
    assert book.destinations == {}


def test_saved_book_round_trips_and_bad_data_raises() -> None:
    """The saved JSON restores the same alerts; wrong shapes raise."""
    book = AlertmanagerBook()
    book.put(URL, [FIRING], "home", "rule", 5.0)
    saved = json.loads(json.dumps(book_saved(book)))
    again = AlertmanagerBook()
    again.restore(parse_book(saved))
    (restored,) = again.batch(URL, everything=False)
    assert (restored.alert, restored.site, restored.rule_id) == (FIRING, "home", "rule")
    assert (restored.changed, restored.unsent) == (5.0, True)
    bad: list[Any] = [
        [],
        {URL: "x"},
        {URL: [{**saved[URL][0], "tags": "a"}]},
        {URL: [{**saved[URL][0], "unsent": 1}]},
        {URL: [{**saved[URL][0], "changed": True}]},
    ]
    for data in bad:
        with pytest.raises(TypeError):
            parse_book(data)
    with pytest.raises(KeyError):
        parse_book({URL: [{}]})


def test_alerts_of_removed_rules_or_urls_are_forgotten() -> None:
    """Only alerts of a (rule, URL) still configured are kept."""
    book = AlertmanagerBook()
    book.put(URL, [FIRING], "home", "kept", 0.0)
    book.put(URL, [FIRING], "flat", "removed", 0.0)
    book.put("http://other:9093", [FIRING], "home", "kept", 0.0)
    revision = book.revision
    book.forget({("kept", URL)})
    assert list(book.destinations) == [URL]
    assert [b.rule_id for b in book.batch(URL, everything=True)] == ["kept"]
    assert book.revision > revision
