"""Integration health targets: config entries that stay failed.

The glue tells this module which entries are failed since when, and why (Home
Assistant's own reason); an entry counts once it has stayed failed for the
target's ``failed_for``. Disabled entries never reach here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

# Entries named in a target's error; the rest are counted.
NAMED_ENTRIES: Final = 10

# What a failed state says when the integration gave no reason.
STATE_TEXTS: Final = {
    "setup_error": "Failed to set up",
    "setup_retry": "Set-up failed, retrying",
    "migration_error": "Migration failed",
    "failed_unload": "Failed to unload",
}
FAILED_STATES: Final = frozenset(STATE_TEXTS)


@dataclass(frozen=True, slots=True)
class FailedEntry:
    """A config entry in a failed state."""

    title: str
    state: str
    reason: str | None
    since: datetime

    @property
    def text(self) -> str:
        """Return "Title: reason", with the state's text when there is no reason."""
        return f"{self.title}: {self.reason or STATE_TEXTS.get(self.state, self.state)}"


def health_verdict(
    failed: Iterable[FailedEntry], failed_for: int, now: datetime
) -> tuple[str | None, datetime | None]:
    """Return (error or None when healthy, when to look again)."""
    held = timedelta(seconds=failed_for)
    counted: list[FailedEntry] = []
    wake_at: datetime | None = None
    for entry in sorted(failed, key=lambda e: e.since):
        if entry.since + held <= now:
            counted.append(entry)
        elif wake_at is None or entry.since + held < wake_at:
            wake_at = entry.since + held
    if not counted:
        return None, wake_at
    error = "; ".join(entry.text for entry in counted[:NAMED_ENTRIES])
    if len(counted) > NAMED_ENTRIES:
        error += f"; and {len(counted) - NAMED_ENTRIES} more"
    return error, wake_at
