"""Heartbeat ping URLs: cron jobs and scripts report in; the token is the secret.

A POST body is the job's output: its last ``OUTPUT_LIMIT`` bytes are kept
(engine/ping_log.py). ``?rid=`` names a run, so overlapping runs are timed
separately.
"""

from __future__ import annotations

from http import HTTPStatus
import logging
import re
from typing import Final

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from ..const import DOMAIN, HEARTBEAT_URL
from ..engine.ping_log import OUTPUT_LIMIT, output_tail
from . import loaded_coordinator
from .shapes import ErrorBody, HeartbeatPingBody, HeartbeatSignal

_LOGGER = logging.getLogger(__name__)

# Named signals of /{signal}; an exit code is a success or a failure.
SIGNALS: Final[dict[str, HeartbeatSignal]] = {
    "start": "start",
    "fail": "fail",
    "log": "log",
}
MAX_EXIT_CODE = 255
RUN_ID: Final = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
BAD_RUN_ID: Final = "rid must be 1 to 64 letters, digits, '.', '_' or '-'"
# A body is read to its end (its tail is what is kept), but not forever.
MAX_BODY: Final = 10 * 1024 * 1024
BODY_TOO_LARGE: Final = "The body is larger than 10 MiB"
BAD_SIGNAL: Final = "Expected /start, /fail, /log or an exit code from 0 to 255"


async def read_output(request: web.Request) -> str | None:
    """Return the tail of the request's body as text; None when too large."""
    tail = b""
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY:
            return None
        tail = (tail + chunk)[-(OUTPUT_LIMIT + 4) :]  # +4: a cut UTF-8 character
    return output_tail(tail) if size else ""


def _json(status: HTTPStatus, body: HeartbeatPingBody | ErrorBody) -> web.Response:
    return web.json_response(body, status=status)


def ping(
    hass: HomeAssistant,
    token: str,
    signal: str | None,
    rid: str | None = None,
    body: str = "",
) -> web.Response:
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
                {"detail": BAD_SIGNAL},
            )
        kind = "success" if exit_code == 0 else "fail"
    coordinator.async_heartbeat(
        target.id,
        kind,
        exit_code if kind == "fail" and exit_code else None,
        rid=rid,
        body=body,
    )
    return _json(HTTPStatus.OK, {"ok": True, "target": target.name, "signal": kind})


class HeartbeatView(HomeAssistantView):
    """``/api/pialert/v1/heartbeat/{token}[/start|/fail|/log|/{exit_code}]``."""

    url = HEARTBEAT_URL
    extra_urls = [HEARTBEAT_URL + "/{signal}"]  # noqa: RUF012
    name = "api:pialert:heartbeat"
    requires_auth = False

    async def get(
        self, request: web.Request, token: str, signal: str | None = None
    ) -> web.Response:
        """Take a ping, with its run id and output."""
        rid = request.query.get("rid")
        if rid is not None and not RUN_ID.fullmatch(rid):
            return _json(HTTPStatus.BAD_REQUEST, {"detail": BAD_RUN_ID})
        body = await read_output(request)
        if body is None:
            return _json(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"detail": BODY_TOO_LARGE}
            )
        return ping(request.app[KEY_HASS], token, signal, rid, body)

    post = get
    head = get


async def _handle_webhook(
    hass: HomeAssistant, webhook_id: str, request: web.Request
) -> web.Response:
    """Take a success ping through Home Assistant's webhooks (also via cloud)."""
    body = await read_output(request)
    if body is None:
        return _json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"detail": BODY_TOO_LARGE})
    return ping(hass, webhook_id, None, body=body)


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
