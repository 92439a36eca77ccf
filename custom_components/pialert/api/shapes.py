"""The JSON bodies the API answers with, typed once.

The serialisers return these TypedDicts and the OpenAPI component schemas
are generated from them (``openapi_shapes.py``), so a key added to an answer
is in the document too. ``Annotated`` metadata (``Schema``) adds what a
Python type cannot say: a description, a format, an enum, bounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Final, Literal, TypedDict

from ..engine.alert_rules import AlertRule
from ..engine.history import UPTIME_WINDOWS
from ..engine.models import HistoryEventType, SilenceState, Status, TargetKind


@dataclass(frozen=True, slots=True)
class Schema:
    """JSON Schema keywords added to the schema generated from a type."""

    keywords: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, **keywords: Any) -> Schema:
        """Return the keywords as metadata."""
        return cls(keywords)


def described(text: str) -> Schema:
    """Return a description as metadata."""
    return Schema.of(description=text)


def one_of_values(values: Any) -> Schema:
    """Return an enum of an enumeration's values as metadata."""
    return Schema.of(enum=[v.value for v in values])


DATE_TIME: Final = Schema.of(format="date-time")
type Timestamp = Annotated[str, DATE_TIME]
type HeartbeatSignal = Literal["success", "start", "fail", "log"]


class ErrorBody(TypedDict):
    """Every refusal: ``{"detail": ...}``."""

    detail: str


class FailingTargetBody(TypedDict):
    """A target in the alert state."""

    name: str
    status: Annotated[str, Schema.of(enum=[Status.DOWN.value])]
    failures: int
    threshold: int


class AlertStatusBody(TypedDict):
    """The contract's polling answer."""

    alert: bool
    failing_targets: list[FailingTargetBody]
    failing_count: int
    timestamp: Timestamp


class AcknowledgementBody(TypedDict):
    """Who acknowledged a target's alert, when, and why."""

    by: str
    at: Timestamp
    note: str | None


class TargetBody(TypedDict):
    """A target's configuration and state."""

    id: str
    name: str
    kind: Annotated[str, one_of_values(TargetKind)]
    enabled: bool
    interval: int
    timeout: float
    failure_threshold: int
    success_threshold: int
    depends_on: str | None
    tags: list[str]
    min_events: Annotated[
        int | None, described("Failures within time_window_seconds that alert.")
    ]
    time_window_seconds: int | None
    response_time_limit_ms: Annotated[
        int | None, described("A slower answer fails the check (polled kinds).")
    ]
    settings: Annotated[
        dict[str, Any],
        Schema.of(
            description="Kind-specific configuration. A heartbeat's token is "
            "never shown; keys with write scope get its ping_url.",
            properties={"ping_url": {"type": "string"}},
        ),
    ]
    status: Annotated[str, one_of_values(Status)]
    consecutive_failures: int
    last_check: Timestamp | None
    last_success: Timestamp | None
    last_error: str | None
    alert_rule: Annotated[
        str | None,
        Schema.of(
            enum=[*(r.value for r in AlertRule), None],
            description="While down: the rule that put the target down.",
        ),
    ]
    response_time_ms: float | None
    cert_days_remaining: int | None
    uptime: Annotated[
        dict[str, float | None],
        Schema.of(
            description="Successful checks in percent, null when none ran.",
            required=list(UPTIME_WINDOWS),
            properties={
                window: {"type": ["number", "null"], "minimum": 0, "maximum": 100}
                for window in UPTIME_WINDOWS
            },
            additionalProperties=False,
        ),
    ]
    acknowledged: AcknowledgementBody | None
    silenced: bool
    alerting: Annotated[bool, described("Part of the hub's alert state.")]


class PageBody(TypedDict):
    """Paging of a list answer."""

    total: Annotated[int, described("Matches before paging.")]
    limit: int
    offset: int


class TargetListBody(PageBody):
    """A page of targets."""

    targets: list[TargetBody]


class DeletedBody(TypedDict):
    """The id of what was deleted."""

    deleted: str


