"""Outbound webhooks: the reference payload, its signature, and the outbox.

The payload follows the reference monitoring API: ``event`` (monitor.down,
monitor.up, incident.resolved), ``timestamp``, ``monitor`` and ``incident``.
The body is fixed when the delivery is queued, so a retry sends the very
same bytes, and ``X-PiAlert-Delivery`` lets a receiver drop a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import hashlib
import hmac
import json
import random
from typing import Any, Final
import zlib

SIGNATURE_HEADER: Final = "X-PiAlert-Signature"
DELIVERY_HEADER: Final = "X-PiAlert-Delivery"
EVENT_HEADER: Final = "X-PiAlert-Event"
MAX_ATTEMPTS: Final = 10
BASE_DELAY: Final = 2.0
MAX_DELAY: Final = 600.0
# A pending delivery older than this is given up (and listed as failed).
MAX_AGE_SECONDS: Final = 86400.0

# What kinds are called in the reference's ``type`` words.
MONITOR_TYPES: Final = {"http": "website", "ping": "ping", "tcp": "port"}


def payload(
    event: str,
    timestamp: str,
    monitor: Mapping[str, Any],
    incident: Mapping[str, Any] | None,
) -> bytes:
    """Return the JSON body of one webhook event, compact and key-ordered."""
    body: dict[str, Any] = {"event": event, "timestamp": timestamp, "monitor": monitor}
    if incident is not None:
        body["incident"] = incident
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    """Return the signature header's value: ``sha256=`` + HMAC-SHA256 hex."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """Return whether ``header`` signs ``body`` with ``secret`` (constant time)."""
    return hmac.compare_digest(signature(secret, body), header)


def backoff(
    attempts: int, rng: random.Random | None = None, limit: float = MAX_DELAY
) -> float:
    """Return seconds before the next try: exponential, with full jitter.

    Jitter spreads the retries of many deliveries that failed together.
    """
    ceiling = min(limit, BASE_DELAY * 2 ** max(0, attempts - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


@dataclass(slots=True)
class Delivery:
    """One webhook call waiting to succeed.

    The body is kept compressed: thousands may wait while a receiver is down.
    """

    id: str
    webhook: str
    """``rule_id:step``: where the URL and secret are (never saved here)."""
    rule_id: str
    event: str
    packed: bytes
    created: float
    due: float
    attempts: int = 0

    @classmethod
    def new(
        cls,
        delivery_id: str,
        webhook: str,
        rule_id: str,
        event: str,
        body: bytes,
        now: float,
    ) -> Delivery:
        """Return a delivery due ``now``."""
        return cls(delivery_id, webhook, rule_id, event, zlib.compress(body), now, now)

    @property
    def body(self) -> bytes:
        """Return the body as sent."""
        return zlib.decompress(self.packed)

    @property
    def monitor_name(self) -> str | None:
        """Return the name of the target the body is about (None for a test)."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        monitor = data.get("monitor") if isinstance(data, dict) else None
        name = monitor.get("name") if isinstance(monitor, dict) else None
        return name if isinstance(name, str) else None

    def as_saved(self) -> dict[str, Any]:
        """Return the delivery as saved in the outbox file."""
        return {
            "id": self.id,
            "webhook": self.webhook,
            "rule_id": self.rule_id,
            "event": self.event,
            "body": self.body.decode(),
            "created": self.created,
            "due": self.due,
            "attempts": self.attempts,
        }


def restore(saved: Iterable[Any]) -> tuple[list[Delivery], int]:
    """Return the deliveries of a saved outbox and how many entries were bad."""
    good: list[Delivery] = []
    bad = 0
    for item in saved:
        try:
            good.append(
                Delivery(
                    id=_text(item["id"]),
                    webhook=_text(item["webhook"]),
                    rule_id=_text(item["rule_id"]),
                    event=_text(item["event"]),
                    packed=zlib.compress(_text(item["body"]).encode()),
                    created=_number(item["created"]),
                    due=_number(item["due"]),
                    attempts=int(_number(item["attempts"])),
                )
            )
        except (KeyError, TypeError, ValueError):
            bad += 1
    return good, bad


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)
