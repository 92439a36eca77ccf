"""Status pages: ``/pialert/status/<slug>`` (HTML) and ``status-pages/<slug>`` (JSON).

Public pages need no login; private ones need a read key or a Home Assistant
login. Answers are built once per snapshot and page, and limited per client
address. ``PUT status-pages/<id>`` posts an incident message (write key);
``PATCH`` and ``DELETE`` change or delete the page (``page_config``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
import logging
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from homeassistant.helpers.http import (
    KEY_AUTHENTICATED,
    KEY_HASS,
    MIN_COMPRESSED_RESPONSE_SIZE,
)
from homeassistant.helpers.json import json_bytes

from ..commands import HubCommands
from ..engine.errors import RefusedError
from ..engine.page_view import incident_body, page_body
from ..published_pages import PageMessage, RenderedPage, find_page, page_serving
from ..refusals import refusal_text
from . import loaded_hub_data
from .base import (
    API_PREFIX,
    ZLIB_EXECUTOR_SIZE,
    ApiError,
    PiAlertView,
    api_endpoint,
    authenticate,
    json_bytes_response,
    json_response,
)
from .keys import ApiKey, Scope
from .limits import client_key
from .page_config import UNKNOWN_PAGE, change_page, delete_page
from .page_html import render_message, render_page
from .request import (
    acted_by,
    bad_request,
    check_query,
    read_json_object,
    reject_unknown_fields,
)
from .stale_pages import stale_headers, stale_page

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator
    from ..engine.status_pages import StatusPage

_LOGGER = logging.getLogger(__name__)

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


@dataclass(frozen=True, slots=True)
class Served:
    """A page's answer and its headers; ``stale`` while the hub reloads."""

    page: StatusPage
    answer: bytes
    headers: dict[str, str]
    stale: RenderedPage | None = None


def served_page(
    request: web.Request,
    slug: str,
    form: str,
    render: Callable[[dict[str, Any]], bytes],
) -> Served:
    """Check access and limits; return the page's cached answer."""
    hass = request.app[KEY_HASS]
    now = datetime.now(UTC)
    hub_data = loaded_hub_data(hass)
    if hub_data is None:
        page, last = stale_page(hass, slug, form, now)
        rate_limit(request, page, form)
        return Served(page, last.answer, stale_headers(last, now), last)
    coordinator = hub_data.coordinator
    entry = coordinator.config_entry
    found = find_page(entry, slug)
    if found is None:
        raise ApiError(HTTPStatus.NOT_FOUND, UNKNOWN_PAGE)
    page = found
    rate_limit(request, page, form)
    _allowed(request, page)
    snapshot = coordinator.data
    # Home Assistant changes a subentry in place, giving it new data.
    settings = entry.subentries[page.id].data
    serving = page_serving(hass)

    def build() -> bytes:
        body = page_body(page, snapshot, coordinator.monitor.history, now)
        answer = render(body)
        if not page.private:
            serving.last[(page.id, form)] = RenderedPage(settings, body, answer, now)
        return answer

    answer = serving.cache(page.id, form).get((snapshot, settings), now, build)
    return Served(page, answer, _cache_headers(page))


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
            served = served_page(request, page, "json", json_bytes)
        except ApiError as err:
            return err.response()
        response = json_bytes_response(served.answer)
        response.headers.update(served.headers)
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

    @api_endpoint(Scope.WRITE)
    async def patch(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        page: str,
    ) -> web.Response:
        """Change the given settings of the page (its messages are kept)."""
        return await change_page(request, coordinator, page)

    @api_endpoint(Scope.WRITE)
    async def delete(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        page: str,
    ) -> web.Response:
        """Delete the page."""
        return await delete_page(request, coordinator, page)


class StatusPageHtmlView(PiAlertView):
    """A status page as HTML, for people: no login, no scripts."""

    url = "/pialert/status/{slug}"
    name = "pialert:status-page"

    async def get(self, request: web.Request, slug: str) -> web.Response:
        """Return the page's HTML."""
        try:
            served = served_page(
                request, slug, "html", lambda data: render_page(data).encode()
            )
        except ApiError as err:
            return _html_refusal(err)
        body = served.answer
        if served.stale is not None:
            body = render_page(served.stale.body, refreshing=True).encode()
        # Compressed as Home Assistant compresses its own answers (gzip or
        # deflate as the client accepts; big bodies off the event loop).
        response = web.Response(
            body=body,
            content_type=HTML_TYPE,
            charset="utf-8",
            zlib_executor_size=ZLIB_EXECUTOR_SIZE,
        )
        response.headers.update(served.headers)
        if len(body) > MIN_COMPRESSED_RESPONSE_SIZE:
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
