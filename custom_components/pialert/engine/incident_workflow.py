"""The work people do on an incident: root cause, action taken, notes, dismissal.

Each value records when and by whom it was set (a Home Assistant user or an
API key). Root causes and actions are free text or one of the hub's preset
tags (004's ``preset_tags``); a hub may allow presets only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from .errors import RefusedError
from .saved_values import (
    as_list,
    as_mapping,
    as_req_moment,
    as_str,
    iso_or_none,
)

# Hub options (the presets are edited in the hub's options flow).
CONF_ROOT_CAUSE_PRESETS: Final = "root_cause_presets"
CONF_ACTION_PRESETS: Final = "action_presets"
CONF_ALLOW_CUSTOM_TEXT: Final = "allow_custom_incident_text"

MAX_TEXT: Final = 500
MAX_NOTES: Final = 100
MAX_PRESETS: Final = 50

ROOT_CAUSE: Final = "root_cause"
ACTION_TAKEN: Final = "action_taken"
NOTE: Final = "note"
DISMISSED: Final = "dismissed"
VIEWED: Final = "viewed"
# What one update may change, in the order its changes are applied.
CHANGES: Final = (ROOT_CAUSE, ACTION_TAKEN, NOTE, DISMISSED)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A value someone set on an incident, when and by whom."""

    text: str
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class IncidentWork:
    """What people recorded on an incident; empty until someone does."""

    root_cause: Stamp | None = None
    action_taken: Stamp | None = None
    notes: tuple[Stamp, ...] = ()
    dismissed: Stamp | None = None
    viewed: Stamp | None = None
    """The first time someone opened the incident (004's ``viewed_at``)."""


@dataclass(frozen=True, slots=True)
class Presets:
    """The hub's preset tags (004's ``preset_tags``) and whether others are allowed."""

    root_causes: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    allow_custom: bool = True

    def choose(self, field: str, text: str) -> str:
        """Return ``text`` as a preset's spelling, or as given when custom text is allowed."""
        presets = self.root_causes if field == ROOT_CAUSE else self.actions
        for preset in presets:
            if preset.casefold() == text.casefold():
                return preset
        if not self.allow_custom:
            raise RefusedError(
                "incident_not_a_preset",
                field=field,
                presets=", ".join(presets) or "-",
            )
        return text


def preset_list(value: Any) -> tuple[str, ...]:
    """Return presets from options: trimmed, unique (any case), in their order."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    seen: dict[str, str] = {}
    for item in items:
        text = str(item).strip()[:MAX_TEXT]
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())[:MAX_PRESETS]


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    """A change requested on an incident; fields left None stay as they are.

    An empty root cause or action clears it; ``dismissed`` False reopens.
    """

    root_cause: str | None = None
    action_taken: str | None = None
    note: str | None = None
    dismissed: bool | None = None


def _text(value: str, field: str) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise RefusedError("incident_text_too_long", field=field, max=str(MAX_TEXT))
    return text


def apply_update(
    work: IncidentWork,
    update: IncidentUpdate,
    presets: Presets,
    by: str,
    at: datetime,
) -> tuple[IncidentWork, list[tuple[str, str | None]]]:
    """Return the new work and its changes as (what, new text or None).

    Refuses an update that changes nothing, so a caller learns of a typo
    instead of a silent no-op.
    """
    changes: list[tuple[str, str | None]] = []
    for field in (ROOT_CAUSE, ACTION_TAKEN):
        raw = getattr(update, field)
        if raw is None:
            continue
        text = _text(raw, field)
        if text:
            text = presets.choose(field, text)
        current: Stamp | None = getattr(work, field)
        if (current.text if current else "") == text:
            continue
        stamp = Stamp(text, at, by) if text else None
        work = (
            replace(work, root_cause=stamp)
            if field == ROOT_CAUSE
            else replace(work, action_taken=stamp)
        )
        changes.append((field, text or None))
    if update.note is not None and (text := _text(update.note, NOTE)):
        if len(work.notes) >= MAX_NOTES:
            raise RefusedError("incident_too_many_notes", max=str(MAX_NOTES))
        work = replace(work, notes=(*work.notes, Stamp(text, at, by)))
        changes.append((NOTE, text))
    if update.dismissed is not None and update.dismissed != (
        work.dismissed is not None
    ):
        work = replace(work, dismissed=Stamp("", at, by) if update.dismissed else None)
        changes.append((DISMISSED, "true" if update.dismissed else "false"))
    if not changes:
        raise RefusedError("incident_unchanged")
    return work, changes


def first_view(work: IncidentWork, by: str, at: datetime) -> IncidentWork | None:
    """Return the work with its first view recorded; None if already viewed."""
    if work.viewed is not None:
        return None
    return replace(work, viewed=Stamp("", at, by))


# --- saving ---------------------------------------------------------------------


def _stamp_data(stamp: Stamp | None) -> dict[str, Any] | None:
    if stamp is None:
        return None
    return {"text": stamp.text, "at": iso_or_none(stamp.at), "by": stamp.by}


def dump_work(work: IncidentWork) -> dict[str, Any] | None:
    """Return the work as saved; None when nobody recorded anything."""
    if work == IncidentWork():
        return None
    return {
        ROOT_CAUSE: _stamp_data(work.root_cause),
        ACTION_TAKEN: _stamp_data(work.action_taken),
        "notes": [_stamp_data(n) for n in work.notes],
        DISMISSED: _stamp_data(work.dismissed),
        VIEWED: _stamp_data(work.viewed),
    }


def _stamp(item: Any, where: str) -> Stamp | None:
    if item is None:
        return None
    item = as_mapping(item, where)
    return Stamp(
        text=as_str(item.get("text", ""), f"{where}.text"),
        at=as_req_moment(item.get("at"), f"{where}.at"),
        by=as_str(item.get("by", ""), f"{where}.by"),
    )


def parse_work(item: Any, where: str) -> IncidentWork:
    """Return saved work; absent (files saved before it existed) means none."""
    if item is None:
        return IncidentWork()
    item = as_mapping(item, where)
    notes: Iterable[Any] = as_list(item.get("notes", []), f"{where}.notes")
    parsed = [_stamp(n, f"{where}.notes[{i}]") for i, n in enumerate(notes)]
    return IncidentWork(
        root_cause=_stamp(item.get(ROOT_CAUSE), f"{where}.{ROOT_CAUSE}"),
        action_taken=_stamp(item.get(ACTION_TAKEN), f"{where}.{ACTION_TAKEN}"),
        notes=tuple(n for n in parsed if n is not None),
        dismissed=_stamp(item.get(DISMISSED), f"{where}.{DISMISSED}"),
        # Absent in files saved before views were recorded.
        viewed=_stamp(item.get(VIEWED), f"{where}.{VIEWED}"),
    )


def presets_from_options(options: Mapping[str, Any]) -> Presets:
    """Return the hub's presets from its options (defaults when absent)."""
    return Presets(
        root_causes=preset_list(options.get(CONF_ROOT_CAUSE_PRESETS)),
        actions=preset_list(options.get(CONF_ACTION_PRESETS)),
        allow_custom=options.get(CONF_ALLOW_CUSTOM_TEXT) is not False,
    )
