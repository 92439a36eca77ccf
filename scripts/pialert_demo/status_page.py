"""The demo's public status page: made through its subentry flow, then fetched."""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import aiohttp

from . import DemoError, say
from .client import expect_ok, request_json
from .targets import list_targets

PAGE_TYPE = "status_page"
PAGE_TITLE = "Demo services"
PAGE_SLUG = "demo"
WEBSITES = ("Demo website", "Demo API", "Broken service", "Flaky service")
JOBS = ("Nightly backup", "Demo server online")


def page_fields(targets: dict[str, str]) -> dict[str, Any]:
    """Return the page form: websites in one group, jobs and devices in another."""

    def ids(names: tuple[str, ...]) -> list[str]:
        return [targets[n.casefold()] for n in names if n.casefold() in targets]

    return {
        "title": PAGE_TITLE,
        "slug": PAGE_SLUG,
        "private": False,
        "show_uptime": True,
        "show_response_time": True,
        "show_details": False,
        "rate_limit": 600,
        "group_1_name": "Websites",
        "group_1_targets": ids(WEBSITES),
        "group_2_name": "Jobs and devices",
        "group_2_targets": ids(JOBS),
    }


async def ensure_status_page(
    session: aiohttp.ClientSession, base_url: str, token: str, entry_id: str
) -> list[str]:
    """Add the public page when missing; fetch it logged out; return summary lines."""
    pages = await list_targets(session, base_url, token, entry_id, PAGE_TYPE)
    if PAGE_TITLE.casefold() in pages:
        say(f"status page {PAGE_TITLE!r}: exists")
    else:
        targets = await list_targets(session, base_url, token, entry_id)
        flows = f"{base_url}/api/config/config_entries/subentries/flow"
        status, result = await request_json(
            session,
            "POST",
            flows,
            token=token,
            json_body={"handler": [entry_id, PAGE_TYPE]},
        )
        result = expect_ok("opening the status page form", status, result)
        status, result = await request_json(
            session,
            "POST",
            f"{flows}/{result.get('flow_id')}",
            token=token,
            json_body=page_fields(targets),
        )
        result = expect_ok("adding the status page", status, result)
        if result.get("type") != "create_entry":
            raise DemoError(f"adding the status page: {result.get('errors', result)}")
        say(f"status page {PAGE_TITLE!r}: added")
        pages = await list_targets(session, base_url, token, entry_id, PAGE_TYPE)
    page_url = f"{base_url}/pialert/status/{PAGE_SLUG}"
    # Changing the hub's options (the outbound heartbeat) reloads the hub; the
    # page answers 503 until it is loaded again.
    for _ in range(60):
        async with session.get(page_url) as response:  # logged out: no token
            status, html = response.status, await response.text()
        if status != HTTPStatus.SERVICE_UNAVAILABLE:
            break
        await asyncio.sleep(0.5)
    if status != HTTPStatus.OK or PAGE_TITLE not in html:
        raise DemoError(f"{page_url} answered {status} without the page")
    status, body = await request_json(
        session, "GET", f"{base_url}/api/pialert/v1/status-pages/{PAGE_SLUG}"
    )
    body = expect_ok("the status page's JSON", status, body)
    first = body["groups"][0]["targets"][0]["id"] if body.get("groups") else None
    badge = f"{base_url}/api/pialert/v1/badges/{first}/status.svg" if first else ""
    say(f"status page {page_url} ({body.get('state')})")
    return [
        f"Status page: {page_url}  (public, no login; JSON: "
        f"{base_url}/api/pialert/v1/status-pages/{PAGE_SLUG})",
        *([f"Badge:     {badge}"] if badge else []),
    ]
