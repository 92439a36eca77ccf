"""The demo's Home Assistant-native monitoring: a labelled group, integration
health and an outbound heartbeat.

* The demo's helpers (input_boolean, from configuration.yaml) get the label
  "Demo helpers"; an entity group target watches the label, so turning any
  helper off makes it fail with the helper's name.
* An integration health target watches every config entry.
* The hub's outbound heartbeat pings the demo's own heartbeat URL, the way a
  second home's PiAlert would be pinged.
"""

from __future__ import annotations

import itertools
from typing import Any

import aiohttp

from . import DemoError, say
from .client import expect_ok, request_json
from .failing_entry import ensure_failing_entry
from .targets import TargetSpec, ensure_targets

LABEL_NAME = "Demo helpers"
HELPERS = (
    "input_boolean.demo_server_online",
    "input_boolean.demo_hall_motion",
    "input_boolean.demo_garage_door",
)
GROUP_TARGET = "Demo helpers"
HEALTH_TARGET = "Integrations"
OUTBOUND_MINUTES = 5  # the heartbeat's cron runs every 5 minutes
_IDS = itertools.count(1)


async def ws_commands(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    commands: list[dict[str, Any]],
) -> list[Any]:
    """Send WebSocket API commands in order; return their results."""
    results = []
    async with session.ws_connect(f"{base_url}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": token})
        if (await ws.receive_json()).get("type") != "auth_ok":
            raise DemoError("WebSocket API: authentication failed")
        for command in commands:
            await ws.send_json({"id": next(_IDS), **command})
            message = await ws.receive_json()
            if not message.get("success"):
                raise DemoError(f"{command['type']}: {message.get('error')}")
            results.append(message.get("result"))
    return results


async def label_helpers(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> str:
    """Create the label when missing, put it on the helpers; return its id."""
    (labels,) = await ws_commands(
        session, base_url, token, [{"type": "config/label_registry/list"}]
    )
    label_id = next(
        (lab["label_id"] for lab in labels if lab["name"] == LABEL_NAME), None
    )
    if label_id is None:
        (created,) = await ws_commands(
            session,
            base_url,
            token,
            [{"type": "config/label_registry/create", "name": LABEL_NAME}],
        )
        label_id = created["label_id"]
    entries = await ws_commands(
        session,
        base_url,
        token,
        [{"type": "config/entity_registry/get", "entity_id": e} for e in HELPERS],
    )
    await ws_commands(
        session,
        base_url,
        token,
        [
            {
                "type": "config/entity_registry/update",
                "entity_id": entry["entity_id"],
                "labels": sorted({*entry.get("labels", []), label_id}),
            }
            for entry in entries
        ],
    )
    say(f"label {LABEL_NAME!r} on {', '.join(HELPERS)}")
    return str(label_id)


async def ensure_outbound_heartbeat(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    ping_url: str,
) -> str:
    """Point the hub's outbound heartbeat at ``ping_url`` (reloads the hub if changed)."""
    flows = f"{base_url}/api/config/config_entries/options/flow"
    status, result = await request_json(
        session, "POST", flows, token=token, json_body={"handler": entry_id}
    )
    result = expect_ok("opening the hub options", status, result)
    flow_url = f"{flows}/{result['flow_id']}"
    status, result = await request_json(
        session,
        "POST",
        flow_url,
        token=token,
        json_body={"next_step_id": "outbound_heartbeat"},
    )
    result = expect_ok("choosing the outbound heartbeat", status, result)
    current = {
        field["name"]: (field.get("description") or {}).get("suggested_value")
        for field in result.get("data_schema") or []
    }
    wanted = {
        "outbound_heartbeat_url": ping_url,
        "outbound_heartbeat_minutes": OUTBOUND_MINUTES,
    }
    if current == wanted:
        await request_json(session, "DELETE", flow_url, token=token)
        return "unchanged"
    status, result = await request_json(
        session, "POST", flow_url, token=token, json_body=wanted
    )
    result = expect_ok("saving the outbound heartbeat", status, result)
    if result.get("type") != "create_entry":
        raise DemoError(f"outbound heartbeat refused: {result.get('errors')}")
    return "set"


async def show_house(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    *,
    entry_id: str,
    ping_url: str,
) -> list[str]:
    """Label the helpers, add the group and health targets, start the heartbeat."""
    label_id = await label_helpers(session, base_url, token)
    router = await ensure_failing_entry(session, base_url, token)
    specs = [
        TargetSpec(
            GROUP_TARGET,
            "entity_group",
            {"labels": [label_id], "condition": "equals", "value": "off"},
        ),
        TargetSpec(HEALTH_TARGET, "integration_health", {"failed_for": 0}),
    ]
    report, _ = await ensure_targets(session, base_url, token, entry_id, specs)
    outcome = await ensure_outbound_heartbeat(
        session, base_url, token, entry_id, ping_url
    )
    say(f"outbound heartbeat -> {ping_url}: {outcome}")
    return [
        "House:",
        *(f"  {line}" for line in report),
        f"  Outbound heartbeat every {OUTBOUND_MINUTES} min -> {ping_url} ({outcome})",
        f"  Try: turn off {HELPERS[1]} -> '{GROUP_TARGET}' fails naming it",
        f"  Demo router entry ({router}) fails set-up -> '{HEALTH_TARGET}' is down",
    ]
