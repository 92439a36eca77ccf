"""SVG badges of targets shown on a public status page (no key needed).

``/api/pialert/v1/badges/<target id>/<badge>.svg``: ``status``, ``uptime-24h``,
``uptime-7d``, ``uptime-30d``, ``uptime-1y`` and ``response-time``. A target
that no public page shows has no badges; uptime and response-time badges
exist only where such a page shows uptime or response time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Final

from aiohttp import web
from homeassistant.helpers.http import KEY_HASS

from ..engine.badge_svg import STATUS_COLOUR, render_badge, uptime_colour
from ..engine.daily_bars import daily_counts, uptime_over
from ..engine.history import History
from ..engine.state import TargetView
from ..engine.status_pages import StatusPage
from ..published_pages import published_target_ids
from . import loaded_hub_data
from .base import API_PREFIX, ApiError, PiAlertView
from .request import bad_request, check_query
from .status_pages import rate_limit

UPTIME_BADGES: Final = {
    "uptime-24h": ("24h", 1),
    "uptime-7d": ("7d", 7),
    "uptime-30d": ("30d", 30),
    "uptime-1y": ("1y", 365),
}
BADGES: Final = ("status", *UPTIME_BADGES, "response-time")
MAX_LABEL_LENGTH: Final = 60
NO_BADGE: Final = "No such badge: the target is not shown on a public status page"
SVG_TYPE: Final = "image/svg+xml"


def badge_svg(
    name: str,
    view: TargetView,
    page: StatusPage,
    history: History,
    label: str | None,
    now: datetime,
) -> str:
    """Return the SVG of one badge, or raise ApiError when it is not published."""
    if name == "status":
        status = view.status
        return render_badge(
            label or view.target.name, status.value, STATUS_COLOUR[status]
        )
    if name in UPTIME_BADGES and page.show_uptime:
        window, days = UPTIME_BADGES[name]
        uptime = (
            view.uptime_24h
            if days == 1
            else uptime_over(daily_counts(history, view.target.id, now, days), days)
        )
        value = f"{uptime:.2f}%" if uptime is not None else "no data"
        return render_badge(label or f"uptime {window}", value, uptime_colour(uptime))
    if name == "response-time" and page.show_response_time:
        rt = view.response_time_ms
        value = f"{round(rt)} ms" if rt is not None else "no data"
        return render_badge(label or "response time", value, "#039be5")
    raise ApiError(HTTPStatus.NOT_FOUND, NO_BADGE)


class BadgeView(PiAlertView):
    """A badge of a published target, as SVG."""

    url = f"{API_PREFIX}/badges/{{target}}/{{badge}}.svg"
    name = "api:pialert:badge"

    async def get(self, request: web.Request, target: str, badge: str) -> web.Response:
        """Return the badge."""
        try:
            query = check_query(request, ("label",))
            label = query.get("label")
            if label is not None and not 0 < len(label) <= MAX_LABEL_LENGTH:
                raise bad_request(
                    "Invalid query parameter 'label': expected 1 to "
                    f"{MAX_LABEL_LENGTH} characters"
                )
            hub_data = loaded_hub_data(request.app[KEY_HASS])
            if hub_data is None:
                raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "PiAlert is not loaded")
            coordinator = hub_data.coordinator
            page = published_target_ids(coordinator).get(target)
            view = coordinator.data.targets.get(target)
            if page is None or view is None or badge not in BADGES:
                raise ApiError(HTTPStatus.NOT_FOUND, NO_BADGE)
            rate_limit(request, page, "badge")
            svg = badge_svg(
                badge,
                view,
                page,
                coordinator.monitor.history,
                label,
                datetime.now(UTC),
            )
        except ApiError as err:
            return err.response()
        return web.Response(
            text=svg,
            content_type=SVG_TYPE,
            charset="utf-8",
            headers={"Cache-Control": "public, max-age=60"},
        )
