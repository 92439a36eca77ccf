"""Request helpers the v1 views share.

Strict query and body parsing, and error texts taken from the integration's
translations (so the API and the UI explain a refusal the same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util.json import json_loads

from ..const import DOMAIN, SUBENTRY_TYPE_TARGET
from .base import ApiError
from .keys import ApiKey

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 500
MAX_TEXT_LENGTH: Final = 2048
MAX_TAG_LENGTH: Final = 100
MAX_TAGS: Final = 100
MAX_NOTE_LENGTH: Final = 500


def bad_request(detail: str) -> ApiError:
    """Return a 400 error."""
    return ApiError(HTTPStatus.BAD_REQUEST, detail)


def check_query(request: web.Request, allowed: Iterable[str]) -> dict[str, str]:
    """Return the query parameters; refuse unknown and repeated ones."""
    query = request.query
    allowed = frozenset(allowed)
    unknown = sorted(set(query) - allowed)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise bad_request(f"Unknown query parameter{plural}: {', '.join(unknown)}")
    for name in sorted(set(query)):
        if len(query.getall(name)) > 1:
            raise bad_request(f"Query parameter '{name}' is given more than once")
    return dict(query.items())


def int_param(
    query: Mapping[str, str],
    name: str,
    default: int,
    minimum: int,
    maximum: int | None = None,
) -> int:
    """Return a whole-number query parameter within bounds."""
    raw = query.get(name)
    if raw is None:
        return default
    text = raw.strip()
    value: int | None = None
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 18:
        value = int(text)
    if value is None or value < minimum or (maximum is not None and value > maximum):
        wanted = (
            f"a whole number from {minimum} to {maximum}"
            if maximum is not None
            else f"a whole number of at least {minimum}"
        )
        raise bad_request(f"Invalid query parameter '{name}': expected {wanted}")
    return value


def choice_param(
    query: Mapping[str, str], name: str, choices: Iterable[str]
) -> str | None:
    """Return a query parameter that must be one of ``choices``."""
    raw = query.get(name)
    if raw is None:
        return None
    options = list(choices)
    if raw not in options:
        raise bad_request(
            f"Invalid query parameter '{name}': expected one of {', '.join(options)}"
        )
    return raw


async def read_bytes(request: web.Request) -> bytes:
    """Return the request's body; 413 beyond Home Assistant's bound (16 MiB)."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge as err:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"Request body is too large: {err.text}",
        ) from None


async def read_json_object(
    request: web.Request, *, optional: bool = False
) -> dict[str, Any]:
    """Return the request's JSON object body (``{}`` for an optional empty one)."""
    raw = await read_bytes(request)
    if not raw.strip():
        if optional:
            return {}
        raise bad_request("Request body must be a JSON object")
    try:
        body = json_loads(raw)
    except ValueError:
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def reject_unknown_fields(body: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse body fields that are not in ``allowed``."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise bad_request(f"Unknown field{plural}: {', '.join(unknown)}")


async def _translated(
    hass: HomeAssistant, category: str, key: str, placeholders: Mapping[str, str]
) -> str | None:
    texts = await async_get_translations(hass, "en", category, [DOMAIN])
    text = texts.get(key)
    if text is None:
        return None
    for name, value in placeholders.items():
        text = text.replace("{" + name + "}", value)
    return text


async def field_errors_detail(
    hass: HomeAssistant,
    errors: Mapping[str, str],
    subentry_type: str = SUBENTRY_TYPE_TARGET,
) -> str:
    """Return ``Invalid field 'x': <the UI's text>`` for each field error."""
    parts = []
    for field_name, error_key in sorted(errors.items()):
        text = await _translated(
            hass,
            "config_subentries",
            f"component.{DOMAIN}.config_subentries.{subentry_type}.error.{error_key}",
            {},
        )
        parts.append(f"Invalid field '{field_name}': {text or error_key}")
    return " ".join(parts)


def iso(value: datetime | None) -> str | None:
    """Return a timestamp as ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def acted_by(key: ApiKey) -> str:
    """Return who acts, for acknowledgements, silences and history."""
    return f"API key {key.name}"
