"""While the hub reloads, a public page keeps answering with its last content."""

from __future__ import annotations

from http import HTTPStatus

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState

from .conftest import BACKUP, CPU, MakeHub
from .page_helpers import add_page

HTML_PATH = "/pialert/status/home"
JSON_PATH = "/api/pialert/v1/status-pages/home"


async def test_page_answers_during_a_reload(make_hub: MakeHub) -> None:
    """Between a reload's unload and its setup: 200 with the last content, marked."""
    hub = await make_hub(BACKUP, CPU)
    await add_page(hub)
    first = await hub.client.get(HTML_PATH)
    assert first.status == HTTPStatus.OK
    assert "Age" not in first.headers
    last_html = await first.text()
    last_json = await (await hub.client.get(JSON_PATH)).read()

    # A reload is an unload then a setup (in a test both take milliseconds,
    # too short to aim a request at): fetch between the two.
    entries = hub.hass.config_entries
    assert await entries.async_unload(hub.entry.entry_id)
    assert hub.entry.state is ConfigEntryState.NOT_LOADED
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.OK
    assert response.headers["Cache-Control"] == "no-cache"
    assert int(response.headers["Age"]) >= 0
    text = await response.text()
    assert 'http-equiv="refresh" content="5"' in text
    # The last page's content, with the note added.
    start = text.index('<p class="card note" role="status">PiAlert is restarting')
    note = text[start : text.index("</p>", start) + 4]
    assert text.replace(note, "").replace('content="5"', 'content="60"') == last_html
    json_answer = await hub.client.get(JSON_PATH)
    assert json_answer.status == HTTPStatus.OK
    assert "Age" in json_answer.headers
    assert await json_answer.read() == last_json

    entries.async_update_entry(hub.entry, options={"show_panel": False})
    assert await entries.async_setup(hub.entry.entry_id)
    await hub.settle()
    fresh = await hub.client.get(HTML_PATH)
    assert fresh.status == HTTPStatus.OK
    assert "Age" not in fresh.headers
    assert "PiAlert is restarting" not in await fresh.text()


async def test_last_page_only_while_it_is_still_true(
    make_hub: MakeHub, freezer: FrozenDateTimeFactory
) -> None:
    """An unloaded hub's page: the last answer for 5 minutes, unless it changed."""
    hub = await make_hub(BACKUP, CPU)
    page_id = await add_page(hub)
    await add_page(hub, "page2", slug="other", title="Other")
    html = await (await hub.client.get(HTML_PATH)).text()
    await hub.client.get("/pialert/status/other")
    await hub.hass.config_entries.async_unload(hub.entry.entry_id)

    freezer.tick(60)
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.OK
    assert response.headers["Age"] == "60"
    assert "Backup job" in await response.text()
    # Never fetched as JSON: nothing to show.
    assert (await hub.client.get(JSON_PATH)).status == HTTPStatus.SERVICE_UNAVAILABLE

    # Made private while unloaded: the copy no longer may be shown.
    subentry = hub.entry.subentries[page_id]
    hub.hass.config_entries.async_update_subentry(
        hub.entry, subentry, data={**subentry.data, "private": True}
    )
    response = await hub.client.get(HTML_PATH)
    assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Backup job" not in await response.text()
    assert "Backup job" in html

    freezer.tick(5 * 60)
    response = await hub.client.get("/pialert/status/other")
    assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
