"""Status pages over HTTP: public HTML and JSON, private pages, limits, caching."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.engine.models import Status

from .conftest import BACKUP, CPU, Hub, MakeHub
from .page_helpers import SECRET_SITE, add_page

SECRETS = ("127.0.0.1", "secret-path", "hunter2", "shopuser", "token=abc", "Connect")
HTML_PATH = "/pialert/status/home"
JSON_PATH = "/status-pages/home"


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """A site with a secret address, a heartbeat and an unpublished target."""
    return (SECRET_SITE, BACKUP, CPU)


async def site_down(hub: Hub) -> None:
    """Let the site's real check (a refused loopback port) fail."""
    await hub.coordinator.async_check_now(["site"])
    await hub.settle()
    view = hub.coordinator.data.targets["site"]
    assert view.status is Status.DOWN
    assert view.last_error


async def test_public_page_shows_names_never_addresses(hub: Hub) -> None:
    """Logged out, the page names targets and states but no URL, host or error."""
    await add_page(hub)
    hub.coordinator.async_heartbeat("backup", "success")
    await site_down(hub)
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.OK
    assert response.content_type == "text/html"
    html = await response.text()
    assert "<h1>Home services</h1>" in html
    assert "Shop" in html
    assert "Backup job" in html
    assert "Partial outage" in html
    assert "<script" not in html
    assert 'http-equiv="refresh"' in html
    assert "prefers-color-scheme:dark" in html
    assert "CPU load" not in html  # not on the page
    for secret in SECRETS:
        assert secret not in html
    body = await hub.json("GET", JSON_PATH, key=None)
    text = str(body)
    for secret in SECRETS:
        assert secret not in text
    assert body["state"] == "partial_outage"
    web, jobs = body["groups"]
    assert [t["name"] for t in web["targets"]] == ["Shop"]
    assert web["state"] == "major_outage"
    assert set(web["targets"][0]) == {
        "id",
        "name",
        "state",
        "uptime",
        "days",
        "response_time_ms",
    }
    assert len(web["targets"][0]["days"]) == 90
    assert [t["name"] for t in jobs["targets"]] == ["Backup job"]


async def test_details_only_when_chosen(hub: Hub) -> None:
    """With details on, the address (without credentials or query) and error show."""
    await add_page(hub, show_details=True, show_uptime=False, show_response_time=False)
    await site_down(hub)
    body = await hub.json("GET", JSON_PATH, key=None)
    shop = body["groups"][0]["targets"][0]
    assert shop["address"] == "http://127.0.0.1:9/secret-path"
    assert shop["error"]
    assert "uptime" not in shop
    assert "response_time_ms" not in shop
    html = await (await hub.client.get(HTML_PATH)).text()
    assert "http://127.0.0.1:9/secret-path" in html
    assert "hunter2" not in html
    assert "token=abc" not in html


async def test_private_page_needs_credentials(
    hub: Hub, hass_client: ClientSessionGenerator
) -> None:
    """A private page refuses visitors; a read key or a Home Assistant login opens it."""
    await add_page(hub, private=True)
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.UNAUTHORIZED
    html = await response.text()
    assert "This status page is private" in html
    assert "Shop" not in html
    assert await hub.error("GET", JSON_PATH, 401, key=None) == (
        "Missing API key in x-api-key header"
    )
    assert await hub.error("GET", JSON_PATH, 401, key="pa_wrong") == (
        "Invalid or disabled API key"
    )
    body = await hub.json("GET", JSON_PATH, key="read")
    assert body["title"] == "Home services"
    response = await hub.client.get(HTML_PATH, headers={"x-api-key": hub.read_key})
    assert response.status == HTTPStatus.OK
    logged_in = await hass_client()
    response = await logged_in.get(HTML_PATH)
    assert response.status == HTTPStatus.OK
    assert response.headers["Cache-Control"] == "private, no-store"


async def test_unknown_page(hub: Hub) -> None:
    """An unknown slug is a 404, as JSON and as a page."""
    await add_page(hub)
    assert await hub.error("GET", "/status-pages/nope", 404, key=None) == (
        "Unknown status page"
    )
    response = await hub.client.get("/pialert/status/nope")
    assert response.status == HTTPStatus.NOT_FOUND
    assert "Status page not found" in await response.text()
    assert await hub.error("GET", JSON_PATH + "?x=1", 400, key=None) == (
        "Unknown query parameter: x"
    )


async def test_rate_limited_per_address(hub: Hub) -> None:
    """Past the page's requests per minute an address gets 429 with Retry-After."""
    await add_page(hub, rate_limit=10)
    for _ in range(10):
        assert (await hub.client.get(HTML_PATH)).status == HTTPStatus.OK
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response.headers["Retry-After"]) > 0
    # JSON has its own count, and answers in the API's words.
    for _ in range(10):
        await hub.json("GET", JSON_PATH, key=None)
    detail = await hub.error("GET", JSON_PATH, 429, key=None)
    assert detail.startswith("Rate limit exceeded. Try again in ")


