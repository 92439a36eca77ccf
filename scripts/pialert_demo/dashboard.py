"""The demo's "PiAlert" dashboard: PiAlert's card, added over Home Assistant's websocket."""

from __future__ import annotations

from itertools import count
from typing import Any

import aiohttp

from . import DemoError, say

DASHBOARD_PATH = "dashboard-pialert"
DASHBOARD_TITLE = "PiAlert"
CARD_CONFIG: dict[str, Any] = {
    "type": "custom:pialert-card",
    "title": "PiAlert",
    "show": "all",
    "mode": "detailed",
}


class HassSocket:
    """One authenticated websocket connection to Home Assistant."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = count(1)

    @classmethod
    async def connect(
        cls, session: aiohttp.ClientSession, base_url: str, token: str
    ) -> HassSocket:
        """Open the socket and log in with the access token."""
        ws = await session.ws_connect(f"{base_url}/api/websocket")
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": token})
        answer = await ws.receive_json()
        if answer.get("type") != "auth_ok":
            raise DemoError(f"websocket login failed: {answer}")
        return cls(ws)

    async def command(self, message: dict[str, Any]) -> Any:
        """Send one command; return its result or fail with its error."""
        message_id = next(self._ids)
        await self._ws.send_json({**message, "id": message_id})
        while True:
            answer = await self._ws.receive_json()
            if answer.get("id") == message_id and answer.get("type") == "result":
                break
        if not answer.get("success"):
            raise DemoError(f"{message['type']}: {answer.get('error')}")
        return answer.get("result")

    async def close(self) -> None:
        """Close the socket."""
        await self._ws.close()


async def ensure_dashboard(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> str:
    """Create the "PiAlert" dashboard with PiAlert's card (again); return its URL."""
    socket = await HassSocket.connect(session, base_url, token)
    try:
        dashboards = await socket.command({"type": "lovelace/dashboards/list"})
        if not any(d.get("url_path") == DASHBOARD_PATH for d in dashboards):
            await socket.command(
                {
                    "type": "lovelace/dashboards/create",
                    "url_path": DASHBOARD_PATH,
                    "title": DASHBOARD_TITLE,
                    "icon": "mdi:view-dashboard-variant",
                    "show_in_sidebar": True,
                    "require_admin": False,
                    "mode": "storage",
                }
            )
        await socket.command(
            {
                "type": "lovelace/config/save",
                "url_path": DASHBOARD_PATH,
                "config": {
                    "title": DASHBOARD_TITLE,
                    "views": [
                        {
                            "title": "Targets",
                            "path": "targets",
                            "type": "panel",
                            "cards": [CARD_CONFIG],
                        }
                    ],
                },
            }
        )
    finally:
        await socket.close()
    url = f"{base_url}/{DASHBOARD_PATH}/targets"
    say(f"dashboard {DASHBOARD_TITLE!r} with PiAlert's card: {url}")
    return url
