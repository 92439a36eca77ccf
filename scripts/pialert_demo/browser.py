"""Debian's Chromium through Playwright, logged in to a demo (tests, screenshots)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, sync_playwright

from .running import RunningDemo

CHROMIUM = "/usr/bin/chromium"
# Root needs --no-sandbox; the rest keep a headless run small and quiet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
LOGIN_TIMEOUT_MS = 60_000


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch headless Chromium (never a downloaded browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Page, demo: RunningDemo) -> None:
    """Log in through Home Assistant's login page."""
    page.goto(f"{demo.base_url}/")
    page.locator("input[name=username]").fill(demo.username)
    page.locator("input[name=password]").fill(demo.password)
    page.keyboard.press("Enter")
    page.wait_for_selector("ha-sidebar", state="attached", timeout=LOGIN_TIMEOUT_MS)
