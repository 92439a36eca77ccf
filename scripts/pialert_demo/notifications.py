"""The demo's notification rule and the local webhook receiver it calls.

The rule tells a persistent notification (the bell in the sidebar) and a
webhook served here, on 127.0.0.1, with a reminder every minute. The receiver
checks each body's signature and appends what it received to a log file.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp
from aiohttp import web

from custom_components.pialert.engine.notify.webhooks import (
    SIGNATURE_HEADER,
    verify,
)

from . import DemoError, say
from .client import expect_ok, request_json
from .config import DEMO_DIR
from .targets import list_targets

RULE_TYPE = "notification_rule"
RULE_NAME = "Demo notifications"
SECRET = "demo-webhook-secret"
WEBHOOK_LOG = DEMO_DIR / "webhooks.log"


class WebhookReceiver:
    """Receives PiAlert's webhooks for as long as the demo runs."""

    def __init__(self) -> None:
        """Nothing is served yet."""
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; return the hook's URL."""
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/hook"
        return self.url

    @staticmethod
    async def _hook(request: web.Request) -> web.Response:
        body = await request.read()
        signed = verify(SECRET, body, request.headers.get(SIGNATURE_HEADER, ""))
        line = {
            "received": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "signature_valid": signed,
            "headers": {k: v for k, v in request.headers.items() if k.startswith("X-")},
            "body": json.loads(body),
        }
        with WEBHOOK_LOG.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")
        say(
            f"webhook received ({'signed' if signed else 'BAD SIGNATURE'}): {body.decode()}"
        )
        return web.Response(status=200 if signed else 401)


RECEIVER = WebhookReceiver()


def _form(webhook_url: str) -> dict[str, Any]:
    return {
        "name": RULE_NAME,
        "scope": "all",
        "when": ["down", "reminder", "acknowledged", "recovered"],
        "group_wait": 10,
        "reminder_minutes": 1,
        "max_reminders": 5,
        "step_1": {
            "persistent": True,
            "relay": False,
            "webhook_url": webhook_url,
            "webhook_secret": SECRET,
        },
        "step_2": {"persistent": False, "relay": False},
        "step_3": {"persistent": False, "relay": False},
    }


async def ensure_rule(
    session: aiohttp.ClientSession, base_url: str, token: str, entry_id: str
) -> list[str]:
    """Start the receiver, add (or point) the demo rule at it; return summary lines."""
    if not RECEIVER.url:
        await RECEIVER.start()
    existing = await list_targets(session, base_url, token, entry_id, RULE_TYPE)
    flows = f"{base_url}/api/config/config_entries/subentries/flow"
    body: dict[str, Any] = {"handler": [entry_id, RULE_TYPE]}
    if (rule_id := existing.get(RULE_NAME.casefold())) is not None:
        body["subentry_id"] = rule_id
    status, result = await request_json(
        session, "POST", flows, token=token, json_body=body
    )
    result = expect_ok("opening the notification rule form", status, result)
    status, result = await request_json(
        session,
        "POST",
        f"{flows}/{result['flow_id']}",
        token=token,
        json_body=_form(RECEIVER.url),
    )
    result = expect_ok("saving the notification rule", status, result)
    if result.get("type") not in ("create_entry", "abort"):
        raise DemoError(
            f"the notification rule form refused it: {result.get('errors')}"
        )
    say(f"notification rule {RULE_NAME!r}: webhook {RECEIVER.url}")
    return [
        f"Notify:    rule {RULE_NAME!r}: a persistent notification (the bell) and a",
        f"           signed webhook to {RECEIVER.url}, grouped over 10 s,",
        "           reminded every minute; toggle the demo entity to see them.",
        f"           Webhooks received: {WEBHOOK_LOG}",
        f"           Deliveries: {base_url}/api/pialert/v1/deliveries (API key)",
    ]
