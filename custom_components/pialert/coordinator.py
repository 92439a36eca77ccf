"""The hub's coordinator: drives the engine and publishes its snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .api.state import ApiState
from .const import (
    CONF_MAX_CONCURRENT,
    CONF_MAX_EVENTS,
    CONF_RETENTION_DAYS,
    DEFAULT_MAX_CONCURRENT,
    DOMAIN,
    EVENT_PREFIX,
    MAX_TICK_SECONDS,
)
from .engine.alerting import Monitor
from .engine.client_watch import WatchedClient
from .engine.events import Event
from .engine.history import DEFAULT_MAX_EVENTS, DEFAULT_RETENTION_DAYS, History
from .engine.maintenance import next_mute_edge
from .engine.models import POLLED_KINDS, CheckResult, Target, TargetKind
from .engine.probes.heartbeat import Ping
from .engine.runner import CheckRunner
from .engine.schedule import Scheduler
from .engine.state import Snapshot
from .entity_watch import EntityTargetWatcher
from .group_watch import EntityGroupWatcher
from .health_watch import IntegrationHealthWatcher
from .heartbeat_tokens import HeartbeatTokens
from .local_time import local_time_text
from .parsed_targets import ParsedTargets
from .ping_privilege import PingPrivilege
from .probe_calls import ProbeCalls
from .relay import Relay
from .store import PiAlertStore
from .target_listeners import TargetListeners

_LOGGER = logging.getLogger(__name__)

# Expired silences stay listed this long, so users can see what was muted.
KEEP_EXPIRED_SILENCES_SECONDS = 7 * 86400

type PiAlertConfigEntry = ConfigEntry[PiAlertData]


@dataclass(slots=True)
class PiAlertData:
    """What a loaded hub keeps on its config entry (``entry.runtime_data``)."""

    coordinator: PiAlertCoordinator
    api: ApiState
    relay: Relay | None = None


class PiAlertCoordinator(DataUpdateCoordinator[Snapshot]):
    """Runs due checks, folds results into the monitor, publishes snapshots.

    The tick (``_async_update_data``) starts due checks and evaluates the
    time-driven rules; results, heartbeats and entity changes arrive between
    ticks and are published by ``async_publish``.
    """

    config_entry: PiAlertConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: PiAlertConfigEntry, hub_device_id: str
    ) -> None:
        """Create the coordinator for the hub entry and its device."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=1),
            always_update=False,
        )
        options = entry.options
        self.monitor = Monitor(
            History(
                retention_days=int(
                    options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS)
                ),
                max_events=int(options.get(CONF_MAX_EVENTS, DEFAULT_MAX_EVENTS)),
            )
        )
        self.monitor.describe_time = local_time_text
        # Uptime days are the user's days, in Home Assistant's time zone.
        self.monitor.history.days.time_zone = dt_util.get_default_time_zone
        self.store = PiAlertStore(hass, self.monitor)
        self.hub_device_id = hub_device_id
        self.ping = PingPrivilege(hass)
        self.heartbeat_tokens = HeartbeatTokens()
        self.scheduler = Scheduler(
            int(options.get(CONF_MAX_CONCURRENT, DEFAULT_MAX_CONCURRENT))
        )
        self.probe_calls = ProbeCalls(hass, self.ping)
        self.runner = CheckRunner(
            self.scheduler,
            self.probe_calls,
            self.async_record,
            dt_util.utcnow,
            self._spawn_check,
        )
        self.entity_watcher = EntityTargetWatcher.sliced(
            hass, entry, self.async_record, self.async_publish
        )
        self.group_watcher = EntityGroupWatcher(hass, self.async_record)
        self.health_watcher = IntegrationHealthWatcher(hass, self.async_record)
        self._target_listeners = TargetListeners.sliced(hass, entry)
        # Set while a bulk change or import adds many subentries (target_code.py).
        self.hold_target_sync = False
        self._parsed_targets = ParsedTargets()
        self._publish_pending = False

    @staticmethod
    def now() -> datetime:
        """Return the current time (UTC)."""
        return dt_util.utcnow()

    # --- set-up and configuration ------------------------------------------

    def configured_targets(self) -> list[Target]:
        """Return the targets configured as subentries of the hub."""
        return self._parsed_targets.targets(self.config_entry.subentries.values())

    async def _async_setup(self) -> None:
        """Load saved state and start watching."""
        now = dt_util.utcnow()
        targets = self.configured_targets()
        self.monitor.set_targets(targets, now)
        await self.store.async_load_into_monitor()
        # A restored alert goes on without being announced again.
        self.monitor.settle_alert(now)
        # Targets checked before the restart wait for their phase instead of
        # all being checked at once (see Scheduler).
        last_checks = {
            target_id: state.last_check.timestamp()
            for target_id, state in self.monitor.states.items()
            if state.last_check is not None
        }
        await self._async_follow_targets(targets, last_checks=last_checks)
        # The tick runs checks and heartbeat deadlines: keep it scheduled even
        # when no entity listens (the coordinator only reschedules for listeners).
        self.async_add_listener(_keep_ticking)

    async def async_sync_targets(self) -> None:
        """Apply added, changed and removed target subentries without a reload."""
        targets = self.configured_targets()
        before = {tid: t.check_config() for tid, t in self.monitor.targets.items()}
        # Removing, pausing or resuming a failing target changes the alert:
        # announce it like any other change (this also saves and publishes).
        # Only users change targets: save at once, like any user action.
        self._handle_events(
            self.monitor.set_targets(targets, dt_util.utcnow()), urgent=True
        )
        await self._async_follow_targets(targets)
        for target in targets:
            if before.get(target.id, target.check_config()) != target.check_config():
                # What is checked changed and its state was reset: check now.
                self.scheduler.run_now(target.id)
        # Checks of new targets are due now: run them without waiting a tick.
        await self.async_refresh()

    async def _async_follow_targets(
        self, targets: list[Target], *, last_checks: Mapping[str, float] | None = None
    ) -> None:
        """Schedule, watch and index the targets the monitor now holds."""
        await self.ping.async_prepare(targets)
        self.scheduler.sync(
            (t for t in targets if _is_polled(t)), last_checks=last_checks
        )
        self.probe_calls.keep_only(targets)
        self.heartbeat_tokens.sync(self.monitor.targets.values())
        self.entity_watcher.async_sync(self.monitor.targets.values())
        self.group_watcher.async_sync(self.monitor.targets.values())
        self.health_watcher.async_sync(self.monitor.targets.values())

    async def async_shutdown(self) -> None:
        """Stop checks and timers, and save."""
        await super().async_shutdown()
        self._target_listeners.stop()
        self.entity_watcher.async_stop()
        self.group_watcher.async_stop()
        self.health_watcher.async_stop()
        await self.runner.async_stop()
        # Nothing is written over a file that failed to load (see safe_store).
        await self.store.async_close()

    # --- the tick ----------------------------------------------------------

    async def _async_update_data(self) -> Snapshot:
        """Start due checks, evaluate time-driven rules, return the snapshot."""
        now = dt_util.utcnow()
        revision = self.monitor.revision
        # Cron heartbeats naming no zone follow Home Assistant's, even changed.
        self.monitor.time_zone = dt_util.get_default_time_zone()
        events = self.monitor.clients.update(self._watched_clients(), now)
        events += self.monitor.tick(now)
        events += self.monitor.check_heartbeats(now)
        self.monitor.prune_silences(now, KEEP_EXPIRED_SILENCES_SECONDS)
        await self.runner.async_start_due(self.monitor.targets)
        self._handle_events(events, changed=self.monitor.revision != revision)
        # The timer is DataUpdateCoordinator's: set its next wake-up each tick.
        self.update_interval = timedelta(seconds=self._seconds_until_next_tick(now))
        if self.entity_watcher.pending and self.data is not None:
            # A burst is still being recorded: it is published whole, once
            # recorded (the same data again leaves the listeners alone).
            return self.data
        return self.monitor.snapshot(now)

    def _watched_clients(self) -> list[WatchedClient]:
        """Return the API clients watched for silence (none before keys load)."""
        data: PiAlertData | None = getattr(self.config_entry, "runtime_data", None)
        return [] if data is None else data.api.keys.watched_clients()

    def _seconds_until_next_tick(self, now: datetime) -> float:
        waits = [MAX_TICK_SECONDS]
        if (due := self.scheduler.seconds_until_next()) is not None:
            waits.append(due)
        if (deadline := self.monitor.next_heartbeat_deadline()) is not None:
            waits.append((deadline - now).total_seconds())
        monitor = self.monitor
        edge = next_mute_edge(monitor.silences.values(), monitor.maintenance, now)
        if edge is not None:
            waits.append((edge - now).total_seconds())
        # Never spin: wake at most once a second. Checks spread over their
        # interval are started together if due within the same second.
        return max(1.0, min(waits))

    def _spawn_check(
        self, check: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        # Tied to the entry: Home Assistant cancels it if the entry unloads.
        return self.config_entry.async_create_background_task(
            self.hass, check, f"{DOMAIN} {name}", eager_start=True
        )

    async def async_check_now(
        self, target_ids: Iterable[str]
    ) -> dict[str, CheckResult]:
        """Check polled targets at once and return their results.

        Heartbeat and entity targets are pushed, not polled: they are
        re-evaluated and report no result of their own.
        """
        polled: list[Target] = []
        for target_id in target_ids:
            target = self.monitor.targets[target_id]
            if _is_polled(target):
                polled.append(target)
            elif target.kind is TargetKind.ENTITY and target.enabled:
                self.entity_watcher.evaluate(target)
            elif target.kind is TargetKind.ENTITY_GROUP and target.enabled:
                self.group_watcher.evaluate(target.id)
            elif target.kind is TargetKind.INTEGRATION_HEALTH and target.enabled:
                self.health_watcher.evaluate(target.id)
        self._handle_events(self.monitor.check_heartbeats(dt_util.utcnow()))
        return await self.runner.async_check_now(polled)

    # --- results and publishing -------------------------------------------

    @callback
    def async_record(self, target_id: str, result: CheckResult) -> None:
        """Fold a result into the monitor and publish soon."""
        target = self.monitor.targets.get(target_id)
        if target is not None and not target.enabled:
            return  # checked before it was paused: resuming starts over
        self._handle_events(self.monitor.record(target_id, result))

    @callback
    def async_heartbeat(
        self,
        target_id: str,
        signal: str,
        exit_code: int | None = None,
        *,
        rid: str | None = None,
        body: str = "",
    ) -> None:
        """Take a pushed heartbeat ping (``rid``: its run, ``body``: its output)."""
        ping = Ping(signal, dt_util.utcnow(), rid, exit_code, body)
        self._handle_events(self.monitor.heartbeat(target_id, ping))

    @callback
    def async_commit(self, events: list[Event]) -> None:
        """Announce events of a user's change (service, API, button), saved at once.

        Users act rarely, and a crash must not lose what they did.
        """
        self._handle_events(events, urgent=True)

    @callback
    def _handle_events(
        self, events: list[Event], *, changed: bool = True, urgent: bool = False
    ) -> None:
        """Announce events, then save and publish if the state changed.

        Check results are saved debounced; ``urgent`` (a user's action) at once.
        """
        devices = dr.async_get(self.hass)
        for event in events:
            data = dict(event.data)
            if "target_id" in data:
                # Automations act on devices: name the target's device too.
                device = devices.async_get_device_by_identifier(
                    (DOMAIN, str(data["target_id"])), self.config_entry.entry_id
                )
                data["device_id"] = device.id if device else None
            self.hass.bus.async_fire(f"{EVENT_PREFIX}{event.type}", data)
        if not (changed or events):
            return
        self.store.schedule_save(urgent=urgent)
        self.async_publish()

    @callback
    def async_publish(self) -> None:
        """Publish a new snapshot once this loop iteration's results are in."""
        if self._publish_pending:
            return
        self._publish_pending = True
        self.hass.loop.call_soon(self._publish)

    @callback
    def _publish(self) -> None:
        self._publish_pending = False
        if self.entity_watcher.pending:
            return  # a burst is still being recorded: it is published whole
        snapshot = self.monitor.snapshot(dt_util.utcnow())
        if snapshot != self.data:
            # Not async_set_updated_data: that would restart the tick timer,
            # and frequent pushes (heartbeats, entity changes) would starve
            # the polled checks.
            self.data = snapshot
            self.async_update_listeners()

    @callback
    def async_add_target_listener(
        self, target_id: str, update_callback: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call ``update_callback`` when this target's view changes."""
        return self._target_listeners.add(target_id, update_callback)

    @callback
    def async_update_listeners(self) -> None:
        """Notify hub listeners, and target listeners whose view changed."""
        self._target_listeners.notify(self.data, self.last_update_success)
        super().async_update_listeners()

    # --- diagnostics --------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return internal figures for diagnostics."""
        return {
            "ping_privileged": self.ping.privileged,
            "checks_in_flight": len(self.scheduler.in_flight),
            "tick_seconds": self.update_interval.total_seconds()
            if self.update_interval
            else None,
        }


def _is_polled(target: Target) -> bool:
    return target.enabled and target.kind in POLLED_KINDS


@callback
def _keep_ticking() -> None:
    """Listen to nothing: only keeps the coordinator's refresh scheduled."""
