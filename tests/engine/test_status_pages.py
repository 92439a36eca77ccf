"""Status pages in the engine: incident threads, public states, addresses, badges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.pialert.engine.badge_svg import render_badge, text_width
from custom_components.pialert.engine.config import target_from_data
from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.page_incidents import (
    MAX_INCIDENTS,
    parse_incidents,
    post_update,
)
from custom_components.pialert.engine.page_view import PublicState, overall_state
from custom_components.pialert.engine.status_pages import (
    PageGroup,
    page_from_data,
    public_address,
    validate_page,
)

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
S = PublicState


def test_messages_thread_into_the_open_incident() -> None:
    """Without an id a message continues the open incident; resolved closes it."""
    incidents, first = post_update(
        (), status="investigating", message=" Slow ", by="a", now=NOW
    )
    incidents, same = post_update(
        incidents, status="resolved", message="ok", by="b", now=NOW
    )
    assert same.id == first.id
    assert not same.active
    assert [u.message for u in same.updates] == ["Slow", "ok"]
    incidents, new = post_update(
        incidents, status="monitoring", message="again", by="c", now=NOW
    )
    assert new.id != first.id
    assert len(incidents) == 2
    # Saved and read back unchanged; unusable entries are skipped.
    dumped = [i.dump() for i in incidents]
    assert (
        parse_incidents([*dumped, {"id": "x"}, 3, {"updates": [{"status": "?"}]}])
        == incidents
    )


def test_incident_refusals() -> None:
    """Unknown statuses, empty text, unknown ids and a lone resolve are refused."""
    with pytest.raises(RefusedError, match="invalid_incident_status"):
        post_update((), status="fixed", message="x", by="a", now=NOW)
    with pytest.raises(RefusedError, match="invalid_incident_message"):
        post_update((), status="identified", message=" ", by="a", now=NOW)
    with pytest.raises(RefusedError, match="no_open_page_incident"):
        post_update((), status="resolved", message="x", by="a", now=NOW)
    with pytest.raises(RefusedError, match="unknown_page_incident"):
        post_update(
            (), status="identified", message="x", by="a", now=NOW, incident_id="z"
        )


def test_incidents_are_bounded() -> None:
    """Only the newest incidents are kept."""
    incidents: tuple = ()
    for index in range(MAX_INCIDENTS + 5):
        incidents, _ = post_update(
            incidents,
            status="investigating",
            message="x",
            by="a",
            now=NOW + timedelta(minutes=index),
        )
        incidents, _ = post_update(
            incidents, status="resolved", message="y", by="a", now=NOW
        )
    assert len(incidents) == MAX_INCIDENTS


@pytest.mark.parametrize(
    ("states", "overall"),
    [
        ([S.OPERATIONAL, S.OPERATIONAL], S.OPERATIONAL),
        ([S.OPERATIONAL, S.DEGRADED], S.DEGRADED),
        ([S.OPERATIONAL, S.OUTAGE], S.PARTIAL_OUTAGE),
        ([S.OUTAGE, S.MAINTENANCE], S.MAJOR_OUTAGE),
        ([S.MAINTENANCE], S.MAINTENANCE),
        ([S.UNKNOWN, S.MAINTENANCE], S.UNKNOWN),
        ([], S.UNKNOWN),
    ],
)
def test_overall_state(states: list[PublicState], overall: PublicState) -> None:
    """Paused and unchecked targets do not count; all outages are a major one."""
    assert overall_state(states) == overall


@pytest.mark.parametrize(
    ("data", "address"),
    [
        (
            {"kind": "http", "url": "https://u:p@example.org:8443/a/b?t=1#f"},
            "https://example.org:8443/a/b",
        ),
        ({"kind": "tcp", "host": "nas.lan", "port": 445}, "nas.lan:445"),
        ({"kind": "ping", "host": "10.0.0.1"}, "10.0.0.1"),
        (
            {
                "kind": "heartbeat",
                "period": 60,
                "grace": 10,
                "token": "secret-token-0123456789",
            },
            None,
        ),
    ],
)
def test_public_address_never_has_secrets(data: dict, address: str | None) -> None:
    """Credentials, queries and heartbeat tokens never reach a page."""
    target = target_from_data("t", {"name": "T", **data})
    assert public_address(target) == address


def test_page_validation() -> None:
    """Slugs, titles, limits and groups are checked; slugs are unique."""
    existing = {"other": page_from_data("other", {"title": "O", "slug": "taken"})}
    good = {
        "title": "Home",
        "slug": "home",
        "groups": [{"name": "A", "targets": ["t1"]}],
    }
    assert validate_page(good, page_id=None, existing=existing, target_ids=["t1"]) == {}
    assert validate_page(
        {**good, "slug": "taken", "rate_limit": 1, "groups": [{"targets": ["gone"]}]},
        page_id=None,
        existing=existing,
        target_ids=["t1"],
    ) == {
        "slug": "slug_taken",
        "rate_limit": "invalid_page_rate_limit",
        "groups": "unknown_page_target",
    }
    # A page may keep its own slug.
    assert (
        validate_page(
            {**good, "slug": "taken"},
            page_id="other",
            existing=existing,
            target_ids=["t1"],
        )
        == {}
    )


def test_group_picks_ids_then_tags() -> None:
    """Picked targets keep their order; tagged ones follow by name, once each."""
    targets = [
        target_from_data(tid, {"name": name, "kind": "ping", "host": "h", "tags": tags})
        for tid, name, tags in (
            ("a", "Zed", ["web"]),
            ("b", "Alpha", ["web"]),
            ("c", "Mid", []),
        )
    ]
    group = PageGroup("G", target_ids=("c", "a"), tags=("web",))
    assert [t.id for t in group.pick(targets)] == ["c", "a", "b"]


def test_badge_is_escaped_and_sized() -> None:
    """Badge text is escaped and the badge grows with it; colours stay readable."""
    svg = render_badge("a<b", "up", "#43a047")
    assert "a&lt;b: up" in svg
    assert text_width("uptime 30d") > text_width("up")
    assert 'fill="#000"' in render_badge("x", "pending", "#ffa600")
    assert 'fill="#fff">up<' in render_badge("x", "up", "#555")