async def test_answer_cached_per_snapshot(
    hub: Hub, freezer: FrozenDateTimeFactory
) -> None:
    """The same snapshot gives the same answer; a new one rebuilds it."""
    await add_page(hub)
    first = await hub.json("GET", JSON_PATH, key=None)
    freezer.tick(5)
    assert await hub.json("GET", JSON_PATH, key=None) == first
    hub.coordinator.async_heartbeat("backup", "success")
    await hub.settle()
    rebuilt = await hub.json("GET", JSON_PATH, key=None)
    assert rebuilt["updated_at"] != first["updated_at"]
    assert rebuilt["groups"][1]["targets"][0]["state"] == "operational"


async def test_day_bars_and_uptime(hub: Hub) -> None:
    """Each day's checks make its bar; uptimes are over the days kept."""
    await add_page(hub)
    now = hub.coordinator.now()
    hub.record("backup", False, at=now - timedelta(days=2))
    hub.record("backup", True, at=now - timedelta(days=2))
    hub.record("backup", True, at=now)
    await hub.settle()
    body = await hub.json("GET", JSON_PATH, key=None)
    backup = body["groups"][1]["targets"][0]
    days = backup["days"]
    # Days are Home Assistant's local days.
    assert days[-1]["date"] == dt_util.as_local(now).date().isoformat()
    assert days[-1]["state"] == "operational"
    assert days[-3]["uptime"] == 50.0
    assert days[-3]["state"] == "outage"
    assert days[-2]["state"] == "no_data"
    assert backup["uptime"]["7d"] == pytest.approx(66.667)


async def test_incident_messages(hub: Hub) -> None:
    """A write key posts investigating → resolved; the page shows them."""
    page_id = await add_page(hub)
    posted = await hub.json(
        "PUT",
        JSON_PATH,
        json={
            "incident_status": "investigating",
            "incident_message": "We are investigating slow answers.",
        },
    )
    assert posted["status"] == "investigating"
    body = await hub.json("GET", JSON_PATH, key=None)
    assert body["active_incidents"][0]["id"] == posted["id"]
    html = await (await hub.client.get(HTML_PATH)).text()
    assert "We are investigating slow answers." in html
    resolved = await hub.json(
        "PUT",
        f"/status-pages/{page_id}",
        json={"incident_status": "resolved", "incident_message": "All good."},
    )
    assert resolved["id"] == posted["id"]
    assert [u["status"] for u in resolved["updates"]] == ["resolved", "investigating"]
    body = await hub.json("GET", JSON_PATH, key=None)
    assert body["active_incidents"] == []
    assert body["incident_history"][0]["id"] == posted["id"]
    saved = hub.entry.subentries[page_id].data["incidents"]
    assert saved[0]["updates"][1]["by"] == "API key Writer"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            {"incident_status": "fixed", "incident_message": "x"},
            400,
            "The incident status must be one of investigating, identified, "
            "monitoring, resolved.",
        ),
        (
            {"incident_status": "resolved", "incident_message": "x"},
            400,
            "The status page has no open incident to resolve.",
        ),
        (
            {"incident_status": "monitoring", "incident_message": "  "},
            400,
            "The incident message must have 1 to 2000 characters.",
        ),
        ({"incident_status": "monitoring"}, 400, None),
        ({"incident_status": 3, "incident_message": "x"}, 400, None),
        ({"incident_status": "x", "incident_message": "x", "y": 1}, 400, None),
        (
            {
                "incident_status": "monitoring",
                "incident_message": "x",
                "incident_id": "nope",
            },
            400,
            "The status page has no incident nope.",
        ),
    ],
)
async def test_bad_incident_messages(
    hub: Hub, body: dict[str, Any], status: int, detail: str | None
) -> None:
    """Bad input is refused with a specific detail and changes nothing."""
    page_id = await add_page(hub)
    got = await hub.error("PUT", JSON_PATH, status, json=body)
    if detail is not None:
        assert got == detail
    assert "incidents" not in hub.entry.subentries[page_id].data


async def test_incident_messages_need_write_key(hub: Hub) -> None:
    """Read keys and visitors cannot post; unknown pages are 404."""
    await add_page(hub)
    body = {"incident_status": "investigating", "incident_message": "x"}
    await hub.error("PUT", JSON_PATH, 403, key="read", json=body)
    await hub.error("PUT", JSON_PATH, 401, key=None, json=body)
    assert await hub.error("PUT", "/status-pages/nope", 404, json=body) == (
        "Unknown status page"
    )


async def test_page_of_unloaded_hub(make_hub: MakeHub) -> None:
    """With the hub unloaded the page answers 503, not a traceback."""
    hub = await make_hub(BACKUP)
    await add_page(hub)
    await hub.hass.config_entries.async_unload(hub.entry.entry_id)
    assert await hub.error("GET", JSON_PATH, 503, key=None) == "PiAlert is not loaded"
