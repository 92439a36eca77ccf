"""In Chromium, a run of like days is drawn exactly as that many single days."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from PIL import Image
from playwright.sync_api import Page

from custom_components.pialert.api.page_html import render_page
from scripts.pialert_demo.browser import chromium

START = date(2026, 8, 29)
# Day states for 90 days: mostly up, a few bad days, a month without data.
PATTERN = ["no_data"] * 30 + ["operational"] * 20 + ["outage"] + ["operational"] * 39


def day(index: int, state: str) -> dict[str, Any]:
    """Return one day's bar as the page's JSON has it."""
    uptime = {"no_data": None, "operational": 100.0, "outage": 50.0}[state]
    return {
        "date": (START + timedelta(days=index)).isoformat(),
        "uptime": uptime,
        "state": state,
    }


def page_html() -> str:
    """Return a page with one target whose 90 days make 4 runs."""
    return render_page(
        {
            "title": "Bars",
            "state": "operational",
            "updated_at": "2026-11-26T05:00:00+00:00",
            "groups": [
                {
                    "name": "Services",
                    "state": "operational",
                    "targets": [
                        {
                            "id": "a",
                            "name": "Runs",
                            "state": "operational",
                            "uptime": {"24h": 100.0},
                            "days": [day(i, s) for i, s in enumerate(PATTERN)],
                        }
                    ],
                }
            ],
            "active_incidents": [],
            "incident_history": [],
        }
    )


# The painted columns of each target's bar row, from a screenshot of it.
SEGMENTS = """async () => {
  const rows = [...document.querySelectorAll('.bars')];
  return rows.map((row) => {
    const box = row.getBoundingClientRect();
    return [box.x, box.y + box.height / 2, box.width, row.children.length];
  });
}"""


def painted_columns(page: Page, x: float, y: float, width: float) -> list[bool]:
    """Return, per CSS pixel across a bar row, whether a bar is painted there."""
    shot = page.screenshot(clip={"x": x, "y": y, "width": width, "height": 1})
    image = Image.open(BytesIO(shot)).convert("RGB")
    # The card is white; every bar colour (the no-data grey included) is darker.
    return [min(image.getpixel((column, 0))) < 235 for column in range(image.width)]


def segments(columns: list[bool]) -> list[tuple[int, int]]:
    """Return the (start, end) of each painted stretch."""
    found: list[tuple[int, int]] = []
    start = None
    for index, painted in enumerate([*columns, False]):
        if painted and start is None:
            start = index
        elif not painted and start is not None:
            found.append((start, index))
            start = None
    return found


def scenario(page: Page) -> None:
    """Compare the painted bars with 90 equal bars 2 pixels apart (one per day)."""
    page.emulate_media(color_scheme="light")
    page.set_content(page_html())
    ((x, y, width, elements),) = page.evaluate(SEGMENTS)
    assert elements == 4  # no data, up, outage, up
    drawn = segments(painted_columns(page, x, y, width))
    bar = (width - 89 * 2) / 90
    expected = [(i * (bar + 2), i * (bar + 2) + bar) for i in range(90)]
    assert len(drawn) == 90
    # A pixel of rounding at most.
    for (start, end), (want_start, want_end) in zip(drawn, expected, strict=True):
        assert abs(start - want_start) <= 1, (start, want_start)
        assert abs(end - want_end) <= 1, (end, want_end)


def test_runs_draw_like_single_days() -> None:
    """A run of n days paints n bars with the gaps of n single days."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_in_chromium).result()


def _in_chromium() -> None:
    with chromium() as browser:
        page = browser.new_context(
            viewport={"width": 900, "height": 700}, device_scale_factor=1
        ).new_page()
        scenario(page)
