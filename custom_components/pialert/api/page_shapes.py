"""The JSON bodies of status pages, typed once (their OpenAPI schemas derive from them)."""

from __future__ import annotations

from typing import Annotated, Final, TypedDict

from ..engine.page_incidents import IncidentStatus
from ..engine.page_view import PublicState
from .shapes import Schema, Timestamp, described, one_of_values

type PageState = Annotated[str, one_of_values(PublicState)]
type Percent = Annotated[float | None, Schema.of(minimum=0, maximum=100)]

PageUptimeBody = TypedDict(
    "PageUptimeBody",
    {"24h": Percent, "7d": Percent, "30d": Percent, "90d": Percent},
)


class PageDayBody(TypedDict):
    """One day's bar (Home Assistant's local days, oldest first)."""

    date: Annotated[str, Schema.of(format="date")]
    uptime: Percent
    state: Annotated[
        str,
        Schema.of(enum=["operational", "degraded", "outage", "no_data"]),
        described("operational ≥ 99.9 %, degraded ≥ 95 %, outage below."),
    ]


class _PageTargetName(TypedDict):
    id: str
    name: str
    state: PageState


class PageTargetBody(_PageTargetName, total=False):
    """A target as the page publishes it: only what the page chose to show."""

    uptime: Annotated[PageUptimeBody, described("If the page shows uptime.")]
    days: Annotated[list[PageDayBody], described("90 days, if the page shows uptime.")]
    response_time_ms: Annotated[
        int | None, described("If the page shows response times.")
    ]
    address: Annotated[str | None, described("URL or host, if the page shows details.")]
    error: Annotated[str | None, described("Last error, if the page shows details.")]


class PageGroupBody(TypedDict):
    """A heading of the page and its targets."""

    name: str
    state: PageState
    targets: list[PageTargetBody]


class PageIncidentUpdateBody(TypedDict):
    """One message of a published incident."""

    status: Annotated[str, one_of_values(IncidentStatus)]
    message: str
    at: Timestamp


class PageIncidentBody(TypedDict):
    """An incident published on a page, its updates newest first."""

    id: str
    status: Annotated[str, one_of_values(IncidentStatus)]
    started_at: Timestamp
    updated_at: Timestamp
    updates: list[PageIncidentUpdateBody]


class StatusPageBody(TypedDict):
    """A status page: overall state, groups, day bars and incidents."""

    id: str
    title: str
    slug: str
    state: PageState
    updated_at: Timestamp
    groups: list[PageGroupBody]
    active_incidents: list[PageIncidentBody]
    incident_history: Annotated[
        list[PageIncidentBody], described("Resolved in the last 14 days.")
    ]


PAGE_BODIES: Final[tuple[type, ...]] = (StatusPageBody, PageIncidentBody)
