"""The one translator of the engine's refusals, for services and the API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_exception_message

from .const import DOMAIN
from .engine.errors import RefusedError


@contextmanager
def as_service_errors() -> Iterator[None]:
    """Turn refusals into translated validation errors (services, entities)."""
    try:
        yield
    except RefusedError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.key,
            translation_placeholders=err.placeholders,
        ) from err


def refusal_text(err: RefusedError) -> str:
    """Return a refusal in English words, for the API's ``detail``.

    Home Assistant drops a message's final full stop (its UI adds none); the
    API's details are sentences and keep it, as the contract shows them.
    """
    text = async_get_exception_message(DOMAIN, err.key, err.placeholders)
    return text if text == err.key else f"{text}."
