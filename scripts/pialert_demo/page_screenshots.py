"""Screenshots of the public status page and its badges, in headless Chromium.

``python -m scripts.pialert_demo.page_screenshots BASE_URL [OUT_DIR]`` takes
``status-page.png``, ``status-page-dark.png`` and ``badge.png`` of a running
demo (logged out: the page needs no login); ``scripts/screenshots`` calls
``shoot_status_page`` with its own browser after the card and panel.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys
from typing import Literal
import urllib.request

from playwright.sync_api import Browser, sync_playwright

from scripts.hass_process import ROOT

from .status_page import PAGE_SLUG

CHROMIUM = "/usr/bin/chromium"
OUT_DIR = ROOT / "docs" / "screenshots"
BADGES = ("status", "uptime-24h", "uptime-30d", "response-time")


def badge_urls(base_url: str) -> list[str]:
    """Return the badges of the demo page's first target."""
    api = f"{base_url}/api/pialert/v1"
    with urllib.request.urlopen(
        f"{api}/status-pages/{PAGE_SLUG}", timeout=30
    ) as answer:
        body = json.load(answer)
    target = body["groups"][0]["targets"][0]["id"]
    return [f"{api}/badges/{target}/{name}.svg" for name in BADGES]


def shoot_status_page(browser: Browser, base_url: str, out_dir: Path) -> list[Path]:
    """Take the status page (light and dark) and a row of badges; return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    schemes: tuple[tuple[Literal["light", "dark"], str], ...] = (
        ("light", "status-page.png"),
        ("dark", "status-page-dark.png"),
    )
    for scheme, name in schemes:
        context = browser.new_context(
            viewport={"width": 900, "height": 900}, color_scheme=scheme
        )
        page = context.new_page()
        page.goto(f"{base_url}/pialert/status/{PAGE_SLUG}")
        page.screenshot(path=out_dir / name, full_page=True)
        written.append(out_dir / name)
        context.close()
    context = browser.new_context(device_scale_factor=2)
    page = context.new_page()
    images = "".join(
        f'<img src="{url}" alt="" style="margin:4px">' for url in badge_urls(base_url)
    )
    page.set_content(
        f'<div id="badges" style="display:inline-block;padding:8px;background:#fff">'
        f"{images}</div>"
    )
    page.wait_for_load_state("networkidle")
    page.locator("#badges").screenshot(path=out_dir / "badge.png")
    written.append(out_dir / "badge.png")
    context.close()
    return written


def main(base_url: str, out_dir: Path) -> None:
    """Launch Debian's Chromium and take the screenshots."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        for path in shoot_status_page(browser, base_url, out_dir):
            print(path)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]) if len(sys.argv) > 2 else OUT_DIR)
