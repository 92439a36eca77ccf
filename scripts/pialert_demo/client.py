"""Home Assistant's REST API as the demo uses it: requests, start-up, the hub."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
import json
import time
from typing import Any

import aiohttp

from scripts.hass_process import DOMAIN, HassProcess

from . import DemoError, say

FAILED_ENTRY_STATES = ("setup_error", "migration_error", "failed_unload")
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """Send a request; return the status and the decoded JSON (or text) body."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with session.request(
        method, url, headers=headers, json=json_body, data=form
    ) as response:
        text = await response.text()
        try:
            body: Any = json.loads(text) if text else None
        except ValueError:
            body = text
        return response.status, body


def expect_ok(what: str, status: int, body: Any) -> Any:
    """Return body when status is 200, else fail with what went wrong."""
    if status != 200:
        raise DemoError(f"{what}: HTTP {status}: {body}")
    return body


async def wait_for_http(
    session: aiohttp.ClientSession,
    base_url: str,
    hass: HassProcess,
    deadline: float,
) -> list[dict[str, Any]]:
    """Wait until the HTTP API answers; return the onboarding steps.

    hass opens its port only once frontend (and with it auth and onboarding) is
    set up. Onboarding registers no views on a fully onboarded instance, so a
    404 there means: every step is done.
    """
    while True:
        if (code := hass.exit_code()) is not None:
            raise DemoError(f"Home Assistant exited with code {code} while starting")
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            status, body = await request_json(
                session, "GET", f"{base_url}/api/onboarding"
            )
            if status == 200 and isinstance(body, list):
                return body
            if status == 404:
                return [{"step": step, "done": True} for step in ONBOARDING_STEPS]
        if time.monotonic() > deadline:
            raise DemoError("Home Assistant's HTTP API did not answer in time")
        await asyncio.sleep(0.5)


async def wait_until_running(
    session: aiohttp.ClientSession, base_url: str, token: str, deadline: float
) -> None:
    """Wait until Home Assistant has finished starting (core state RUNNING)."""
    state = "?"
    while True:
        status, body = await request_json(
            session, "GET", f"{base_url}/api/config", token=token
        )
        if status == 200 and isinstance(body, dict):
            state = str(body.get("state"))
            if state == "RUNNING":
                return
        if time.monotonic() > deadline:
            raise DemoError(f"Home Assistant did not finish starting (state {state})")
        await asyncio.sleep(0.5)


async def call_service(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    service: str,
    data: Mapping[str, Any],
    *,
    response: bool = False,
) -> Any:
    """Call a pialert action over REST; return its response when asked for one."""
    url = f"{base_url}/api/services/{DOMAIN}/{service}"
    if response:
        url += "?return_response"
    status, body = await request_json(
        session, "POST", url, token=token, json_body=dict(data)
    )
    body = expect_ok(f"action {DOMAIN}.{service}", status, body)
    if response:
        if not isinstance(body, dict) or not isinstance(
            body.get("service_response"), dict
        ):
            raise DemoError(f"action {DOMAIN}.{service}: no response in {body}")
        return body["service_response"]
    return body


async def read_states(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> dict[str, dict[str, Any]]:
    """Return every entity's state object by entity id."""
    status, states = await request_json(
        session, "GET", f"{base_url}/api/states", token=token
    )
    states = expect_ok("reading the states", status, states)
    return {str(state["entity_id"]): state for state in states}


async def ensure_hub(session: aiohttp.ClientSession, base_url: str, token: str) -> None:
    """Add the PiAlert hub through the config flow, unless it exists."""
    flows = f"{base_url}/api/config/config_entries/flow"
    status, result = await request_json(
        session,
        "POST",
        flows,
        token=token,
        json_body={"handler": DOMAIN, "show_advanced_options": False},
    )
    if status == 404:
        raise DemoError(
            f"Home Assistant has no config flow for {DOMAIN!r}: the integration did "
            "not load (see the errors below)"
        )
    result = expect_ok("starting the PiAlert config flow", status, result)
    if result.get("type") == "form" and result.get("step_id") == "user":
        status, result = await request_json(
            session, "POST", f"{flows}/{result['flow_id']}", token=token, json_body={}
        )
        result = expect_ok("submitting the PiAlert config flow", status, result)
    kind, reason = result.get("type"), result.get("reason")
    if kind == "create_entry":
        say("PiAlert hub added")
    elif kind == "abort" and reason in (
        "single_instance_allowed",
        "already_configured",
    ):
        say("PiAlert hub already exists")
    else:
        raise DemoError(f"the PiAlert config flow ended unexpectedly: {result}")


async def verify_hub(
    session: aiohttp.ClientSession, base_url: str, token: str, deadline: float
) -> dict[str, Any]:
    """Wait until the PiAlert config entry is loaded; return its JSON."""
    url = f"{base_url}/api/config/config_entries/entry?domain={DOMAIN}"
    seen = "no entry"
    while True:
        status, entries = await request_json(session, "GET", url, token=token)
        entries = expect_ok("listing config entries", status, entries)
        for entry in entries:
            if entry.get("domain") != DOMAIN:
                continue
            if entry.get("state") == "loaded":
                return dict(entry)
            seen = f"state {entry.get('state')!r}, reason {entry.get('reason')!r}"
            if entry.get("state") in FAILED_ENTRY_STATES:
                raise DemoError(f"the PiAlert hub failed to load ({seen})")
        if time.monotonic() > deadline:
            raise DemoError(f"the PiAlert hub is not loaded ({seen})")
        await asyncio.sleep(0.5)
