"""``/status-pages``: list and create status pages; change or delete one.

Pages are the hub's config subentries: the API changes the very subentries
the UI shows, through the command door, checked by the form's own rules
(``engine.status_pages.check_page``). ``GET``/``PUT status-pages/{page}``
(the published page, incident messages) live in ``status_pages``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from ..commands import HubCommands
from ..const import SUBENTRY_TYPE_STATUS_PAGE
from ..engine.errors import RefusedError
from ..engine.status_pages import (
    CONF_GROUPS,
    PAGE_FIELDS,
    PageInputError,
    StatusPage,
    page_settings,
)
from ..refusals import refusal_text
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import (
    bad_request,
    check_query,
    field_errors_detail,
    read_json_object,
    reject_unknown_fields,
)

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

PAGE_KEYS: Final = frozenset({*(f.name for f in PAGE_FIELDS), CONF_GROUPS})
HTML_PREFIX: Final = "/pialert/status"
UNKNOWN_PAGE: Final = "Unknown status page"


def page_config_json(page: StatusPage) -> dict[str, Any]:
    """Return a page's settings, id and addresses, as the API shows them."""
    return {
        "id": page.id,
        **page_settings(page),
        "html_url": f"{HTML_PREFIX}/{page.slug}",
        "json_url": f"{API_PREFIX}/status-pages/{page.slug}",
        "open_incidents": sum(1 for incident in page.incidents if incident.active),
    }


def _commands(coordinator: PiAlertCoordinator) -> HubCommands:
    return HubCommands.of(coordinator.config_entry.runtime_data)


async def _refusal(coordinator: PiAlertCoordinator, err: RefusedError) -> ApiError:
    if isinstance(err, PageInputError):
        detail = await field_errors_detail(
            coordinator.hass, err.errors, SUBENTRY_TYPE_STATUS_PAGE
        )
        # Only a clash with another page's address is a conflict.
        clash = set(err.errors.values()) == {"slug_taken"}
        return ApiError(
            HTTPStatus.CONFLICT if clash else HTTPStatus.BAD_REQUEST, detail
        )
    if err.key == "unknown_status_page":
        return ApiError(HTTPStatus.NOT_FOUND, UNKNOWN_PAGE)
    return bad_request(refusal_text(err))


async def _page_body(request: web.Request) -> dict[str, Any]:
    body = await read_json_object(request)
    reject_unknown_fields(body, PAGE_KEYS)
    return body


class StatusPagesView(PiAlertView):
    """``/status-pages``: list and create pages."""

    url = f"{API_PREFIX}/status-pages"
    name = "api:pialert:status-pages"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """List the pages' settings (private ones too: a key may read them)."""
        check_query(request, ())
        pages = _commands(coordinator).status_pages.pages()
        return json_response({"status_pages": [page_config_json(p) for p in pages]})

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a page (a new subentry of the hub, saved at once)."""
        check_query(request, ())
        body = await _page_body(request)
        try:
            page = _commands(coordinator).status_pages.add(body)
        except RefusedError as err:
            raise await _refusal(coordinator, err) from None
        return json_response(page_config_json(page), HTTPStatus.CREATED)


async def change_page(
    request: web.Request, coordinator: PiAlertCoordinator, page: str
) -> web.Response:
    """Change the given settings of a page (``PATCH status-pages/{page}``)."""
    check_query(request, ())
    body = await _page_body(request)
    try:
        changed = _commands(coordinator).status_pages.change(page, body)
    except RefusedError as err:
        raise await _refusal(coordinator, err) from None
    return json_response(page_config_json(changed))


async def delete_page(
    request: web.Request, coordinator: PiAlertCoordinator, page: str
) -> web.Response:
    """Delete a page (``DELETE status-pages/{page}``)."""
    check_query(request, ())
    try:
        page_id = _commands(coordinator).status_pages.remove(page)
    except RefusedError as err:
        raise await _refusal(coordinator, err) from None
    return json_response({"deleted": page_id})
