"""A target's state (mutable, owned by ``Monitor``) and the frozen views readers get."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, auto

from .alert_rules import AlertRule, FailureTimes, window_rule
from .models import Acknowledgement, CheckResult, Silence, Status, Target


class Transition(Enum):
    """What one check result did to a target's down state."""

    NONE = auto()
    WENT_DOWN = auto()
    STILL_DOWN = auto()
    CAME_UP = auto()


@dataclass(slots=True)
class TargetState:
    """What we know about a target (mutable, owned by ``Monitor``)."""

    consecutive_failures: int = 0
    consecutive_successes: int = 0
    is_down: bool = False
    """Past the failure threshold (saved as ``alerting``)."""
    last_check: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    response_time_ms: float | None = None
    cert_days_remaining: int | None = None
    acknowledgement: Acknowledgement | None = None
    incident_id: str | None = None
    alert_rule: AlertRule | None = None
    """The rule that put the target down, while it is down."""
    failure_times: FailureTimes | None = None
    """The last failures' times, for the window rule (None without one)."""

    def fold(self, result: CheckResult, target: Target) -> Transition:
        """Count one check result against the target's thresholds."""
        self.last_check = result.checked_at
        self.response_time_ms = result.response_time_ms
        if result.cert_days_remaining is not None:
            self.cert_days_remaining = result.cert_days_remaining
        if result.success:
            self.consecutive_successes += 1
            self.consecutive_failures = 0
            self.last_success = result.checked_at
            self.last_error = None
            if self.is_down and self.consecutive_successes >= target.success_threshold:
                self.is_down = False
                self.acknowledgement = None
                # A recovery starts the window's count over: no instant relapse.
                self.alert_rule = self.failure_times = None
                return Transition.CAME_UP
            return Transition.NONE
        self.consecutive_failures += 1
        self.consecutive_successes = 0
        self.last_error = result.error or "Check failed"
        in_window = self._window_holds(result, target)
        if self.is_down:
            return Transition.STILL_DOWN
        if self.consecutive_failures >= target.failure_threshold:
            self.alert_rule = AlertRule.CONSECUTIVE_FAILURES
        elif in_window:
            self.alert_rule = AlertRule.FAILURES_IN_WINDOW
        else:
            return Transition.NONE
        self.is_down = True
        return Transition.WENT_DOWN

    def _window_holds(self, result: CheckResult, target: Target) -> bool:
        """Note a failure for the window rule; return whether the rule holds."""
        rule = window_rule(target)
        if rule is None:
            self.failure_times = None
            return False
        if self.failure_times is None:
            self.failure_times = FailureTimes(rule.min_events)
        return self.failure_times.add(result.checked_at.timestamp(), rule)

    def raw_status(self) -> Status:
        """Return the status from this target's own results."""
        if self.is_down:
            return Status.DOWN
        if self.last_check is None:
            return Status.UNKNOWN
        if self.consecutive_failures:
            return Status.PENDING
        return Status.UP

    def view(
        self,
        target: Target,
        *,
        status: Status,
        silenced: bool,
        in_hub_alert: bool,
        uptime_24h: float | None = None,
        uptime_90d: float | None = None,
        uptime_1y: float | None = None,
    ) -> TargetView:
        """Freeze this state, with what the monitor derived, for readers."""
        return TargetView(
            target=target,
            status=status,
            consecutive_failures=self.consecutive_failures,
            consecutive_successes=self.consecutive_successes,
            last_check=self.last_check,
            last_success=self.last_success,
            last_error=self.last_error,
            response_time_ms=self.response_time_ms,
            cert_days_remaining=self.cert_days_remaining,
            acknowledgement=self.acknowledgement,
            silenced=silenced,
            in_hub_alert=in_hub_alert,
            uptime_24h=uptime_24h,
            uptime_90d=uptime_90d,
            uptime_1y=uptime_1y,
            alert_rule=self.alert_rule if self.is_down else None,
        )


@dataclass(frozen=True, slots=True)
class TargetView:
    """A target with its state, frozen for readers."""

    target: Target
    status: Status
    consecutive_failures: int
    consecutive_successes: int
    last_check: datetime | None
    last_success: datetime | None
    last_error: str | None
    response_time_ms: float | None
    cert_days_remaining: int | None
    acknowledgement: Acknowledgement | None
    silenced: bool
    in_hub_alert: bool
    """True when this target is part of the hub's alert (the API's ``alerting``)."""
    uptime_24h: float | None = None
    uptime_90d: float | None = None
    uptime_1y: float | None = None
    alert_rule: AlertRule | None = None
    """The rule that put the target down, while it is down."""


@dataclass(frozen=True, slots=True)
class FailingTarget:
    """An entry of the alert status' ``failing_targets``."""

    name: str
    failures: int
    threshold: int
    status: str = Status.DOWN.value


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything readers need, immutable and comparable."""

    targets: Mapping[str, TargetView] = field(default_factory=dict)
    failing: tuple[FailingTarget, ...] = ()
    silences: tuple[Silence, ...] = ()
    active_silences: int = 0
    # What changed since the previous snapshot, so readers can skip the rest:
    # only views of ``changed`` differ from those of the snapshot taken at
    # revision ``changed_since`` (``changed`` None: any view may differ).
    revision: int = field(default=0, compare=False)
    changed_since: int | None = field(default=None, compare=False)
    changed: frozenset[str] | None = field(default=None, compare=False)

    def changed_from(self, previous: Snapshot) -> Collection[str] | None:
        """Return the ids whose views may differ from ``previous``'s (None: any)."""
        if self.changed_since != previous.revision:
            return None
        return self.changed

    @property
    def alert(self) -> bool:
        """Return whether the hub alerts."""
        return bool(self.failing)
