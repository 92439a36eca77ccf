"""``/api/pialert/v1/silences``: list, create and end silences.

The same rules as the ``pialert.silence`` service: say what to silence
(targets, tags or all), give an end or a duration, at most 365 days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
import math
from typing import TYPE_CHECKING, Any, Final
import uuid

from aiohttp import web

from ..engine.alerting import MonitorError
from ..engine.config import normalize_tags
from ..engine.models import Silence, SilenceState, Target
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .dates import parse_moment
from .keys import ApiKey, Scope
from .targets import (
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    acted_by,
    bad_request,
    check_query,
    choice_param,
    iso,
    monitor_error_detail,
    read_json_object,
    reject_unknown_fields,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..coordinator import PiAlertCoordinator

MAX_SILENCE: Final = timedelta(days=365)
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
) -> dict[str, Any]:
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


async def _new_silence(
    coordinator: PiAlertCoordinator, body: Mapping[str, Any], key: ApiKey
) -> Silence:
    """Build the silence a creation body asks for, or refuse it."""
    hass = coordinator.hass
    reject_unknown_fields(body, SILENCE_FIELDS)
    targets = coordinator.monitor.targets
    target_ids = set(_string_list(body, "target_ids", 200))
    raw_tags = _string_list(body, "tags", MAX_TAG_LENGTH)
    if len(raw_tags) > MAX_TAGS:
        raise bad_request(f"Invalid field 'tags': at most {MAX_TAGS} tags")
    tags = set(normalize_tags(raw_tags))
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
    if everything and (target_ids or tags):
        raise bad_request(
            await monitor_error_detail(hass, MonitorError("all_with_targets"))
        )
    if not everything and not target_ids and not tags:
        raise bad_request(
            await monitor_error_detail(hass, MonitorError("silence_needs_scope"))
        )
    if unknown := sorted(target_ids - targets.keys()):
        raise bad_request(
            await monitor_error_detail(
                hass, MonitorError("unknown_target", target=", ".join(unknown))
            )
        )
    known_tags = {tag for t in targets.values() for tag in t.tags}
    if unknown := sorted(tags - known_tags):
        raise bad_request(
            await monitor_error_detail(
                hass, MonitorError("unknown_tag", tag=", ".join(unknown))
            )
        )

    now = coordinator.now()
    starts_at = _timestamp(body, "starts_at") or now
    ends_at = _timestamp(body, "ends_at")
    duration = body.get("duration_seconds")
    if ends_at is not None and duration is not None:
        raise bad_request("Give either ends_at or duration_seconds, not both")
    if duration is not None:
        if (
            isinstance(duration, bool)
            or not isinstance(duration, int | float)
            or not math.isfinite(duration)
            or duration <= 0
        ):
            raise bad_request(
                "Invalid field 'duration_seconds': expected a number of seconds above 0"
            )
        if duration > MAX_SILENCE.total_seconds():
            raise bad_request(
                await monitor_error_detail(hass, MonitorError("silence_too_long"))
            )
        try:
            ends_at = max(starts_at, now) + timedelta(seconds=duration)
        except OverflowError:
            raise bad_request("Invalid field 'starts_at': too far away") from None
    if ends_at is None:
        raise bad_request(
            await monitor_error_detail(hass, MonitorError("silence_needs_end"))
        )
    if ends_at - starts_at > MAX_SILENCE:
        raise bad_request(
            await monitor_error_detail(hass, MonitorError("silence_too_long"))
        )
    return Silence(
        id=uuid.uuid4().hex,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=acted_by(key),
        created_at=now,
        comment=comment.strip(),
        target_ids=frozenset(target_ids),
        tags=frozenset(tags),
    )


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
        return json_response(
            {
                "silences": [
                    silence_json(s, targets, now)
                    for s in silences
                    if state is None or s.state(now).value == state
                ]
            }
        )

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a silence."""
        check_query(request, ())
        body = await read_json_object(request)
        silence = await _new_silence(coordinator, body, key)
        monitor = coordinator.monitor
        now = coordinator.now()
        try:
            events = monitor.add_silence(silence, now)
        except MonitorError as err:
            raise bad_request(
                await monitor_error_detail(coordinator.hass, err)
            ) from None
        coordinator.async_apply(events)
        return json_response(
            silence_json(silence, monitor.targets, now), HTTPStatus.CREATED
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
        monitor = coordinator.monitor
        now = coordinator.now()
        try:
            events = monitor.remove_silence(silence_id, acted_by(key), now)
        except MonitorError as err:
            raise ApiError(
                HTTPStatus.NOT_FOUND, await monitor_error_detail(coordinator.hass, err)
            ) from None
        coordinator.async_apply(events)
        return json_response(
            silence_json(monitor.silences[silence_id], monitor.targets, now)
        )
