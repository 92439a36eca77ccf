"""The rules of silences, whoever asks (services, the API): scope, times, length."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import uuid

from .errors import RefusedError
from .models import Silence, SilenceState, Target

MAX_SILENCE = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class SilenceRequest:
    """What someone asks to silence, before the rules are applied."""

    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    everything: bool = False
    starts_at: datetime | None = None
    """Aware; None starts now."""
    ends_at: datetime | None = None
    duration: timedelta | None = None
    comment: str = ""


def refuse_unknown_targets(target_ids: Iterable[str], known: Collection[str]) -> None:
    """Refuse ids that name no configured target."""
    if unknown := sorted(set(target_ids) - set(known)):
        raise RefusedError("unknown_target", target=", ".join(unknown))


def refuse_bad_scope(
    everything: bool,
    target_ids: frozenset[str],
    tags: frozenset[str],
    targets: Mapping[str, Target],
) -> None:
    """Refuse a scope that is empty, mixed with ``all`` or names unknown things."""
    if everything and (target_ids or tags):
        raise RefusedError("all_with_targets")
    if not (everything or target_ids or tags):
        raise RefusedError("silence_needs_scope")
    refuse_unknown_targets(target_ids, targets.keys())
    known_tags = {tag for target in targets.values() for tag in target.tags}
    if unknown := sorted(tags - known_tags):
        raise RefusedError("unknown_tag", tag=", ".join(unknown))


def _ends_at(request: SilenceRequest, starts_at: datetime, now: datetime) -> datetime:
    if request.duration is not None and request.ends_at is not None:
        raise RefusedError("duration_and_end")
    if request.duration is not None:
        if request.duration > MAX_SILENCE:
            raise RefusedError("silence_too_long")
        try:
            # A silence starting in the past lasts its duration from now.
            return max(starts_at, now) + request.duration
        except OverflowError:
            raise RefusedError("invalid_time", field="starts_at") from None
    if request.ends_at is None:
        raise RefusedError("silence_needs_end")
    return request.ends_at


def plan_silence(
    request: SilenceRequest,
    targets: Mapping[str, Target],
    created_by: str,
    now: datetime,
) -> Silence:
    """Return the silence ``request`` describes, or raise RefusedError."""
    refuse_bad_scope(request.everything, request.target_ids, request.tags, targets)
    starts_at = request.starts_at or now
    ends_at = _ends_at(request, starts_at, now)
    if ends_at - starts_at > MAX_SILENCE:
        raise RefusedError("silence_too_long")
    return Silence(
        id=uuid.uuid4().hex,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=created_by,
        created_at=now,
        comment=request.comment.strip(),
        target_ids=request.target_ids,
        tags=request.tags,
    )


def refuse_bad_times(silence: Silence, now: datetime) -> None:
    """Refuse a silence that is over already or ends before it starts."""
    # An end in the past is the clearer message, even if it is also
    # before the (default: now) start.
    if silence.ends_at <= now:
        raise RefusedError("silence_in_past")
    if silence.ends_at <= silence.starts_at:
        raise RefusedError("silence_ends_before_start")


@dataclass(frozen=True, slots=True)
class UnsilenceRequest:
    """Which silences someone asks to end: by id, target, tag, or all."""

    silence_id: str | None = None
    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    everything: bool = False


def silences_to_end(
    silences: Iterable[Silence], request: UnsilenceRequest, now: datetime
) -> list[Silence]:
    """Return the live silences ``request`` names, or refuse it."""
    if not (
        request.everything or request.target_ids or request.tags or request.silence_id
    ):
        raise RefusedError("unsilence_needs_scope")
    chosen = [
        s
        for s in silences
        if s.ends_at > now
        and (
            request.everything
            or s.id == request.silence_id
            or (request.target_ids & s.target_ids)
            or (request.tags & s.tags)
        )
    ]
    if not chosen:
        raise RefusedError("no_matching_silence")
    return chosen


def ended(silence: Silence, now: datetime) -> Silence:
    """Return ``silence`` ended at ``now`` (kept, so it stays visible as history)."""
    return Silence(
        id=silence.id,
        starts_at=min(silence.starts_at, now),
        ends_at=now,
        created_by=silence.created_by,
        comment=silence.comment,
        target_ids=silence.target_ids,
        tags=silence.tags,
        created_at=silence.created_at,
    )


def describe_silence(silence: Silence, targets: Mapping[str, Target]) -> str:
    """Return a short text naming what a silence covers."""
    if silence.matches_all:
        return "of all targets"
    parts = [
        targets[tid].name if tid in targets else tid
        for tid in sorted(silence.target_ids)
    ]
    parts += [f"#{tag}" for tag in sorted(silence.tags)]
    return "of " + ", ".join(parts)


def is_live(silence: Silence | None, now: datetime) -> bool:
    """Return whether a silence exists and has not expired."""
    return silence is not None and silence.state(now) is not SilenceState.EXPIRED
