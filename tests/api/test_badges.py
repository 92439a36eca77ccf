"""SVG badges: only for targets on a public status page, only what it shows."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest

from .conftest import BACKUP, CPU, Hub
from .page_helpers import SECRET_SITE, add_page

BADGES = "/api/pialert/v1/badges"


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """A published site and heartbeat, and an unpublished entity target."""
    return (SECRET_SITE, BACKUP, CPU)


async def svg(hub: Hub, path: str) -> str:
    """Return a badge that must exist."""
    response = await hub.client.get(f"{BADGES}/{path}")
    text = await response.text()
    assert response.status == HTTPStatus.OK, text
    assert response.content_type == "image/svg+xml"
    assert text.startswith("<svg")
    assert 'role="img"' in text
    return text


async def test_status_badge_of_published_target(hub: Hub) -> None:
    """A published target's status badge names it and its status, nothing secret."""
    await add_page(hub)
    await hub.coordinator.async_check_now(["site"])
    await hub.settle()
    text = await svg(hub, "site/status.svg")
    assert 'aria-label="Shop: down"' in text
    assert "#db4437" in text
    for secret in ("127.0.0.1", "secret-path", "hunter2", "Connect"):
        assert secret not in text
    hub.coordinator.async_heartbeat("backup", "success")
    await hub.settle()
    assert 'aria-label="Backup job: up"' in await svg(hub, "backup/status.svg")
    labelled = await svg(hub, "backup/status.svg?label=Nightly%20%3Cbackup%3E")
    assert "Nightly &lt;backup&gt;: up" in labelled


async def test_uptime_and_response_time_badges(hub: Hub) -> None:
    """Uptime and response time badges, when the page shows them."""
    await add_page(hub)
    hub.record("backup", True, response_time_ms=245.4)
    hub.record("backup", False)
    await hub.settle()
    for window in ("24h", "7d", "30d", "1y"):
        text = await svg(hub, f"backup/uptime-{window}.svg")
        assert f'aria-label="uptime {window}: 50.00%"' in text
    assert 'aria-label="response time: no data"' in await svg(
        hub, "backup/response-time.svg"
    )


@pytest.mark.parametrize(
    ("page", "path"),
    [
        ({}, "cpu/status.svg"),  # on no page
        ({"private": True}, "backup/status.svg"),  # only on a private page
        ({"show_uptime": False}, "backup/uptime-7d.svg"),
        ({"show_response_time": False}, "backup/response-time.svg"),
        ({}, "backup/uptime-2y.svg"),
        ({}, "nope/status.svg"),
    ],
)
async def test_no_badge_unless_published(
    hub: Hub, page: dict[str, Any], path: str
) -> None:
    """Anything a public page does not show has no badge (404, JSON detail)."""
    await add_page(hub, **page)
    response = await hub.client.get(f"{BADGES}/{path}")
    assert response.status == HTTPStatus.NOT_FOUND
    assert await response.json() == {
        "detail": "No such badge: the target is not shown on a public status page"
    }


async def test_bad_badge_query(hub: Hub) -> None:
    """Unknown parameters and over-long labels are refused with a detail."""
    await add_page(hub)
    assert await hub.error("GET", f"{BADGES}/backup/status.svg?x=1", 400) == (
        "Unknown query parameter: x"
    )
    assert await hub.error(
        "GET", f"{BADGES}/backup/status.svg?label={'x' * 61}", 400
    ) == ("Invalid query parameter 'label': expected 1 to 60 characters")


async def test_badges_rate_limited(hub: Hub) -> None:
    """Badges count against the page's per-address limit."""
    await add_page(hub, rate_limit=10)
    for _ in range(10):
        await svg(hub, "backup/status.svg")
    response = await hub.client.get(f"{BADGES}/backup/status.svg")
    assert response.status == HTTPStatus.TOO_MANY_REQUESTS
    assert "Retry-After" in response.headers
