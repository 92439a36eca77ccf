"""The demo's targets, added or updated through the target subentry flow."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import re
import time
from typing import Any

import aiohttp

from . import DemoError, say
from .client import call_service, expect_ok, read_states, request_json

SUBENTRY_TYPE = "target"
HTTP_COMMON = {"interval": 10, "timeout": 5}  # 10 s: the shortest interval allowed
DEMO_ENTITY = "input_boolean.demo_server_online"
HEARTBEAT_TARGET = "Nightly backup"
ENTITY_TIMEOUT = 30.0  # for a new target's entities to appear


@dataclass(frozen=True)
class TargetSpec:
    """A demo target: its name, kind and the form's fields (except the name)."""

    name: str
    kind: str
    fields: dict[str, Any]

    @property
    def status_entity(self) -> str:
        """Return the entity id of the target's status sensor."""
        return f"sensor.{slug(self.name)}_status"


def slug(name: str) -> str:
    """Return ``name`` the way Home Assistant makes it part of an entity id."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def demo_targets(site_url: str) -> list[TargetSpec]:
    """Return the demo's targets; the HTTP ones watch ``site_url``."""
    return [
        TargetSpec(
            "Demo website",
            "http",
            {"url": f"{site_url}/", "keyword": "OK"} | HTTP_COMMON,
        ),
        TargetSpec("Demo API", "http", {"url": f"{site_url}/api/health"} | HTTP_COMMON),
        TargetSpec(
            "Broken service",
            "http",
            {"url": f"{site_url}/broken", "failure_threshold": 2} | HTTP_COMMON,
        ),
        TargetSpec(
            "Flaky service",
            "http",
            # It never fails twice in a row: the window rule catches it, and
            # it stays down until it answers three times in a row.
            {
                "url": f"{site_url}/flaky",
                "failure_threshold": 2,
                "success_threshold": 3,
                "min_events": 3,
                "time_window_seconds": 60,
            }
            | HTTP_COMMON,
        ),
        # A cron heartbeat: due every 5 minutes (Berlin time), 1 minute late at most.
        TargetSpec(
            HEARTBEAT_TARGET,
            "heartbeat",
            {
                "period": 300,
                "grace": 60,
                "schedule": "*/5 * * * *",
                "time_zone": "Europe/Berlin",
            },
        ),
        TargetSpec(
            "Demo server online",
            "entity",
            {
                "entity_id": DEMO_ENTITY,
                "condition": "equals",
                "value": "off",
                "failure_threshold": 1,
            },
        ),
    ]


async def list_targets(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    subentry_type: str = SUBENTRY_TYPE,
) -> dict[str, str]:
    """Return the hub's targets (or other subentries) as {name folded: id}.

    Subentries are listed over the WebSocket API only (no REST view).
    """
    async with session.ws_connect(f"{base_url}/api/websocket") as ws:
        message = await ws.receive_json()
        if message.get("type") != "auth_required":
            raise DemoError(f"WebSocket API: unexpected greeting {message}")
        await ws.send_json({"type": "auth", "access_token": token})
        message = await ws.receive_json()
        if message.get("type") != "auth_ok":
            raise DemoError(f"WebSocket API: authentication failed: {message}")
        await ws.send_json(
            {"id": 1, "type": "config_entries/subentries/list", "entry_id": entry_id}
        )
        message = await ws.receive_json()
    if not message.get("success"):
        raise DemoError(f"listing the hub's targets failed: {message.get('error')}")
    return {
        str(sub["title"]).casefold(): str(sub["subentry_id"])
        for sub in message["result"]
        if sub.get("subentry_type") == subentry_type
    }


