"""Heartbeat targets by the token of their ping URL."""

from __future__ import annotations

from collections.abc import Iterable

from .engine.models import Target
from .engine.settings import HeartbeatSettings


class HeartbeatTokens:
    """Finds the heartbeat target of a ping by its token, without a scan."""

    def __init__(self) -> None:
        """Know no token until ``sync``."""
        self._targets: dict[str, Target] = {}

    def sync(self, targets: Iterable[Target]) -> None:
        """Index the heartbeat targets among ``targets`` (paused ones too)."""
        self._targets = {
            t.settings.token: t
            for t in targets
            if isinstance(t.settings, HeartbeatSettings)
        }

    def target(self, token: str) -> Target | None:
        """Return the heartbeat target with this token."""
        return self._targets.get(token)

    def tokens(self) -> set[str]:
        """Return every heartbeat token."""
        return set(self._targets)
