"""What the demo shows once the hub is loaded, and what --check verifies."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import json
import time
from typing import Any

import aiohttp

from scripts.hass_process import DOMAIN, ROOT

from . import DemoError, say
from .client import call_service, expect_ok, read_states, request_json
from .config import API_KEY_FILE, write_private
from .failing_entry import verify_health_reason
from .house import HEALTH_TARGET, show_house
from .incident_story import record_root_cause
from .notifications import ensure_rule
from .status_page import ensure_status_page
from .targets import (
    DEMO_ENTITY,
    HEARTBEAT_TARGET,
    TargetSpec,
    check_now,
    demo_targets,
    ensure_targets,
    wait_for_entities,
)

API_KEY_NAME = "Demo key"
VERIFY_TIMEOUT = 60.0  # --check: how long the targets get to reach their states
VERIFY_POLL = 2.0


async def ping_heartbeat(
    session: aiohttp.ClientSession,
    base_url: str,
    states: Mapping[str, Mapping[str, Any]],
    spec: TargetSpec,
) -> str:
    """Ping the heartbeat target once (success); return its ping URL."""
    attributes = states[spec.status_entity].get("attributes") or {}
    path = attributes.get("ping_url")
    if not isinstance(path, str) or not path.startswith("/"):
        raise DemoError(f"{spec.status_entity} has no ping_url attribute")
    url = f"{base_url}{path}"
    status, body = await request_json(session, "GET", url)
    body = expect_ok(f"pinging the heartbeat {spec.name!r}", status, body)
    if not isinstance(body, dict) or body.get("ok") is not True:
        raise DemoError(f"pinging the heartbeat {spec.name!r}: unexpected {body}")
    say(f"pinged heartbeat {spec.name!r}: {json.dumps(body)}")
    return url


async def new_api_key(session: aiohttp.ClientSession, base_url: str, token: str) -> str:
    """Replace the demo's read key; save it to .demo/api-key; return it."""
    listing = await call_service(
        session, base_url, token, "list_api_keys", {}, response=True
    )
    names = [str(key.get("name")) for key in listing.get("keys", [])]
    if any(name.casefold() == API_KEY_NAME.casefold() for name in names):
        await call_service(
            session, base_url, token, "delete_api_key", {"key_id": API_KEY_NAME}
        )
        say(f"deleted the earlier API key {API_KEY_NAME!r}")
    created = await call_service(
        session,
        base_url,
        token,
        "create_api_key",
        {"name": API_KEY_NAME, "scope": "read"},
        response=True,
    )
    key = created.get("key")
    if not isinstance(key, str) or not key:
        raise DemoError(f"{DOMAIN}.create_api_key returned no key: {created}")
    write_private(API_KEY_FILE, key + "\n")
    say(
        f"created API key {API_KEY_NAME!r} (read), saved to "
        f"{API_KEY_FILE.relative_to(ROOT)}"
    )
    return key


async def alert_status(
    session: aiohttp.ClientSession, base_url: str, api_key: str | None
) -> tuple[int, Any]:
    """GET /api/v1/alert-status, with the key when given (never HA's token)."""
    headers = {"x-api-key": api_key} if api_key else {}
    return await request_json(
        session, "GET", f"{base_url}/api/v1/alert-status", headers=headers
    )


