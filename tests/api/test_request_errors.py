"""Errors raised by aiohttp itself inside a view still answer as JSON, never 500."""

from __future__ import annotations

import logging

from homeassistant.components.http.server import MAX_CLIENT_SIZE
import pytest

from .conftest import Hub

TOO_LARGE = (
    f"Request body is too large: Maximum request body size {MAX_CLIENT_SIZE} exceeded."
)


@pytest.mark.parametrize(
    "path", ["/targets", "/silences", "/targets/cpu/acknowledge", "/targets/cpu"]
)
async def test_body_over_the_server_limit_is_413(
    hub: Hub, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Home Assistant's 16 MiB body limit answers 413 with a JSON detail."""
    method = "PATCH" if path == "/targets/cpu" else "POST"
    body = b"[" + b" " * (MAX_CLIENT_SIZE - 1) + b"]"
    assert len(body) == MAX_CLIENT_SIZE + 1
    with caplog.at_level(logging.ERROR):
        response = await hub.request(
            method, path, data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status == 413, await response.text()
        assert response.content_type == "application/json"
        assert await response.json() == {"detail": TOO_LARGE}
    # A refused request is no failure of PiAlert: nothing is logged as an error.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # A body at the limit is read (and refused for what it is, not its size).
    detail = await hub.error(
        method,
        path,
        400,
        data=body[:-1],
        headers={"Content-Type": "application/json"},
    )
    assert detail in {
        "Request body is not valid JSON",
        "Request body must be a JSON object",
    }