class SilenceBody(TypedDict):
    """A silence and its state now."""

    id: str
    target_ids: list[str]
    targets: Annotated[list[str], described("Names of the silenced targets.")]
    tags: list[str]
    all: bool
    starts_at: Timestamp
    ends_at: Timestamp
    created_by: str
    created_at: Timestamp | None
    comment: str
    state: Annotated[str, one_of_values(SilenceState)]


class SilenceListBody(TypedDict):
    """Silences, by start."""

    silences: list[SilenceBody]


class HistoryEventBody(TypedDict):
    """One alert history event."""

    id: str
    type: Annotated[str, one_of_values(HistoryEventType)]
    target_id: str | None
    target_name: str | None
    message: str
    at: Timestamp


class HistoryPageBody(PageBody):
    """A page of alert history."""

    history: list[HistoryEventBody]


class CheckBody(TypedDict):
    """One logged check result."""

    checked_at: Annotated[Timestamp, described("When it ran, to the second.")]
    ok: bool
    response_time_ms: float | None
    error: Annotated[str | None, described("Why it failed; null when ok.")]


class CheckPageBody(PageBody):
    """A page of a target's check log, newest first."""

    checks: list[CheckBody]


class IncidentBody(TypedDict):
    """A down period of a target."""

    id: str
    target_id: str
    target_name: str
    started_at: Timestamp
    ended_at: Annotated[Timestamp | None, described("null while ongoing.")]
    duration_seconds: float | None
    failures: int
    first_error: str | None
    last_error: str | None
    acknowledged_at: Timestamp | None
    acknowledged_by: str | None
    acknowledgement_note: str | None
    root_cause: str | None
    root_cause_set_at: Timestamp | None
    root_cause_set_by: str | None
    action_taken: str | None
    acted_at: Timestamp | None
    acted_by: str | None
    notes: Annotated[list[IncidentNoteBody], described("Oldest first.")]
    dismissed_at: Timestamp | None
    dismissed_by: str | None
    viewed_at: Annotated[
        Timestamp | None,
        described("When the incident was first opened (API, dashboard)."),
    ]
    viewed_by: str | None
    output: Annotated[
        str | None,
        described(
            "Heartbeats: the tail (4 KiB) of what the job sent with the failure."
        ),
    ]


class IncidentNoteBody(TypedDict):
    """A note someone added to an incident."""

    text: str
    at: Timestamp
    by: str


class IncidentPresetsBody(TypedDict):
    """The hub's preset tags for root causes and actions (hub options)."""

    root_cause: list[str]
    action_taken: list[str]
    allow_custom: Annotated[
        bool, described("Whether text other than a preset is accepted.")
    ]


class TargetsExportBody(TypedDict):
    """Every target as saved (``format=json``); an import takes it back."""

    version: int
    targets: Annotated[
        list[dict[str, Any]],
        described(
            "Each target's fields as in POST targets, settings flat, depends_on "
            "by name. A heartbeat's token only with secrets=true."
        ),
    ]


class UpdatedTargetBody(TypedDict):
    """A target an import or bulk change updates, and which fields change."""

    name: str
    id: str
    fields: list[str]


class TargetChangesBody(TypedDict):
    """What an import or bulk change did (or, with dry_run, would do)."""

    dry_run: bool
    created: list[str]
    updated: list[UpdatedTargetBody]
    unchanged: list[str]


class IncidentListBody(TypedDict):
    """Incidents overlapping a range, newest first."""

    incidents: list[IncidentBody]
    presets: IncidentPresetsBody


class HeartbeatPingBody(TypedDict):
    """The answer to a heartbeat ping."""

    ok: bool
    target: str
    signal: HeartbeatSignal


# Every answer the API documents, in the document's order.
RESPONSE_BODIES: Final[tuple[type, ...]] = (
    ErrorBody,
    AlertStatusBody,
    TargetBody,
    TargetListBody,
    DeletedBody,
    SilenceBody,
    SilenceListBody,
    HistoryPageBody,
    CheckPageBody,
    IncidentListBody,
    HeartbeatPingBody,
    TargetsExportBody,
    TargetChangesBody,
)
