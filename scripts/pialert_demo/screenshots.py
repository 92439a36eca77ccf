"""scripts/screenshots: the README's pictures, taken from a fresh demo in Chromium.

Starts the demo (``.demo-screenshots``, a free port), waits until its broken
service is down, and writes PNGs into docs/screenshots/: the card in light
and dark mode, the card at a phone's width, and the sidebar panel. Each shot
is a ``Shot``; more (a status page, a badge) are added to ``SHOTS``.
"""

from __future__ import annotations

from dataclasses import dataclass
import sys
from typing import Literal

from playwright.sync_api import Browser, Page, expect

from scripts.hass_process import ROOT

from . import say
from .browser import chromium, log_in
from .dashboard import DASHBOARD_PATH
from .page_screenshots import shoot_status_page
from .running import RunningDemo, running_demo

OUT_DIR = ROOT / "docs" / "screenshots"
READY_TIMEOUT_MS = 90_000
SETTLE_MS = 1500


@dataclass(frozen=True)
class Shot:
    """One picture: a page, what to wait for, what to capture."""

    file: str
    path: str
    wait_for: str
    capture: str | None = None
    """A locator to capture; None for the whole page."""
    scheme: Literal["light", "dark"] = "light"
    width: int = 1280
    height: int = 900


SHOTS = [
    Shot(
        "card-light.png", f"/{DASHBOARD_PATH}/targets", "pialert-card", "pialert-card"
    ),
    Shot(
        "card-dark.png",
        f"/{DASHBOARD_PATH}/targets",
        "pialert-card",
        "pialert-card",
        scheme="dark",
    ),
    Shot(
        "card-phone.png",
        f"/{DASHBOARD_PATH}/targets",
        "pialert-card",
        None,
        width=390,
        height=844,
    ),
    Shot(
        "panel.png",
        "/pialert",
        "pialert-panel pialert-target-row",
        None,
        width=1400,
        height=950,
    ),
]


def take(browser: Browser, demo: RunningDemo, shot: Shot) -> None:
    """Log in with the shot's colour scheme and size, and write its PNG."""
    context = browser.new_context(
        viewport={"width": shot.width, "height": shot.height},
        color_scheme=shot.scheme,
    )
    try:
        page = context.new_page()
        log_in(page, demo)
        page.goto(f"{demo.base_url}{shot.path}")
        page.locator(shot.wait_for).first.wait_for(timeout=READY_TIMEOUT_MS)
        wait_until_broken_is_down(page)
        page.wait_for_timeout(SETTLE_MS)
        target = OUT_DIR / shot.file
        if shot.capture:
            page.locator(shot.capture).first.screenshot(path=target)
        else:
            page.screenshot(path=target)
        say(f"wrote {target.relative_to(ROOT)}")
    finally:
        context.close()


def wait_until_broken_is_down(page: Page) -> None:
    """The demo's broken service fails after two checks: show it down."""
    row = page.locator("pialert-target-row", has_text="Broken service").first
    expect(row.locator(".status")).to_contain_text("Down", timeout=READY_TIMEOUT_MS)


def main(shots: list[Shot] = SHOTS) -> int:
    """Take every shot from one fresh demo."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with running_demo("screenshots") as demo, chromium() as browser:
        for shot in shots:
            take(browser, demo, shot)
        for path in shoot_status_page(browser, demo.base_url, OUT_DIR):
            say(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
