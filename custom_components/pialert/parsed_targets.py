"""Targets parsed from the hub's subentries, reused while a subentry is unchanged.

Home Assistant gives a changed subentry a new data mapping: an unchanged one
keeps its mapping, so its parsed (frozen) Target is reused. Importing 1,000
targets into a hub of 1,000 then parses 1,000, not 2,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentry

from .const import SUBENTRY_TYPE_TARGET
from .engine.config import target_from_data
from .engine.models import Target


class ParsedTargets:
    """Parse target subentries, keeping each Target while its data is the same."""

    def __init__(self) -> None:
        """Start with nothing parsed."""
        self._parsed: dict[str, tuple[Mapping[str, Any], Target]] = {}

    def targets(self, subentries: Iterable[ConfigSubentry]) -> list[Target]:
        """Return the targets of these subentries (others are skipped)."""
        parsed: dict[str, tuple[Mapping[str, Any], Target]] = {}
        for subentry in subentries:
            if subentry.subentry_type != SUBENTRY_TYPE_TARGET:
                continue
            known = self._parsed.get(subentry.subentry_id)
            if known is None or known[0] is not subentry.data:
                known = (
                    subentry.data,
                    target_from_data(subentry.subentry_id, subentry.data),
                )
            parsed[subentry.subentry_id] = known
        self._parsed = parsed
        return [target for _, target in parsed.values()]
