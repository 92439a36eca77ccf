"""How an incident's work (root cause, action, notes, dismissal) is shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine.incident_workflow import Stamp, presets_from_options
from .shapes import IncidentPresetsBody


def stamp_text(stamp: Stamp | None) -> str | None:
    """Return what was set, or None."""
    return stamp.text if stamp is not None else None


def stamp_at(stamp: Stamp | None) -> str | None:
    """Return when it was set, or None."""
    return stamp.at.isoformat() if stamp is not None else None


def stamp_by(stamp: Stamp | None) -> str | None:
    """Return who set it, or None."""
    return stamp.by if stamp is not None else None


def csv_value(value: object) -> object:
    """Return a CSV cell's value: notes one per line, as ``time by: text``."""
    if isinstance(value, list):
        return "\n".join(
            f"{note['at']} {note['by']}: {note['text']}"
            for note in value
            if isinstance(note, Mapping)
        )
    return value


def presets_json(options: Mapping[str, Any]) -> IncidentPresetsBody:
    """Return the hub's preset tags as the API shows them."""
    presets = presets_from_options(options)
    return {
        "root_cause": list(presets.root_causes),
        "action_taken": list(presets.actions),
        "allow_custom": presets.allow_custom,
    }
