"""Authentication, limits and JSON errors shared by the v1 API views."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
import functools
from http import HTTPStatus
import logging
from typing import TYPE_CHECKING, Any, Concatenate

from aiohttp import web
from homeassistant.const import CONTENT_TYPE_JSON
from homeassistant.helpers.http import (
    KEY_HASS,
    MIN_COMPRESSED_RESPONSE_SIZE,
    HomeAssistantView,
)
from homeassistant.util import dt as dt_util

from . import loaded_hub_data
from .keys import ApiKey, Scope
from .limits import FAILED_AUTH_LIMIT, client_key

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

_LOGGER = logging.getLogger(__name__)

API_PREFIX = "/api/pialert/v1"
HEADER_API_KEY = "x-api-key"

MISSING_KEY = "Missing API key in x-api-key header"
# Bodies from this size on are compressed in the executor, not on the loop.
ZLIB_EXECUTOR_SIZE = 32768
INVALID_KEY = "Invalid or disabled API key"
# Headers describing aiohttp's own text body, replaced by the JSON one.
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})


class ApiError(Exception):
    """An error answered as JSON ``{"detail": ...}``."""

    def __init__(
        self,
        status: HTTPStatus,
        detail: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the answer."""
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        """Return the JSON answer."""
        return web.json_response(
            {"detail": self.detail}, status=self.status, headers=self.headers
        )


def json_response(data: Any, status: HTTPStatus = HTTPStatus.OK) -> web.Response:
    """Return ``data`` as JSON."""
    return HomeAssistantView.json(data, status_code=status)


def json_bytes_response(body: bytes) -> web.Response:
    """Return JSON already encoded, answered as ``json_response`` would."""
    response = web.Response(
        body=body, content_type=CONTENT_TYPE_JSON, zlib_executor_size=ZLIB_EXECUTOR_SIZE
    )
    if len(body) > MIN_COMPRESSED_RESPONSE_SIZE:
        response.enable_compression()
    return response


def _presented_key(request: web.Request) -> str | None:
    key = request.headers.get(HEADER_API_KEY)
    if key:
        return key.strip()
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def authenticate(
    request: web.Request, scope: Scope
) -> tuple[PiAlertCoordinator, ApiKey]:
    """Check the request's key and limits; raise ApiError when refused."""
    return authenticate_key(request, _presented_key(request), scope)


def authenticate_key(
    request: web.Request, presented: str | None, scope: Scope
) -> tuple[PiAlertCoordinator, ApiKey]:
    """Check a key presented otherwise (a WebSocket's first message) as above."""
    hub_data = loaded_hub_data(request.app[KEY_HASS])
    if hub_data is None:
        raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "PiAlert is not loaded")
    coordinator, api = hub_data.coordinator, hub_data.api
    address = client_key(request.remote)
    if (wait := api.auth_limiter.retry_after(address, FAILED_AUTH_LIMIT)) is not None:
        raise ApiError(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"Too many failed authentication attempts. Try again in {wait} seconds.",
            {"Retry-After": str(wait)},
        )
    if presented is None:
        raise ApiError(HTTPStatus.UNAUTHORIZED, MISSING_KEY)
    # Keys are ASCII; other bytes (aiohttp hands them over as surrogates)
    # are a wrong key like any other, and count as a failed attempt.
    key = api.keys.verify(presented) if presented.isascii() else None
    if key is None or not key.enabled:
        api.auth_limiter.hit(address, FAILED_AUTH_LIMIT)
        raise ApiError(HTTPStatus.UNAUTHORIZED, INVALID_KEY)
    if (wait := api.key_limiter.hit(key.id, key.rate_limit)) is not None:
        raise ApiError(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"Rate limit exceeded. Try again in {wait} seconds.",
            {"Retry-After": str(wait)},
        )
    if scope is Scope.WRITE and key.scope is not Scope.WRITE:
        raise ApiError(
            HTTPStatus.FORBIDDEN,
            "This API key is read-only; this endpoint needs a key with write scope",
        )
    api.touch(key, dt_util.utcnow())
    return coordinator, key


type Handler[V] = Callable[
    Concatenate[V, web.Request, PiAlertCoordinator, ApiKey, ...],
    Awaitable[web.Response],
]


def api_endpoint[V: HomeAssistantView](
    scope: Scope, failure_detail: str = "Internal error"
) -> Callable[[Handler[V]], Callable[..., Awaitable[web.Response]]]:
    """Authenticate, then run the handler; every error becomes JSON."""

    def decorator(handler: Handler[V]) -> Callable[..., Awaitable[web.Response]]:
        @functools.wraps(handler)
        async def wrapper(
            view: V, request: web.Request, *args: Any, **kwargs: Any
        ) -> web.Response:
            try:
                coordinator, key = authenticate(request, scope)
                return await handler(view, request, coordinator, key, *args, **kwargs)
            except ApiError as err:
                return err.response()
            except web.HTTPException as err:
                # aiohttp's own answers (413, 400...) keep their status, as JSON.
                kept = {
                    name: value
                    for name, value in err.headers.items()
                    if name.lower() not in _BODY_HEADERS
                }
                return ApiError(
                    HTTPStatus(err.status), err.text or err.reason, kept
                ).response()
            except Exception:
                _LOGGER.exception("PiAlert API request %s failed", request.path)
                return ApiError(
                    HTTPStatus.INTERNAL_SERVER_ERROR, failure_detail
                ).response()

        return wrapper

    return decorator


class PiAlertView(HomeAssistantView):
    """A v1 API view: PiAlert checks its own keys, not Home Assistant's auth."""

    requires_auth = False
