"""Heartbeat ping URLs: cron jobs and scripts report in; the token is the secret."""

from __future__ import annotations

from http import HTTPStatus
import logging
from typing import Final

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from ..const import DOMAIN, HEARTBEAT_URL
from . import loaded_coordinator
from .shapes import ErrorBody, HeartbeatPingBody, HeartbeatSignal

_LOGGER = logging.getLogger(__name__)

# Named signals of /{signal}; an exit code is a success or a failure.
SIGNALS: Final[dict[str, HeartbeatSignal]] = {"start": "start", "fail": "fail"}
MAX_EXIT_CODE = 255


def _json(status: HTTPStatus, body: HeartbeatPingBody | ErrorBody) -> web.Response:
    return web.json_response(body, status=status)


def ping(hass: HomeAssistant, token: str, signal: str | None) -> web.Response:
    """Apply a ping and return the HTTP answer."""
    coordinator = loaded_coordinator(hass)
    if coordinator is None:
        return _json(
            HTTPStatus.SERVICE_UNAVAILABLE, {"detail": "PiAlert is not loaded"}
        )
    target = coordinator.heartbeat_tokens.target(token)
    if target is None:
        return _json(HTTPStatus.NOT_FOUND, {"detail": "Unknown heartbeat token"})
    exit_code: int | None = None
    kind: HeartbeatSignal
    if signal is None:
        kind = "success"
    elif signal in SIGNALS:
        kind = SIGNALS[signal]
    else:
        try:
            exit_code = int(signal)
        except ValueError:
            exit_code = -1
        if not 0 <= exit_code <= MAX_EXIT_CODE or not signal.isdigit():
            return _json(
                HTTPStatus.BAD_REQUEST,
                {"detail": "Expected /start, /fail or an exit code from 0 to 255"},
            )
        kind = "success" if exit_code == 0 else "fail"
    coordinator.async_heartbeat(
        target.id, kind, exit_code if kind == "fail" and exit_code else None
    )
    return _json(HTTPStatus.OK, {"ok": True, "target": target.name, "signal": kind})


class HeartbeatView(HomeAssistantView):
    """``/api/pialert/v1/heartbeat/{token}[/start|/fail|/{exit_code}]``."""

    url = HEARTBEAT_URL
    extra_urls = [HEARTBEAT_URL + "/{signal}"]  # noqa: RUF012
    name = "api:pialert:heartbeat"
    requires_auth = False

    async def get(
        self, request: web.Request, token: str, signal: str | None = None
    ) -> web.Response:
        """Take a ping."""
        return ping(request.app[KEY_HASS], token, signal)

    post = get
    head = get


async def _handle_webhook(
    hass: HomeAssistant, webhook_id: str, request: web.Request
) -> web.Response:
    """Take a success ping through Home Assistant's webhooks (also via cloud)."""
    return ping(hass, webhook_id, None)


@callback
def async_sync_webhooks(
    hass: HomeAssistant, tokens: set[str], registered: set[str]
) -> None:
    """Register webhooks for ``tokens`` and drop those no longer wanted.

    ``registered`` is updated in place.
    """
    for token in registered - tokens:
        webhook.async_unregister(hass, token)
        registered.discard(token)
    for token in tokens - registered:
        webhook.async_register(
            hass,
            DOMAIN,
            "PiAlert heartbeat",
            token,
            _handle_webhook,
            allowed_methods=["HEAD", "GET", "POST", "PUT"],
        )
        registered.add(token)
