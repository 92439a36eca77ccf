"""The card's long list in Chromium: only rows near the screen are drawn, yet
scrolling and the keyboard reach every row and screen readers hear the size.

The committed bundle runs on a blank page with a stand-in for Home Assistant's
connection that sends the views once (no Home Assistant needed).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from playwright.sync_api import Page

from custom_components.pialert.frontend_setup import BUNDLE_NAME, FRONTEND_DIR
from scripts.pialert_demo.browser import chromium

COUNT = 300

SHOW_CARD = """(views) => {
  const card = document.createElement("pialert-card");
  card.setConfig({ type: "custom:pialert-card", mode: "compact" });
  card.hass = {
    connection: { subscribeMessage: async (callback) => {
      queueMicrotask(() => callback({ targets: views }));
      return async () => {};
    } },
    callWS: async () => ({}),
    user: { is_admin: true, name: "Tester" },
  };
  document.body.append(card);
}"""

ROWS = """() => [...document.querySelector("pialert-card").shadowRoot
  .querySelector("pialert-target-list").shadowRoot
  .querySelectorAll("pialert-target-row")]"""

# The row holding the focus, through the shadow roots on the way.
FOCUSED_ROW = """() => {
  let el = document.activeElement;
  let row = null;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) {
    if (el.localName === "pialert-target-row") row = el;
    el = el.shadowRoot.activeElement;
  }
  return row ? row.target.name : null;
}"""


def _view(i: int) -> dict[str, Any]:
    return {
        "id": f"t{i:04d}",
        "name": f"Target {i:04d}",
        "kind": "http",
        "status": "up",
        "tags": [],
        "device_id": None,
        "since": None,
        "last_check": None,
        "last_ping": None,
        "response_time_ms": 40.0,
        "error": None,
        "uptime": {"24h": 100.0, "7d": 100.0, "30d": 100.0},
        "acknowledged": None,
        "silenced_until": None,
        "depends_on": None,
        "alerting": False,
        "checks_at": None,
        "checks": [],
    }


def _on_card_page(scenario: Callable[[Page], None]) -> None:
    def run() -> None:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.set_content("<!doctype html><html><body></body></html>")
            page.add_script_tag(
                content=(FRONTEND_DIR / BUNDLE_NAME).read_text(encoding="utf-8"),
                type="module",
            )
            page.wait_for_function("customElements.get('pialert-card') !== undefined")
            page.evaluate(SHOW_CARD, [_view(i) for i in range(COUNT)])
            page.wait_for_function(f"({ROWS})().length > 0")
            scenario(page)

    # Playwright's sync API runs in a thread of its own, away from the test's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def test_draws_the_screen_then_more_as_it_scrolls() -> None:
    """A few rows first, each telling its place of 300; scrolling draws them all."""

    def scenario(page: Page) -> None:
        drawn = page.evaluate(f"({ROWS})().length")
        assert 10 <= drawn < COUNT
        first = page.evaluate(
            f"""() => {{
              const item = ({ROWS})()[0].shadowRoot.querySelector("[role=listitem]");
              return [item.getAttribute("aria-posinset"), item.getAttribute("aria-setsize")];
            }}"""
        )
        assert first == ["1", str(COUNT)]
        for _ in range(100):
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(50)
            if page.evaluate(f"({ROWS})().length") == COUNT:
                break
        assert page.evaluate(f"({ROWS})().length") == COUNT
        assert page.evaluate(f"({ROWS})().at(-1).target.name") == "Target 0299"

    _on_card_page(scenario)


def test_keyboard_reaches_every_row() -> None:
    """Tab from the first row's button moves row by row to the 300th."""

    def scenario(page: Page) -> None:
        page.evaluate(
            f"""() => ({ROWS})()[0].shadowRoot.querySelector("button").focus()"""
        )
        assert page.evaluate(FOCUSED_ROW) == "Target 0000"
        for i in range(1, COUNT):
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUSED_ROW) == f"Target {i:04d}"

    _on_card_page(scenario)


def test_focus_in_the_last_drawn_row_draws_the_next_rows() -> None:
    """Without scrolling (so only the keyboard can tell), Tab still goes on."""

    def scenario(page: Page) -> None:
        drawn = page.evaluate(f"({ROWS})().length")
        page.evaluate(
            f"""() => ({ROWS})().at(-1).shadowRoot.querySelector("button")
              .focus({{ preventScroll: true }})"""
        )
        assert page.evaluate(FOCUSED_ROW) == f"Target {drawn - 1:04d}"
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED_ROW) == f"Target {drawn:04d}"

    _on_card_page(scenario)
