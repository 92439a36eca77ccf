"""A real Home Assistant (scripts/demo) and Debian's Chromium, for browser tests.

The demo runs in its own directory on a free port; Playwright drives
``/usr/bin/chromium`` (never a downloaded browser). These tests need no
``hass`` fixture: the autouse one of tests/conftest.py is replaced here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Page
import pytest

from scripts.pialert_demo.browser import chromium, log_in
from scripts.pialert_demo.running import RunningDemo, running_demo

VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Browser tests talk to a separate Home Assistant process."""


@pytest.fixture(scope="session")
def demo() -> Iterator[RunningDemo]:
    """A fresh demo (own directory, free port) for the whole session."""
    with running_demo("browser-tests") as running:
        yield running


def _run_logged_in(demo: RunningDemo, scenario: Callable[[Page], None]) -> None:
    with chromium() as browser:
        page = browser.new_context(viewport=VIEWPORT).new_page()
        log_in(page, demo)
        scenario(page)


def in_browser(demo: RunningDemo, scenario: Callable[[Page], None]) -> None:
    """Run ``scenario`` on a logged-in page (1400 by 1000 pixels).

    Playwright's sync API runs in a thread of its own: the test session's
    event loop (Home Assistant's test plugin) must not see it.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_run_logged_in, demo, scenario).result()
