"""Entity targets: a target is down while a Home Assistant entity's state is bad.

Pushed, not polled: each state change of a watched entity is a check. A
condition with ``for_seconds`` must hold that long before the target fails.

A burst (a hub dropping out makes 1,000 watched entities unavailable in one
loop turn) is recorded a slice at a time (sliced_jobs.py), in order, each
change with the time it happened; the hub publishes the burst once it is all
recorded (``pending``), so it is still one snapshot and one grouped message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from itertools import count

from homeassistant.config_entries import ConfigEntry
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
from .sliced_jobs import SlicedJobs

# The longest the loop is held by recording a burst of state changes.
WATCH_SLICE_SECONDS = 0.005


class EntityTargetWatcher:
    """Watches the entities of enabled entity targets and records results."""

    @classmethod
    def sliced(
        cls,
        hass: HomeAssistant,
        entry: ConfigEntry,
        record: Callable[[str, CheckResult], None],
        on_burst_recorded: Callable[[], None],
    ) -> EntityTargetWatcher:
        """Return a watcher recording bursts a slice at a time, then telling."""
        jobs = SlicedJobs(
            hass,
            entry,
            "pialert record entity changes",
            WATCH_SLICE_SECONDS,
            on_burst_recorded,
        )
        return cls(hass, record, jobs)

    def __init__(
        self,
        hass: HomeAssistant,
        record: Callable[[str, CheckResult], None],
        jobs: SlicedJobs | None = None,
    ) -> None:
        """Watch nothing until ``async_sync``; record bursts in ``jobs``' slices."""
        self.hass = hass
        self._record = record
        self._jobs = jobs
        self._numbers = count()
        self._unsub: CALLBACK_TYPE | None = None
        # Targets by watched entity id, and by target id, as last synced.
        self._by_entity_id: dict[str, list[Target]] = {}
        self._by_target_id: dict[str, Target] = {}
        # Conditions waiting to have held for their ``for_seconds``.
        self._hold_timers: dict[str, CALLBACK_TYPE] = {}

    @property
    def pending(self) -> int:
        """Return how many state changes wait to be recorded."""
        return self._jobs.pending if self._jobs is not None else 0

    @callback
    def async_sync(self, targets: Iterable[Target]) -> None:
        """Watch these targets; evaluate new or changed ones at once."""
        if self._jobs is not None:
            self._jobs.run_all()  # changes seen before are checks of these targets
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
        if self._jobs is not None:
            self._jobs.stop()
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
        state, now, jobs = new.state if new else None, dt_util.utcnow(), self._jobs
        for target in self._by_entity_id.get(event.data["entity_id"], []):
            if jobs is None:
                self._evaluate(target, state, now)
            else:
                jobs.add(
                    next(self._numbers), partial(self._evaluate, target, state, now)
                )
        if jobs is not None:
            jobs.run_now()

    @callback
    def _evaluate(
        self, target: Target, state: str | None, now: datetime | None = None
    ) -> None:
        settings = _entity_settings(target)
        error = entity.evaluate(settings, state)
        now = now or dt_util.utcnow()
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
