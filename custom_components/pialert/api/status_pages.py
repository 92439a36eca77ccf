"""Status pages: ``/pialert/status/<slug>`` (HTML) and ``status-pages/<slug>`` (JSON).

Public pages need no login; private ones need a read key or a Home Assistant
login. Answers are built once per snapshot and page, and limited per client
address. ``PUT status-pages/<id>`` posts an incident message (write key).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
import logging
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from homeassistant.helpers.http import KEY_AUTHENTICATED, KEY_HASS
from homeassistant.helpers.json import json_bytes

from ..commands import HubCommands
from ..engine.errors import RefusedError
from ..engine.page_view import incident_body, page_body
from ..published_pages import PageMessage, find_page, page_serving
from ..refusals import refusal_text
from . import loaded_hub_data
from .base import (
    API_PREFIX,
    ApiError,
    PiAlertView,
    api_endpoint,
    authenticate,
    json_bytes_response,
    json_response,
)
from .keys import ApiKey, Scope
from .limits import client_key
from .page_html import render_message, render_page
from .request import (
    acted_by,
    bad_request,
    check_query,
    read_json_object,
    reject_unknown_fields,
)

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator
    from ..engine.status_pages import StatusPage

_LOGGER = logging.getLogger(__name__)

UNKNOWN_PAGE: Final = "Unknown status page"
HTML_TYPE: Final = "text/html"
PUT_FIELDS: Final = ("incident_status", "incident_message", "incident_id")


def rate_limit(request: web.Request, page: StatusPage, scope: str) -> None:
    """Refuse a client address over the page's requests per minute."""
    limiter = page_serving(request.app[KEY_HASS]).limiter
    name = f"{scope}|{page.id}|{client_key(request.remote)}"
    if (wait := limiter.hit(name, page.rate_limit)) is not None:
        raise ApiError(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"Rate limit exceeded. Try again in {wait} seconds.",
            {"Retry-After": str(wait)},
        )


def _allowed(request: web.Request, page: StatusPage) -> None:
    """Let a private page through for a Home Assistant login or a read key."""
    if page.private and not request.get(KEY_AUTHENTICATED, False):
        authenticate(request, Scope.READ)


def served_page(
    request: web.Request,
    slug: str,
    form: str,
    render: Callable[[dict[str, Any]], bytes],
) -> tuple[StatusPage, bytes]:
    """Check access and limits; return the page and its cached answer."""
    hub_data = loaded_hub_data(request.app[KEY_HASS])
    if hub_data is None:
        raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "PiAlert is not loaded")
    coordinator = hub_data.coordinator
    entry = coordinator.config_entry
    page = find_page(entry, slug)
    if page is None:
        raise ApiError(HTTPStatus.NOT_FOUND, UNKNOWN_PAGE)
    rate_limit(request, page, form)
    _allowed(request, page)
    snapshot = coordinator.data
    now = datetime.now(UTC)
    inputs = (snapshot, entry.subentries[page.id])

    def build() -> bytes:
        return render(page_body(page, snapshot, coordinator.monitor.history, now))

    return page, page_serving(request.app[KEY_HASS]).cache(page.id, form).get(
        inputs, now, build
    )


def _cache_headers(page: StatusPage) -> dict[str, str]:
    if page.private:
        return {"Cache-Control": "private, no-store"}
    return {"Cache-Control": "public, max-age=30"}


class StatusPageView(PiAlertView):
    """A status page as JSON; PUT posts an incident message."""

    url = f"{API_PREFIX}/status-pages/{{page}}"
    name = "api:pialert:status-page"

    async def get(self, request: web.Request, page: str) -> web.Response:
        """Return the page's public body."""
        try:
            check_query(request, ())
            found, body = served_page(request, page, "json", json_bytes)
        except ApiError as err:
            return err.response()
        response = json_bytes_response(body)
        response.headers.update(_cache_headers(found))
        return response

    @api_endpoint(Scope.WRITE)
    async def put(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        page: str,
    ) -> web.Response:
        """Post an incident message: ``incident_status`` and ``incident_message``."""
        check_query(request, ())
        found = find_page(coordinator.config_entry, page)
        if found is None:
            raise ApiError(HTTPStatus.NOT_FOUND, UNKNOWN_PAGE)
        body = await read_json_object(request)
        reject_unknown_fields(body, PUT_FIELDS)
        values = {}
        for field in PUT_FIELDS:
            value = body.get(field)
            if value is not None and not isinstance(value, str):
                raise bad_request(f"Invalid field '{field}': expected a string")
            values[field] = value
        if values["incident_status"] is None or values["incident_message"] is None:
            raise bad_request(
                "Fields 'incident_status' and 'incident_message' are required"
            )
        message = PageMessage(
            status=values["incident_status"],
            message=values["incident_message"],
            by=acted_by(key),
            incident_id=values["incident_id"],
        )
        try:
            incident = HubCommands.of(
                coordinator.config_entry.runtime_data
            ).post_page_incident(found.id, message)
        except RefusedError as err:
            raise bad_request(refusal_text(err)) from None
        return json_response(incident_body(incident))


class StatusPageHtmlView(PiAlertView):
    """A status page as HTML, for people: no login, no scripts."""

    url = "/pialert/status/{slug}"
    name = "pialert:status-page"

    async def get(self, request: web.Request, slug: str) -> web.Response:
        """Return the page's HTML."""
        try:
            page, body = served_page(
                request, slug, "html", lambda data: render_page(data).encode()
            )
        except ApiError as err:
            return _html_refusal(err)
        response = web.Response(body=body, content_type=HTML_TYPE, charset="utf-8")
        response.headers.update(_cache_headers(page))
        if len(body) > 1024:
            response.enable_compression()
        return response


def _html_refusal(err: ApiError) -> web.Response:
    titles = {
        HTTPStatus.NOT_FOUND: "Status page not found",
        HTTPStatus.UNAUTHORIZED: "This status page is private",
        HTTPStatus.TOO_MANY_REQUESTS: "Too many requests",
    }
    title = titles.get(err.status, "Status page unavailable")
    return web.Response(
        text=render_message(title, err.detail),
        status=err.status,
        content_type=HTML_TYPE,
        headers=err.headers,
    )