async def target_flow(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    spec: TargetSpec,
    subentry_id: str | None = None,
) -> str:
    """Add a target, or reconfigure one, through the subentry flow's REST API.

    Returns what happened: "added", "updated" or "unchanged".
    """
    flows = f"{base_url}/api/config/config_entries/subentries/flow"
    what = f"{'reconfiguring' if subentry_id else 'adding'} target {spec.name!r}"
    body: dict[str, Any] = {"handler": [entry_id, SUBENTRY_TYPE]}
    if subentry_id is not None:
        body["subentry_id"] = subentry_id  # makes it a reconfigure flow
    status, result = await request_json(
        session, "POST", flows, token=token, json_body=body
    )
    result = expect_ok(what, status, result)
    flow_url = f"{flows}/{result.get('flow_id')}"
    if result.get("type") == "menu":  # the user step: pick the kind
        status, result = await request_json(
            session,
            "POST",
            flow_url,
            token=token,
            json_body={"next_step_id": spec.kind},
        )
        result = expect_ok(f"{what}: choosing {spec.kind!r}", status, result)
    if result.get("type") != "form":
        raise DemoError(f"{what}: expected a form, got {result}")
    schema = {field["name"]: field for field in result.get("data_schema") or []}
    if subentry_id is not None:
        missing = set(spec.fields) - set(schema)
        if missing:  # the same name, but another kind of target
            await request_json(session, "DELETE", flow_url, token=token)
            raise DemoError(
                f"{what}: the existing target has no field {', '.join(sorted(missing))}"
                f" (not a {spec.kind} target?): rename or delete it, or use --fresh"
            )
        current = {
            name: (field.get("description") or {}).get("suggested_value")
            for name, field in schema.items()
        }
        if all(current.get(key) == value for key, value in spec.fields.items()):
            await request_json(session, "DELETE", flow_url, token=token)
            return "unchanged"
    status, result = await request_json(
        session,
        "POST",
        flow_url,
        token=token,
        json_body={"name": spec.name, **spec.fields},
    )
    result = expect_ok(what, status, result)
    kind, reason = result.get("type"), result.get("reason")
    if subentry_id is None and kind == "create_entry":
        return "added"
    if (
        subentry_id is not None
        and kind == "abort"
        and reason == "reconfigure_successful"
    ):
        return "updated"
    if kind == "form":
        await request_json(session, "DELETE", flow_url, token=token)
        raise DemoError(f"{what}: the form refused it: {result.get('errors')}")
    raise DemoError(f"{what}: the flow ended unexpectedly: {result}")


async def ensure_targets(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    specs: list[TargetSpec],
) -> tuple[list[str], list[TargetSpec]]:
    """Add the targets that are missing; point existing HTTP ones at the site.

    Returns a line per target saying what was done, and the targets changed.
    """
    existing = await list_targets(session, base_url, token, entry_id)
    report = []
    updated = []
    for spec in specs:
        subentry_id = existing.get(spec.name.casefold())
        if subentry_id is None:
            outcome = await target_flow(session, base_url, token, entry_id, spec)
        elif spec.kind == "http":  # the site's port changes from run to run
            outcome = await target_flow(
                session, base_url, token, entry_id, spec, subentry_id
            )
            if outcome == "updated":
                outcome = "URL updated"
                updated.append(spec)
        else:
            outcome = "exists"
        detail = spec.fields.get("url") or spec.fields.get("entity_id") or ""
        say(f"target {spec.name!r} ({spec.kind}): {outcome}")
        report.append(
            f"{spec.name} ({spec.kind}{', ' + detail if detail else ''}): {outcome}"
        )
    return report, updated


async def check_now(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    specs: list[TargetSpec],
) -> None:
    """Check these targets at once (pialert.check_now) and say how they are.

    A changed target starts over as "not checked yet" and would otherwise wait
    for its next scheduled check.
    """
    response = await call_service(
        session,
        base_url,
        token,
        "check_now",
        {"entity_id": [spec.status_entity for spec in specs]},
        response=True,
    )
    results = response.get("results") or {}
    say(
        "checked now: "
        + ", ".join(
            f"{name} {result.get('status')}" for name, result in sorted(results.items())
        )
    )


async def wait_for_entities(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    specs: list[TargetSpec],
) -> dict[str, dict[str, Any]]:
    """Wait until every target's status sensor exists; return the states."""
    deadline = time.monotonic() + ENTITY_TIMEOUT
    while True:
        states = await read_states(session, base_url, token)
        missing = [s.status_entity for s in specs if s.status_entity not in states]
        if not missing:
            return states
        if time.monotonic() > deadline:
            raise DemoError(f"these entities did not appear: {', '.join(missing)}")
        await asyncio.sleep(0.5)
