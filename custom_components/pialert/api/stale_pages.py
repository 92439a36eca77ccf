"""Public status pages while the hub reloads: the last answer, marked as such.

An options change reloads the hub; for about a second nothing can build a
page. Visitors of a public page then get the last answer built for it, with
an ``Age`` header and ``Cache-Control: no-cache`` (and, in HTML, a note and a
quick refresh), instead of a 503. Only while the page's settings are the
very ones that answer was built from, and for at most ``STALE_LIMIT``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Final

from homeassistant.core import HomeAssistant

from ..const import DOMAIN
from ..engine.status_pages import StatusPage
from ..published_pages import RenderedPage, find_page, page_serving
from .base import ApiError

STALE_LIMIT: Final = timedelta(minutes=5)
NOT_LOADED: Final = "PiAlert is not loaded"


def stale_page(
    hass: HomeAssistant, slug: str, form: str, now: datetime
) -> tuple[StatusPage, RenderedPage]:
    """Return a public page and its last answer; 503 when it may not be served."""
    entry = next(
        (e for e in hass.config_entries.async_entries(DOMAIN) if e.disabled_by is None),
        None,
    )
    page = None if entry is None else find_page(entry, slug)
    last = None if page is None else page_serving(hass).last.get((page.id, form))
    if (
        entry is None
        or page is None
        or last is None
        # Changed settings (private now, other targets, ...) void the copy.
        or entry.subentries[page.id].data is not last.settings
        or not timedelta(0) <= now - last.built_at <= STALE_LIMIT
    ):
        raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, NOT_LOADED)
    return page, last


def stale_headers(last: RenderedPage, now: datetime) -> dict[str, str]:
    """Return the headers saying the answer is an earlier one."""
    age = int((now - last.built_at).total_seconds())
    return {"Age": str(age), "Cache-Control": "no-cache"}
