"""Integration health targets: follow config entries' states as they change.

Home Assistant announces every config entry state change on a dispatcher
signal; failed entries are remembered with the time they failed, and each
integration health target is judged from them (engine/entry_health.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import dt as dt_util

from .engine.entry_health import FAILED_STATES, FailedEntry, health_verdict
from .engine.group_settings import IntegrationHealthSettings
from .engine.models import CheckResult, Target
from .verdicts import VerdictRecorder

# States that end a failure (transitional ones, such as a retry, do not).
SETTLED_STATES = frozenset({ConfigEntryState.LOADED, ConfigEntryState.NOT_LOADED})


def _failure(entry: ConfigEntry, since: datetime) -> FailedEntry:
    return FailedEntry(entry.title, entry.state.value, entry.reason, since)


class IntegrationHealthWatcher:
    """Judges integration health targets from the config entries' states."""

    def __init__(
        self, hass: HomeAssistant, record: Callable[[str, CheckResult], None]
    ) -> None:
        """Watch nothing until ``async_sync``."""
        self.hass = hass
        self._targets: dict[str, IntegrationHealthSettings] = {}
        # Failed entries by entry id, since when (as far as PiAlert saw) and
        # why. A retry (set-up in progress) does not end a failure.
        self._failed: dict[str, FailedEntry] = {}
        self._verdicts = VerdictRecorder(hass, record, self.evaluate)
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def async_sync(self, targets: Iterable[Target]) -> None:
        """Watch these targets; new or changed ones are judged at once."""
        wanted = {
            t.id: t.settings
            for t in targets
            if t.enabled and isinstance(t.settings, IntegrationHealthSettings)
        }
        for target_id, settings in self._targets.items():
            if wanted.get(target_id) != settings:
                self._verdicts.forget(target_id)
        self._targets = wanted
        if not wanted:
            self.async_stop()
            return
        if self._unsub is None:
            now = dt_util.utcnow()
            self._failed = {
                entry.entry_id: _failure(entry, now)
                for entry in self.hass.config_entries.async_entries()
                if entry.state.value in FAILED_STATES
            }
            self._unsub = async_dispatcher_connect(
                self.hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._async_entry_changed
            )
        for target_id in wanted:
            self.evaluate(target_id)

    @callback
    def async_stop(self) -> None:
        """Stop listening and drop every timer."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        self._verdicts.forget_all()
        self._failed.clear()

    @callback
    def evaluate(self, target_id: str) -> None:
        """Judge one target from the entries failed now."""
        settings = self._targets.get(target_id)
        if settings is None:
            return
        now = dt_util.utcnow()
        failed = [
            failure
            for entry in self.hass.config_entries.async_entries()
            if (failure := self._failed.get(entry.entry_id)) is not None
            and entry.disabled_by is None
            and (not settings.integrations or entry.domain in settings.integrations)
        ]
        error, wake_at = health_verdict(failed, settings.failed_for, now)
        self._verdicts.judge(target_id, error, wake_at, now)

    @callback
    def _async_entry_changed(
        self, change: ConfigEntryChange, entry: ConfigEntry
    ) -> None:
        state = entry.state
        if change is ConfigEntryChange.REMOVED or state in SETTLED_STATES:
            if self._failed.pop(entry.entry_id, None) is None:
                return  # was not failed, is not failed
        elif state.value in FAILED_STATES:
            known = self._failed.get(entry.entry_id)
            since = known.since if known else dt_util.utcnow()
            self._failed[entry.entry_id] = _failure(entry, since)
        else:
            return  # in progress: a failure goes on until settled
        for target_id in self._targets:
            self.evaluate(target_id)
