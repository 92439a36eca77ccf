"""The notification rules' last deliveries, one per message and channel."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
import logging
from typing import Any, Final

from .url_masking import public_channel

_LOGGER = logging.getLogger(__name__)
MAX_RECORDS: Final = 500


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """How one message went to one channel (the API's ``deliveries``)."""

    time: datetime
    rule_id: str
    rule: str
    what: str
    channel: str
    status: str
    targets: tuple[str, ...] = ()
    message: str = ""
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the record as JSON data."""
        return {
            "time": self.time.isoformat(),
            "rule_id": self.rule_id,
            "rule": self.rule,
            "what": self.what,
            "channel": self.channel,
            "status": self.status,
            "targets": list(self.targets),
            "message": self.message,
            "error": self.error,
        }


class DeliveryLog:
    """The last deliveries, newest last (bounded)."""

    def __init__(self) -> None:
        """Start empty."""
        self.records: deque[DeliveryRecord] = deque(maxlen=MAX_RECORDS)

    def add(self, record: DeliveryRecord) -> None:
        """Remember one delivery."""
        self.records.append(record)
        if record.status == "failed":
            _LOGGER.warning(
                "Notification rule %s could not reach %s: %s",
                record.rule,
                public_channel(record.channel),
                record.error,
            )
