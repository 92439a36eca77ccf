"""End to end in Chromium: add the card through the UI, act on it, open the panel."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from scripts.pialert_demo.running import RunningDemo as Demo

from .conftest import in_browser

STATUS_RANK = {
    "Down": 0,
    "Unreachable": 1,
    "Pending": 2,
    "Not checked yet": 3,
    "Up": 4,
    "Paused": 5,
}
NOTE = "Checked from the browser"
TIMEOUT_MS = 60_000


def new_empty_dashboard(page: Page, url_path: str) -> None:
    """Make an empty dashboard with the page's own connection (test set-up)."""
    page.evaluate(
        """async (urlPath) => {
          const hass = document.querySelector("home-assistant").hass;
          const dashboards = await hass.callWS({type: "lovelace/dashboards/list"});
          if (!dashboards.some((d) => d.url_path === urlPath)) {
            await hass.callWS({type: "lovelace/dashboards/create", url_path: urlPath,
              title: "Browser test", mode: "storage", show_in_sidebar: false});
          }
          await hass.callWS({type: "lovelace/config/save", url_path: urlPath,
            config: {views: [{title: "Home", cards: []}]}});
        }""",
        url_path,
    )


def add_card_through_the_ui(page: Page, demo: Demo, url_path: str) -> None:
    """Edit the dashboard, pick "PiAlert" among the cards, save."""
    page.goto(f"{demo.base_url}/{url_path}/0?edit=1")
    page.get_by_text("Add card").first.click()
    page.get_by_text("By card", exact=True).click()
    page.locator("hui-card-picker input").first.fill("PiAlert")
    page.locator("hui-card-picker .card", has_text="PiAlert").first.click()
    # The visual editor and the live preview are shown.
    editor = page.locator("pialert-card-editor")
    expect(editor.get_by_text("Targets to show")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("hui-dialog-edit-card pialert-card")).to_be_visible()
    editor.get_by_text("Detailed: also history bars").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Done").click()


def shown_statuses(page: Page) -> list[tuple[str, str]]:
    """Return (name, status) of the card's rows, top to bottom."""
    rows = page.locator("pialert-card pialert-target-row")
    return [
        (
            rows.nth(i).locator(".name").inner_text(),
            rows.nth(i).locator(".status").inner_text().split(" · ")[0].strip(),
        )
        for i in range(rows.count())
    ]


def test_card_from_picker_to_acknowledgement_then_panel(demo: Demo) -> None:
    """The card lists targets by urgency, acknowledges live, and the panel opens."""
    in_browser(demo, lambda page: card_scenario(page, demo))


def card_scenario(page: Page, demo: Demo) -> None:
    """Add the card, check the order, acknowledge from it, open the panel."""
    new_empty_dashboard(page, "browser-test")
    add_card_through_the_ui(page, demo, "browser-test")

    card = page.locator("pialert-card")
    broken = card.locator("pialert-target-row", has_text="Broken service")
    # The demo's always-failing target goes down after two checks.
    expect(broken.locator(".status")).to_contain_text("Down", timeout=TIMEOUT_MS)
    rows = shown_statuses(page)
    # Every target: as many rows as PiAlert has status sensors.
    targets = page.evaluate(
        """() => Object.values(document.querySelector("home-assistant").hass.entities)
          .filter((e) => e.platform === "pialert" && e.entity_id.endsWith("_status")
            && e.entity_id.startsWith("sensor.")).length"""
    )
    assert len(rows) == targets >= 6
    ranks = [STATUS_RANK[status] for _, status in rows]
    assert ranks == sorted(ranks), rows
    for rank in set(ranks):
        names = [name for (name, _), r in zip(rows, ranks, strict=True) if r == rank]
        assert names == sorted(names, key=str.casefold), rows
    # Detailed layout: the bars of its recent checks, failed ones among them.
    expect(broken.locator(".bars path.failed")).to_have_attribute(
        "d", re.compile(r"^M\d")
    )

    page.evaluate("window.__pialertNotReloaded = true")
    broken.get_by_role("button", name="Acknowledge").click()
    broken.get_by_label("Note (optional)").fill(NOTE)
    broken.locator("form").get_by_role("button", name="Acknowledge").click()
    expect(broken).to_contain_text(
        re.compile(rf"Acknowledged by .+: {NOTE}"), timeout=TIMEOUT_MS
    )
    expect(broken.get_by_role("button", name="Acknowledge")).to_have_count(0)
    assert page.evaluate("window.__pialertNotReloaded === true")

    page.locator("ha-sidebar a[href='/pialert']").click()
    panel = page.locator("pialert-panel")
    expect(panel.get_by_role("heading", name="Open incidents")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(panel.locator("li.open", has_text="Broken service")).to_contain_text(
        f": {NOTE}"
    )
    # Search narrows the list.
    panel.get_by_label("Search targets").fill("broken")
    expect(panel.locator("pialert-target-row")).to_have_count(1)
