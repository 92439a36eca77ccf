"""Onboard a new instance, or log in to one onboarded on an earlier run."""

from __future__ import annotations

from typing import Any

import aiohttp

from scripts.hass_process import ROOT

from . import DemoError, say
from .client import expect_ok, request_json
from .config import CREDENTIALS_FILE, Credentials, load_credentials, new_credentials

DISPLAY_NAME = "PiAlert Demo"


async def exchange_code(
    session: aiohttp.ClientSession, base_url: str, client_id: str, code: str
) -> str:
    """Trade an authorization code for an access token."""
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/token",
        form={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    )
    body = expect_ok("token exchange", status, body)
    return str(body["access_token"])


async def log_in(
    session: aiohttp.ClientSession,
    base_url: str,
    client_id: str,
    credentials: Credentials,
) -> str:
    """Log in through the login flow API; return the authorization code."""
    redirect_uri = f"{base_url}/?auth_callback=1"
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/login_flow",
        json_body={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": redirect_uri,
        },
    )
    body = expect_ok("starting the login flow", status, body)
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/login_flow/{body['flow_id']}",
        json_body={
            "client_id": client_id,
            "username": credentials.username,
            "password": credentials.password,
        },
    )
    body = expect_ok("logging in", status, body)
    if body.get("type") != "create_entry":
        raise DemoError(
            f"logging in as {credentials.username!r} failed ({body.get('errors')}): "
            f"the password in {CREDENTIALS_FILE.relative_to(ROOT)} does not match this "
            "instance; start over with --fresh"
        )
    return str(body["result"])


async def onboard_or_log_in(
    session: aiohttp.ClientSession, base_url: str, steps: list[dict[str, Any]]
) -> tuple[str, Credentials]:
    """Onboard a new instance or log in to an onboarded one; return a token."""
    client_id = f"{base_url}/"
    done = {step["step"] for step in steps if step.get("done")}
    credentials = load_credentials()
    code: str | None = None

    if "user" not in done:
        if credentials is None:
            credentials = new_credentials()
        say(f"onboarding: creating user {credentials.username!r}")
        status, body = await request_json(
            session,
            "POST",
            f"{base_url}/api/onboarding/users",
            json_body={
                "client_id": client_id,
                "name": DISPLAY_NAME,
                "username": credentials.username,
                "password": credentials.password,
                "language": "en",
            },
        )
        if status == 200:
            code = str(expect_ok("creating the user", status, body)["auth_code"])
        elif status != 403:  # 403: the user step was done meanwhile
            expect_ok("creating the user", status, body)

    if credentials is None:  # only when the user step was done on an earlier run
        raise DemoError(
            f"this instance is onboarded but {CREDENTIALS_FILE.relative_to(ROOT)} "
            "is missing: start over with --fresh"
        )
    if code is None:
        say(f"logging in as {credentials.username!r}")
        code = await log_in(session, base_url, client_id, credentials)

    token = await exchange_code(session, base_url, client_id, code)
    await finish_onboarding(session, base_url, token, client_id)
    return token, credentials


async def finish_onboarding(
    session: aiohttp.ClientSession, base_url: str, token: str, client_id: str
) -> None:
    """Mark the remaining onboarding steps done so the UI skips onboarding."""
    status, steps = await request_json(session, "GET", f"{base_url}/api/onboarding")
    if status == 404:  # onboarding was finished on an earlier run
        return
    steps = expect_ok("reading the onboarding state", status, steps)
    bodies: dict[str, dict[str, str]] = {
        "core_config": {},
        "analytics": {},
        "integration": {
            "client_id": client_id,
            "redirect_uri": f"{base_url}/?auth_callback=1",
        },
    }
    for step in steps:
        name = step["step"]
        if step.get("done") or name not in bodies:
            continue
        say(f"onboarding: step {name}")
        status, body = await request_json(
            session,
            "POST",
            f"{base_url}/api/onboarding/{name}",
            token=token,
            json_body=bodies[name],
        )
        if status != 403:  # 403: already done
            expect_ok(f"onboarding step {name}", status, body)
