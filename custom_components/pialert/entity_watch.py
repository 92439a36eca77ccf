"""Entity targets: a target is down while a Home Assistant entity's state is bad.

Pushed, not polled: each state change of a watched entity is a check. A
condition with ``for_seconds`` must hold that long before the target fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers.event import async_call_later, async_track_state_change_event
from homeassistant.util import dt as dt_util

from .engine.models import CheckResult, Target
from .engine.probes import entity
from .engine.settings import EntitySettings


class EntityTargetWatcher:
    """Watches the entities of enabled entity targets and records results."""

    def __init__(
        self, hass: HomeAssistant, record: Callable[[str, CheckResult], None]
    ) -> None:
        """Watch nothing until ``async_sync``."""
        self.hass = hass
        self._record = record
        self._unsub: CALLBACK_TYPE | None = None
        # Targets by watched entity id, and by target id, as last synced.
        self._by_entity_id: dict[str, list[Target]] = {}
        self._by_target_id: dict[str, Target] = {}
        # Conditions waiting to have held for their ``for_seconds``.
        self._hold_timers: dict[str, CALLBACK_TYPE] = {}

    @callback
    def async_sync(self, targets: Iterable[Target]) -> None:
        """Watch these targets; evaluate new or changed ones at once."""
        self._unsubscribe()
        watched: dict[str, list[Target]] = {}
        for target in targets:
            if isinstance(target.settings, EntitySettings) and target.enabled:
                watched.setdefault(target.settings.entity_id, []).append(target)
        previous = self._by_target_id
        self._by_entity_id = watched
        self._by_target_id = {t.id: t for ts in watched.values() for t in ts}
        for target_id in list(self._hold_timers):
            if not _same_check(
                previous.get(target_id), self._by_target_id.get(target_id)
            ):
                self._hold_timers.pop(target_id)()
        if not watched:
            return
        self._unsub = async_track_state_change_event(
            self.hass, list(watched), self._async_state_changed
        )
        for target in self._by_target_id.values():
            if _same_check(previous.get(target.id), target):
                continue  # evaluated already: only state changes are checks
            self.evaluate(target)

    @callback
    def evaluate(self, target: Target) -> None:
        """Check ``target`` against its entity's current state."""
        settings = _entity_settings(target)
        state = self.hass.states.get(settings.entity_id)
        self._evaluate(target, state.state if state else None)

    @callback
    def async_stop(self) -> None:
        """Stop watching and drop waiting conditions."""
        self._unsubscribe()
        for cancel in self._hold_timers.values():
            cancel()
        self._hold_timers.clear()

    def _unsubscribe(self) -> None:
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if old is not None and new is not None and old.state == new.state:
            return  # only attributes changed
        for target in self._by_entity_id.get(event.data["entity_id"], []):
            self._evaluate(target, new.state if new else None)

    @callback
    def _evaluate(self, target: Target, state: str | None) -> None:
        settings = _entity_settings(target)
        error = entity.evaluate(settings, state)
        now = dt_util.utcnow()
        if error is None:
            if cancel := self._hold_timers.pop(target.id, None):
                cancel()
            self._record(target.id, CheckResult(success=True, checked_at=now))
            return
        if not settings.for_seconds:
            self._record(
                target.id, CheckResult(success=False, checked_at=now, error=error)
            )
            return
        if target.id in self._hold_timers:
            return  # already waiting for the condition to hold

        @callback
        def _held(_now: datetime) -> None:
            self._hold_timers.pop(target.id, None)
            current = self.hass.states.get(settings.entity_id)
            still = entity.evaluate(settings, current.state if current else None)
            if still is not None:
                self._record(
                    target.id,
                    CheckResult(
                        success=False,
                        checked_at=dt_util.utcnow(),
                        error=f"{still} for {settings.for_seconds} s",
                    ),
                )

        self._hold_timers[target.id] = async_call_later(
            self.hass, settings.for_seconds, _held
        )


def _entity_settings(target: Target) -> EntitySettings:
    settings = target.settings
    assert isinstance(settings, EntitySettings)  # only entity targets are watched
    return settings


def _same_check(old: Target | None, new: Target | None) -> bool:
    return (
        old is not None and new is not None and old.check_config() == new.check_config()
    )
