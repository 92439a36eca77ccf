"""What PiAlert checks, what a check returns, and what it remembers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .any_settings import AnySettings
from .incident_workflow import IncidentWork


class TargetKind(StrEnum):
    """How a target is checked."""

    HTTP = "http"
    TCP = "tcp"
    PING = "ping"
    DNS = "dns"
    HEARTBEAT = "heartbeat"
    ENTITY = "entity"
    ENTITY_GROUP = "entity_group"
    INTEGRATION_HEALTH = "integration_health"


POLLED_KINDS = frozenset(
    {TargetKind.HTTP, TargetKind.TCP, TargetKind.PING, TargetKind.DNS}
)


class Status(StrEnum):
    """A target's status as users see it."""

    UNKNOWN = "unknown"
    UP = "up"
    PENDING = "pending"
    DOWN = "down"
    PAUSED = "paused"
    UNREACHABLE = "unreachable"


DEFAULT_INTERVAL = 60
MIN_INTERVAL = 10
MAX_INTERVAL = 86400
DEFAULT_TIMEOUT = 10
DEFAULT_FAILURE_THRESHOLD = 3
MAX_THRESHOLD = 100
DEFAULT_SUCCESS_THRESHOLD = 1


@dataclass(frozen=True, slots=True)
class Target:
    """A thing to watch, as configured (one config subentry)."""

    id: str
    name: str
    kind: TargetKind
    # The kind's settings, parsed once; ``saved_settings`` keeps them as saved
    # (what the API and diagnostics show).
    settings: AnySettings
    saved_settings: Mapping[str, Any] = field(default_factory=dict)
    interval: int = DEFAULT_INTERVAL
    timeout: float = DEFAULT_TIMEOUT
    failure_threshold: int = DEFAULT_FAILURE_THRESHOLD
    success_threshold: int = DEFAULT_SUCCESS_THRESHOLD
    enabled: bool = True
    depends_on: str | None = None
    tags: tuple[str, ...] = ()
    # Failures within a window (engine/alert_rules.py), besides the threshold.
    time_window_seconds: int | None = None
    min_events: int | None = None
    # Polled kinds: a slower answer is a failure ("slow: 2,340 ms > 1,000 ms").
    response_time_limit_ms: int | None = None

    def settings_as[S: AnySettings](self, settings_type: type[S]) -> S:
        """Return the settings, which a caller knows to be ``settings_type``."""
        if not isinstance(self.settings, settings_type):
            raise TypeError(f"a {self.kind} target has no {settings_type.__name__}")
        return self.settings

    def check_config(self) -> tuple[Any, ...]:
        """Return what decides how checks run: a change resets the counters."""
        return (self.kind, self.settings)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check."""

    success: bool
    checked_at: datetime
    error: str | None = None
    response_time_ms: float | None = None
    cert_days_remaining: int | None = None
    # What a heartbeat job sent with the ping (its output's tail), if anything.
    output: str | None = None


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """Someone has seen an alert and is on it."""

    by: str
    at: datetime
    note: str | None = None


class SilenceState(StrEnum):
    """Where a silence is in its lifetime."""

    # Not yet started. The API's value is "pending" (the contract's word);
    # the name keeps it apart from a target's pending status.
    SCHEDULED = "pending"
    ACTIVE = "active"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Silence:
    """Mute alerts of some targets for a while (Alertmanager's model)."""

    id: str
    starts_at: datetime
    ends_at: datetime
    created_by: str
    comment: str = ""
    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    created_at: datetime | None = None

    @property
    def matches_all(self) -> bool:
        """Return whether this silence mutes every target."""
        return not self.target_ids and not self.tags

    def state(self, now: datetime) -> SilenceState:
        """Return the silence's state at ``now``."""
        if now < self.starts_at:
            return SilenceState.SCHEDULED
        if now >= self.ends_at:
            return SilenceState.EXPIRED
        return SilenceState.ACTIVE

    def matches(self, target: Target) -> bool:
        """Return whether this silence covers ``target``."""
        if self.matches_all:
            return True
        return target.id in self.target_ids or not self.tags.isdisjoint(target.tags)


@dataclass(slots=True)
class Incident:
    """One down period of a target."""

    id: str
    target_id: str
    target_name: str
    started_at: datetime
    first_error: str | None
    failures: int
    last_error: str | None = None
    ended_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    acknowledgement_note: str | None = None
    # Root cause, action taken, notes, dismissal (engine/incident_workflow.py).
    work: IncidentWork = field(default_factory=IncidentWork)
    # A heartbeat job's output (tail) sent with the failure that opened it.
    output: str | None = None

    @property
    def duration_seconds(self) -> float | None:
        """Return how long the incident lasted, if it has ended."""
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


class HistoryEventType(StrEnum):
    """What a history event records."""

    DOWN = "down"
    UP = "up"
    ACKNOWLEDGED = "acknowledged"
    UNACKNOWLEDGED = "unacknowledged"
    SILENCED = "silenced"
    UNSILENCED = "unsilenced"
    # Configuration changes that restart a target's checks (see changes.py).
    PAUSED = "paused"
    RESUMED = "resumed"
    EDITED = "edited"
    REMOVED = "removed"
    # Someone worked on an incident: root cause, action, note, dismissal.
    INCIDENT_UPDATED = "incident_updated"


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """A line of alert history."""

    id: str
    type: HistoryEventType
    at: datetime
    target_id: str | None
    target_name: str | None
    message: str
