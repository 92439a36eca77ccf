"""The demo's incident workflow: the broken service's incident gets a root cause."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from . import DemoError, say
from .client import call_service, read_states
from .targets import TargetSpec

BROKEN_TARGET = "Broken service"
DOWN_TIMEOUT = 45.0  # two failed checks, 10 s apart, with time to spare
ROOT_CAUSE = "Upstream answers 503 (the demo site's /broken)"
ACTION = "Left as is: it shows what an outage looks like"


async def record_root_cause(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    specs: list[TargetSpec],
) -> list[str]:
    """Give the broken service's incident a root cause and an action.

    The demo is fresh or restarted: the service may need a few checks to be
    down. A root cause already recorded (a restart) is kept.
    """
    spec = next(s for s in specs if s.name == BROKEN_TARGET)
    deadline = time.monotonic() + DOWN_TIMEOUT
    while True:
        states = await read_states(session, base_url, token)
        state = states.get(spec.status_entity, {}).get("state")
        if state in ("down", "acknowledged"):
            break
        if time.monotonic() > deadline:
            say(f"{BROKEN_TARGET} is {state!r}: no incident to annotate yet")
            return []
        await asyncio.sleep(2.0)
    target = {"targets": {"entity_id": spec.status_entity}}
    try:
        incident: dict[str, Any] = await call_service(
            session,
            base_url,
            token,
            "update_incident",
            {**target, "root_cause": ROOT_CAUSE, "action_taken": ACTION},
            response=True,
        )
    except DemoError as err:
        if "changes nothing" not in str(err):
            raise
        say(f"the incident of {BROKEN_TARGET!r} already has its root cause")
        return [f"Incident:  {BROKEN_TARGET} — root cause {ROOT_CAUSE!r} (kept)"]
    shown = {
        key: incident.get(key)
        for key in ("id", "root_cause", "root_cause_set_by", "action_taken")
    }
    say(f"incident of {BROKEN_TARGET!r}: {json.dumps(shown)}")
    return [
        f"Incident:  {BROKEN_TARGET} — root cause {incident.get('root_cause')!r},"
        f" action {incident.get('action_taken')!r}"
        f" (by {incident.get('root_cause_set_by')});"
        " GET /api/pialert/v1/incidents lists it, ?format=csv too",
    ]