async def verify_demo(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    api_key: str,
    specs: list[TargetSpec],
) -> list[str]:
    """Check that the demo shows what it should; return what was verified."""
    verified = []
    status, body = await alert_status(session, base_url, None)
    wanted = {"detail": "Missing API key in x-api-key header"}
    if status != 401 or body != wanted:
        raise DemoError(
            f"alert-status without a key: expected 401 {wanted}, got {status} {body}"
        )
    verified.append("alert-status without a key: 401 " + json.dumps(body))

    by_name = {spec.name: spec.status_entity for spec in specs}
    expected = {"Demo website": "up", "Demo API": "up", "Broken service": "down"}
    started = time.monotonic()
    deadline = started + VERIFY_TIMEOUT
    while True:
        states = await read_states(session, base_url, token)
        current = {
            name: states.get(entity, {}).get("state")
            for name, entity in by_name.items()
        }
        status, body = await alert_status(session, base_url, api_key)
        problems = [
            f"{by_name[name]} does not exist"
            for name, state in current.items()
            if state is None
        ]
        problems += [
            f"{name} is {current[name]!r}, not {state!r}"
            for name, state in expected.items()
            if current[name] is not None and current[name] != state
        ]
        if status != 200 or not isinstance(body, dict):
            problems.append(f"alert-status answered {status}: {body}")
        else:
            failing = {
                f.get("name"): f.get("status") for f in body.get("failing_targets", [])
            }
            if failing.get("Broken service") != "down":
                problems.append(
                    "alert-status does not list Broken service as down "
                    f"(failing_targets: {body.get('failing_targets')})"
                )
            if body.get("alert") is not True:
                problems.append(f"alert-status says alert={body.get('alert')!r}")
        if not problems:
            break
        if time.monotonic() > deadline:
            raise DemoError(f"after {VERIFY_TIMEOUT:.0f} s: " + "; ".join(problems))
        await asyncio.sleep(VERIFY_POLL)
    waited = time.monotonic() - started
    verified += [
        f"all {len(specs)} targets have status sensors: "
        + ", ".join(f"{by_name[n]}={s}" for n, s in current.items()),
        f"Demo website and Demo API are up, Broken service is down (after {waited:.0f} s)",
        "alert-status with the key: alert=true, failing_targets "
        + json.dumps(body.get("failing_targets")),
    ]
    for line in verified:
        say(f"verified: {line}")
    return verified


async def after_hub(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    *,
    entry_id: str,
    site_url: str,
    check: bool = False,
) -> list[str]:
    """Run the demo's steps that need the hub; return lines for the summary.

    Adds the demo targets (or points existing HTTP ones at this run's site),
    pings the heartbeat, makes a fresh read API key, calls alert-status with it
    and, with ``check``, verifies the states the targets should reach.
    """
    specs = demo_targets(site_url)
    report, updated = await ensure_targets(session, base_url, token, entry_id, specs)
    states = await wait_for_entities(session, base_url, token, specs)
    if updated:
        await check_now(session, base_url, token, updated)
    heartbeat = next(spec for spec in specs if spec.name == HEARTBEAT_TARGET)
    ping_url = await ping_heartbeat(session, base_url, states, heartbeat)

    api_key = await new_api_key(session, base_url, token)
    curl = f'curl -H "x-api-key: {api_key}" {base_url}/api/v1/alert-status'
    status, body = await alert_status(session, base_url, api_key)
    body = expect_ok("alert-status with the new key", status, body)
    say(f"$ {curl}")
    say(json.dumps(body))

    lines = [
        "",
        f"Demo site: {site_url}/  (also /api/health, /broken = 503, /flaky = 200/500)",
        "Targets:",
        *(f"  {line}" for line in report),
        "Heartbeat: cron */5 * * * * (Europe/Berlin), 60 s grace: ping it at least"
        " every 5 minutes (POST a body to keep the job's output; see its /pings):",
        f"  curl {ping_url}",
        f"API key:   {api_key}  (read; also in {API_KEY_FILE.relative_to(ROOT)})",
        f"  {curl}",
        f"  -> {json.dumps(body)}",
        f"Try:       toggle {DEMO_ENTITY} to see the entity target go down",
    ]
    lines += await show_house(
        session, base_url, token, entry_id=entry_id, ping_url=ping_url
    )
    lines += await ensure_rule(session, base_url, token, entry_id)
    lines += await ensure_status_page(session, base_url, token, entry_id)
    lines += await record_root_cause(session, base_url, token, specs)
    if check:
        verified = await verify_demo(session, base_url, token, api_key, specs)
        verified.append(
            await verify_health_reason(session, base_url, token, HEALTH_TARGET)
        )
        lines += ["Verified:", *(f"  {line}" for line in verified)]
    return lines
