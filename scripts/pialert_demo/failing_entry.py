"""A demo integration entry that fails to set up, for the integration health target.

The demo ships a tiny integration (``demo_router/``), linked into the demo's
config dir. Its one entry connects to a closed port on loopback at set-up and
fails with the system's reason; the "Integrations" health target then shows
Home Assistant's own words for it, and ``--check`` verifies that.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import time
from typing import Final

import aiohttp

from . import DemoError, say
from .client import expect_ok, read_states, request_json
from .demo_router import DOMAIN as ROUTER_DOMAIN, HOST, PORT
from .targets import slug

ROUTER_DIR: Final = Path(__file__).parent / "demo_router"
ROUTER_TITLE: Final = "Demo router"
EXPECTED_REASON: Final = (
    f"{ROUTER_TITLE}: Failed to connect to {HOST}:{PORT}: connection refused"
)
VERIFY_TIMEOUT: Final = 60.0


def link_demo_router(config_dir: Path) -> None:
    """Point <config>/custom_components/demo_router at the demo's copy."""
    link = config_dir / "custom_components" / ROUTER_DOMAIN
    link.parent.mkdir(parents=True, exist_ok=True)
    target = os.path.relpath(ROUTER_DIR, link.parent)
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        raise DemoError(f"{link} exists and is not a link: move it away")
    link.symlink_to(target, target_is_directory=True)


async def ensure_failing_entry(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> str:
    """Add the demo router's entry unless it exists; return what happened."""
    flows = f"{base_url}/api/config/config_entries/flow"
    status, result = await request_json(
        session, "POST", flows, token=token, json_body={"handler": ROUTER_DOMAIN}
    )
    result = expect_ok("adding the demo router", status, result)
    kind, reason = result.get("type"), result.get("reason")
    if kind == "create_entry":
        outcome = "added"
    elif kind == "abort" and reason == "already_configured":
        outcome = "already there"
    else:
        raise DemoError(f"the demo router's config flow ended unexpectedly: {result}")
    say(f"{ROUTER_TITLE} entry ({HOST}:{PORT}, nothing listens there): {outcome}")
    return outcome


async def verify_health_reason(
    session: aiohttp.ClientSession, base_url: str, token: str, health_target: str
) -> str:
    """Wait until the health target is down with the router's reason."""
    entity = f"sensor.{slug(health_target)}_status"
    deadline = time.monotonic() + VERIFY_TIMEOUT
    while True:
        state = (await read_states(session, base_url, token)).get(entity) or {}
        error = (state.get("attributes") or {}).get("last_error")
        if state.get("state") == "down" and error == EXPECTED_REASON:
            return f"{entity} = down, last_error {error!r}"
        if time.monotonic() > deadline:
            raise DemoError(
                f"after {VERIFY_TIMEOUT:.0f} s {entity} is {state.get('state')!r} "
                f"with last_error {error!r}, not down with {EXPECTED_REASON!r}"
            )
        await asyncio.sleep(2.0)
