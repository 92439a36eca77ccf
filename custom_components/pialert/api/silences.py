"""``/api/pialert/v1/silences``: list, create and end silences.

The same rules as the ``pialert.silence`` service: say what to silence
(targets, tags or all), give an end or a duration, at most 365 days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
import math
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from ..commands import HubCommands
from ..engine.config import normalize_tags
from ..engine.errors import RefusedError
from ..engine.models import Silence, SilenceState, Target
from ..engine.silences import MAX_SILENCE, SilenceRequest
from ..refusals import refusal_text
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .dates import parse_moment
from .keys import ApiKey, Scope
from .request import (
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    acted_by,
    bad_request,
    check_query,
    choice_param,
    iso,
    read_json_object,
    reject_unknown_fields,
)
from .shapes import SilenceBody, SilenceListBody

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..coordinator import PiAlertCoordinator

MAX_TARGET_IDS: Final = 10_000
SILENCE_FIELDS: Final = frozenset(
    {
        "target_ids",
        "tags",
        "all",
        "starts_at",
        "ends_at",
        "duration_seconds",
        "comment",
    }
)


def silence_json(
    silence: Silence, targets: Mapping[str, Target], now: datetime
) -> SilenceBody:
    """Return a silence as the API shows it."""
    target_ids = sorted(
        silence.target_ids,
        key=lambda tid: (targets[tid].name.casefold() if tid in targets else tid, tid),
    )
    return {
        "id": silence.id,
        "target_ids": target_ids,
        # Names of targets still configured; a removed target shows its id.
        "targets": [targets[tid].name if tid in targets else tid for tid in target_ids],
        "tags": sorted(silence.tags),
        "all": silence.matches_all,
        "starts_at": silence.starts_at.isoformat(),
        "ends_at": silence.ends_at.isoformat(),
        "created_by": silence.created_by,
        "created_at": iso(silence.created_at),
        "comment": silence.comment,
        "state": silence.state(now).value,
    }


def _string_list(body: Mapping[str, Any], name: str, max_length: int) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or len(value) > MAX_TARGET_IDS
        or not all(isinstance(v, str) and len(v) <= max_length for v in value)
    ):
        raise bad_request(f"Invalid field '{name}': expected a list of strings")
    return value


def _timestamp(body: Mapping[str, Any], name: str) -> datetime | None:
    value = body.get(name)
    return None if value is None else parse_moment(value, name)


def _silence_request(body: Mapping[str, Any]) -> SilenceRequest:
    """Read a creation body; the silence rules are the engine's."""
    reject_unknown_fields(body, SILENCE_FIELDS)
    target_ids = _string_list(body, "target_ids", 200)
    raw_tags = _string_list(body, "tags", MAX_TAG_LENGTH)
    if len(raw_tags) > MAX_TAGS:
        raise bad_request(f"Invalid field 'tags': at most {MAX_TAGS} tags")
    everything = body.get("all", False)
    if not isinstance(everything, bool):
        raise bad_request("Invalid field 'all': expected true or false")
    comment = body.get("comment")
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_NOTE_LENGTH:
        raise bad_request(
            f"Invalid field 'comment': expected a string of at most "
            f"{MAX_NOTE_LENGTH} characters"
        )
    ends_at = _timestamp(body, "ends_at")
    duration = body.get("duration_seconds")
    if ends_at is not None and duration is not None:
        raise bad_request("Give either ends_at or duration_seconds, not both")
    if duration is not None and (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not math.isfinite(duration)
        or duration <= 0
    ):
        raise bad_request(
            "Invalid field 'duration_seconds': expected a number of seconds above 0"
        )
    return SilenceRequest(
        target_ids=frozenset(target_ids),
        tags=frozenset(normalize_tags(raw_tags)),
        everything=everything,
        starts_at=_timestamp(body, "starts_at"),
        ends_at=ends_at,
        # Capped first: a huge number of seconds is no timedelta.
        duration=None
        if duration is None
        else timedelta(seconds=min(duration, MAX_SILENCE.total_seconds() + 1)),
        comment=comment,
    )


def _commands(coordinator: PiAlertCoordinator) -> HubCommands:
    return HubCommands.of(coordinator.config_entry.runtime_data)


class SilencesView(PiAlertView):
    """``/silences``: list and create silences."""

    url = f"{API_PREFIX}/silences"
    name = "api:pialert:silences"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """List silences (ended ones stay listed for a week)."""
        query = check_query(request, ("state",))
        state = choice_param(query, "state", (s.value for s in SilenceState))
        now = coordinator.now()
        targets = coordinator.monitor.targets
        silences = sorted(
            coordinator.monitor.silences.values(), key=lambda s: (s.starts_at, s.id)
        )
        listed: SilenceListBody = {
            "silences": [
                silence_json(s, targets, now)
                for s in silences
                if state is None or s.state(now).value == state
            ]
        }
        return json_response(listed)

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a silence."""
        check_query(request, ())
        wanted = _silence_request(await read_json_object(request))
        try:
            silence = _commands(coordinator).silence(wanted, acted_by(key))
        except RefusedError as err:
            if err.key == "invalid_time":
                raise bad_request("Invalid field 'starts_at': too far away") from None
            raise bad_request(refusal_text(err)) from None
        return json_response(
            silence_json(silence, coordinator.monitor.targets, coordinator.now()),
            HTTPStatus.CREATED,
        )


class SilenceView(PiAlertView):
    """``/silences/{silence_id}``: read or end one silence."""

    url = f"{API_PREFIX}/silences/{{silence_id}}"
    name = "api:pialert:silence"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        silence_id: str,
    ) -> web.Response:
        """Return one silence."""
        check_query(request, ())
        silence = coordinator.monitor.silences.get(silence_id)
        if silence is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"Unknown silence: {silence_id}")
        return json_response(
            silence_json(silence, coordinator.monitor.targets, coordinator.now())
        )

    @api_endpoint(Scope.WRITE)
    async def delete(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        silence_id: str,
    ) -> web.Response:
        """End a silence now; it stays listed as expired."""
        check_query(request, ())
        try:
            silence = _commands(coordinator).end_silence(silence_id, acted_by(key))
        except RefusedError as err:
            raise ApiError(HTTPStatus.NOT_FOUND, refusal_text(err)) from None
        return json_response(
            silence_json(silence, coordinator.monitor.targets, coordinator.now())
        )
