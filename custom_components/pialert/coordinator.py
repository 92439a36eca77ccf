"""The hub's coordinator: drives the engine and publishes its snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.core import (
    CALLBACK_TYPE,
    Event as HassEvent,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later, async_track_state_change_event
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
    ISSUE_PING_NOT_PERMITTED,
    MAX_TICK_SECONDS,
    SUBENTRY_TYPE_TARGET,
)
from .engine.alerting import Event, Monitor, Snapshot
from .engine.config import target_from_data
from .engine.history import DEFAULT_MAX_EVENTS, DEFAULT_RETENTION_DAYS, History
from .engine.models import CheckResult, Target, TargetKind
from .engine.probes import ProbeOutcome, dns, entity, http, ping, tcp
from .engine.schedule import ProbeCall, Scheduler
from .local_time import local_time_text
from .store import PiAlertStore

if TYPE_CHECKING:
    from . import PiAlertConfigEntry
    from .relay import Relay

_LOGGER = logging.getLogger(__name__)

# Due checks started before the event loop gets a turn.
CHECK_START_SLICE = 32

# Expired silences stay listed this long, so users can see what was muted.
KEEP_EXPIRED_SILENCES_SECONDS = 7 * 86400


class PiAlertCoordinator(DataUpdateCoordinator[Snapshot]):
    """Runs due checks, folds results into the monitor, publishes snapshots."""

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
        self.scheduler = Scheduler(
            int(options.get(CONF_MAX_CONCURRENT, DEFAULT_MAX_CONCURRENT))
        )
        self.store = PiAlertStore(hass, self.monitor)
        self.api = ApiState(hass)
        self.ping_privileged: bool | None = None
        self.hub_device_id = hub_device_id
        self.relay: Relay | None = None
        self._ping_detected = False
        self._publish_pending = False
        self._entity_unsub: CALLBACK_TYPE | None = None
        self._entity_timers: dict[str, CALLBACK_TYPE] = {}
        # Entity targets by watched entity id, rebuilt when targets change.
        self._entity_by_entity_id: dict[str, list[Target]] = {}
        self._entity_watched: dict[str, Target] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._event_listeners: list[Callable[[Event], None]] = []
        # Target entities listen to their own target only (see entity.py).
        self._target_listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._notified: tuple[Snapshot | None, bool] = (None, True)

    @staticmethod
    def now() -> datetime:
        """Return the current time (UTC)."""
        return dt_util.utcnow()

    # --- set-up and configuration ------------------------------------------

    def configured_targets(self) -> list[Target]:
        """Return the targets configured as subentries of the hub."""
        return [
            target_from_data(subentry.subentry_id, subentry.data)
            for subentry in self.config_entry.subentries.values()
            if subentry.subentry_type == SUBENTRY_TYPE_TARGET
        ]

    async def _async_setup(self) -> None:
        """Load saved state and start watching."""
        now = dt_util.utcnow()
        targets = self.configured_targets()
        self.monitor.set_targets(targets, now)
        await self.store.async_load_into_monitor()
        # A restored alert goes on without being announced again.
        self.monitor.settle_alert(now)
        await self.api.async_load()
        await self._async_prepare_ping(targets)
        self.scheduler.sync(t for t in targets if self._is_polled(t))
        self._watch_entities()
        # The tick runs checks and heartbeat deadlines: keep it scheduled even
        # when no entity listens (the coordinator only reschedules for listeners).
        self.async_add_listener(_keep_ticking)

    async def async_sync_targets(self) -> None:
        """Apply added, changed and removed target subentries without a reload."""
        targets = self.configured_targets()
        await self._async_prepare_ping(targets)
        before = {tid: t.check_config() for tid, t in self.monitor.targets.items()}
        # Removing, pausing or resuming a failing target changes the alert:
        # announce it like any other change (this also saves and publishes).
        # Only users change targets: save at once, like any user action.
        self._handle_events(
            self.monitor.set_targets(targets, dt_util.utcnow()), urgent=True
        )
        self.scheduler.sync(t for t in targets if self._is_polled(t))
        for target in targets:
            if before.get(target.id, target.check_config()) != target.check_config():
                # What is checked changed and its state was reset: check now.
                self.scheduler.run_now(target.id)
        self._watch_entities()
        # Checks of new targets are due now: run them without waiting a tick.
        await self.async_refresh()

    async def _async_prepare_ping(self, targets: Iterable[Target]) -> None:
        """Decide ICMP privilege once, when the first ping target appears."""
        if self._ping_detected or not any(t.kind is TargetKind.PING for t in targets):
            return
        self._ping_detected = True
        self.ping_privileged = await ping.detect_privilege()
        if self.ping_privileged is None:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                ISSUE_PING_NOT_PERMITTED,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_PING_NOT_PERMITTED,
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, ISSUE_PING_NOT_PERMITTED)

    @staticmethod
    def _is_polled(target: Target) -> bool:
        return target.enabled and target.kind in (
            TargetKind.HTTP,
            TargetKind.TCP,
            TargetKind.PING,
            TargetKind.DNS,
        )

    async def async_shutdown(self) -> None:
        """Stop checks and timers, and save."""
        await super().async_shutdown()
        if self._entity_unsub is not None:
            self._entity_unsub()
            self._entity_unsub = None
        for cancel in self._entity_timers.values():
            cancel()
        self._entity_timers.clear()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        # Nothing is written over a file that failed to load (see safe_store).
        await self.store.async_close()
        await self.api.async_close()

    # --- the tick ----------------------------------------------------------

    async def _async_update_data(self) -> Snapshot:
        """Start due checks, evaluate time-driven rules, return the snapshot."""
        now = dt_util.utcnow()
        revision = self.monitor.revision
        events = self.monitor.tick(now)
        events += self.monitor.check_heartbeats(now)
        self.monitor.prune_silences(now, KEEP_EXPIRED_SILENCES_SECONDS)
        for index, target_id in enumerate(self.scheduler.due(), start=1):
            if index % CHECK_START_SLICE == 0:
                # Each start runs up to the check's first wait: let the loop
                # breathe between slices so thousands of due checks cause no lag.
                await asyncio.sleep(0)
            target = self.monitor.targets[target_id]
            task = self.config_entry.async_create_background_task(
                self.hass,
                self._async_check(target),
                f"{DOMAIN} check {target.name}",
                eager_start=True,
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._handle_events(events, changed=self.monitor.revision != revision)
        self.update_interval = timedelta(seconds=self._seconds_until_next_tick(now))
        return self.monitor.snapshot(now)

    def _seconds_until_next_tick(self, now: datetime) -> float:
        waits = [MAX_TICK_SECONDS]
        if (due := self.scheduler.seconds_until_next()) is not None:
            waits.append(due)
        if (deadline := self.monitor.next_heartbeat_deadline()) is not None:
            waits.append((deadline - now).total_seconds())
        for silence in self.monitor.silences.values():
            for edge in (silence.starts_at, silence.ends_at):
                if edge > now:
                    waits.append((edge - now).total_seconds())
        # Never spin: wake at most once a second.
        return max(1.0, min(waits))

    async def _async_check(self, target: Target) -> None:
        result = await self.scheduler.run(
            target, self._probe_call(target), dt_util.utcnow
        )
        self.async_record(target.id, result)

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
            if self._is_polled(target):
                polled.append(target)
            elif target.kind is TargetKind.ENTITY and target.enabled:
                state = self.hass.states.get(str(target.settings["entity_id"]))
                self._evaluate_entity(target, state.state if state else None)
        self._handle_events(self.monitor.check_heartbeats(dt_util.utcnow()))
        results = await asyncio.gather(
            *(
                self.scheduler.run(t, self._probe_call(t), dt_util.utcnow)
                for t in polled
            )
        )
        for target, result in zip(polled, results, strict=True):
            self.async_record(target.id, result)
        return {t.id: r for t, r in zip(polled, results, strict=True)}

    def _probe_call(self, target: Target) -> ProbeCall:
        settings = target.settings
        match target.kind:
            case TargetKind.HTTP:
                http_settings = http.HttpSettings.from_mapping(settings)
                session = async_get_clientsession(
                    self.hass, verify_ssl=http_settings.verify_ssl
                )
                return lambda: http.probe(http_settings, session, target.timeout)
            case TargetKind.TCP:
                tcp_settings = tcp.TcpSettings.from_mapping(settings)
                return lambda: tcp.probe(tcp_settings)
            case TargetKind.PING:
                ping_settings = ping.PingSettings.from_mapping(settings)
                privileged = self.ping_privileged
                if privileged is None:
                    return _not_permitted
                return lambda: ping.probe(ping_settings, privileged)
            case TargetKind.DNS:
                dns_settings = dns.DnsSettings.from_mapping(settings)
                return lambda: dns.probe(dns_settings, target.timeout)
        raise ValueError(f"{target.kind} is not polled")  # pragma: no cover

    # --- results and publishing -------------------------------------------

    @callback
    def async_record(self, target_id: str, result: CheckResult) -> None:
        """Fold a result into the monitor and publish soon."""
        target = self.monitor.targets.get(target_id)
        if target is not None and not target.enabled:
            return  # checked before it was paused: resuming starts over
        self._handle_events(self.monitor.record(target_id, result))

    @callback
    def _handle_events(
        self, events: list[Event], *, changed: bool = True, urgent: bool = False
    ) -> None:
        """Announce events, then save and publish if the state changed.

        Check results are saved debounced; ``urgent`` (a user's action) at once.
        """
        for event in events:
            data = dict(event.data)
            if "target_id" in data:
                # Automations act on devices: name the target's device too.
                device = dr.async_get(self.hass).async_get_device_by_identifier(
                    (DOMAIN, str(data["target_id"])), self.config_entry.entry_id
                )
                data["device_id"] = device.id if device else None
            self.hass.bus.async_fire(f"{EVENT_PREFIX}{event.type}", data)
            for listener in self._event_listeners:
                listener(event)
        if not (changed or events):
            return
        self.store.schedule_save(urgent=urgent)
        self.async_publish()

    @callback
    def async_add_event_listener(
        self, listener: Callable[[Event], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener`` with every engine event (the relay uses this)."""
        self._event_listeners.append(listener)
        return lambda: self._event_listeners.remove(listener)

    @callback
    def async_add_target_listener(
        self, target_id: str, update_callback: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call ``update_callback`` when this target's view changes."""
        listeners = self._target_listeners.setdefault(target_id, [])
        listeners.append(update_callback)

        @callback
        def remove() -> None:
            listeners.remove(update_callback)
            if not listeners:
                self._target_listeners.pop(target_id, None)

        return remove

    @callback
    def async_update_listeners(self) -> None:
        """Notify hub listeners, and target listeners whose view changed.

        Views of unchanged targets are usually the same objects from one
        snapshot to the next, so most are told apart by identity; waking every
        entity for every result would cost more than the checks themselves.
        """
        previous, previous_success = self._notified
        current = self.data
        self._notified = (current, self.last_update_success)
        everything = previous is None or previous_success != self.last_update_success
        old_views = previous.targets if previous is not None else {}
        new_views = current.targets if current is not None else {}
        for target_id, listeners in list(self._target_listeners.items()):
            view = new_views.get(target_id)
            old_view = old_views.get(target_id)
            # Rebuilt views (after a status change, all are) may still be equal.
            if (
                everything
                or view is None
                or (view is not old_view and view != old_view)
            ):
                for update_callback in list(listeners):
                    update_callback()
        super().async_update_listeners()

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
        snapshot = self.monitor.snapshot(dt_util.utcnow())
        if snapshot != self.data:
            # Not async_set_updated_data: that would restart the tick timer,
            # and frequent pushes (heartbeats, entity changes) would starve
            # the polled checks.
            self.data = snapshot
            self.async_update_listeners()

    @callback
    def async_apply(self, events: list[Event]) -> None:
        """Announce events of a user's change (service, API, button), saved at once.

        Users act rarely, and a crash must not lose what they did.
        """
        self._handle_events(events, urgent=True)

    # --- heartbeats ------------------------------------------------------------

    def heartbeat_target(self, token: str) -> Target | None:
        """Return the heartbeat target with this ping token."""
        for target in self.monitor.targets.values():
            if (
                target.kind is TargetKind.HEARTBEAT
                and target.settings.get("token") == token
            ):
                return target
        return None

    @callback
    def async_heartbeat(
        self, target_id: str, signal: str, exit_code: int | None = None
    ) -> None:
        """Take a pushed heartbeat ping."""
        self._handle_events(
            self.monitor.heartbeat(target_id, signal, dt_util.utcnow(), exit_code)
        )

    # --- entity targets -------------------------------------------------------

    def _entity_targets(self) -> dict[str, list[Target]]:
        watched: dict[str, list[Target]] = {}
        for target in self.monitor.targets.values():
            if target.kind is TargetKind.ENTITY and target.enabled:
                entity_id = str(target.settings["entity_id"])
                watched.setdefault(entity_id, []).append(target)
        return watched

    @callback
    def _watch_entities(self) -> None:
        if self._entity_unsub is not None:
            self._entity_unsub()
            self._entity_unsub = None
        watched = self._entity_by_entity_id = self._entity_targets()
        previous = self._entity_watched
        self._entity_watched = {t.id: t for ts in watched.values() for t in ts}
        for target_id in list(self._entity_timers):
            old = previous.get(target_id)
            new = self._entity_watched.get(target_id)
            if new is None or old is None or old.check_config() != new.check_config():
                self._entity_timers.pop(target_id)()
        if not watched:
            return
        self._entity_unsub = async_track_state_change_event(
            self.hass, list(watched), self._async_entity_changed
        )
        for entity_id, targets in watched.items():
            state = self.hass.states.get(entity_id)
            for target in targets:
                old = previous.get(target.id)
                if old is not None and old.check_config() == target.check_config():
                    continue  # evaluated already: only state changes are checks
                self._evaluate_entity(target, state.state if state else None)

    @callback
    def _async_entity_changed(self, event: HassEvent[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if old is not None and new is not None and old.state == new.state:
            return  # only attributes changed
        for target in self._entity_by_entity_id.get(event.data["entity_id"], []):
            self._evaluate_entity(target, new.state if new else None)

    @callback
    def _evaluate_entity(self, target: Target, state: str | None) -> None:
        settings = entity.EntitySettings.from_mapping(target.settings)
        error = entity.evaluate(settings, state)
        now = dt_util.utcnow()
        if error is None:
            if cancel := self._entity_timers.pop(target.id, None):
                cancel()
            self.async_record(target.id, CheckResult(success=True, checked_at=now))
            return
        if not settings.for_seconds:
            self.async_record(
                target.id, CheckResult(success=False, checked_at=now, error=error)
            )
            return
        if target.id in self._entity_timers:
            return  # already waiting for the condition to hold

        @callback
        def _held(_now: datetime) -> None:
            self._entity_timers.pop(target.id, None)
            current = self.hass.states.get(settings.entity_id)
            still = entity.evaluate(settings, current.state if current else None)
            if still is not None:
                self.async_record(
                    target.id,
                    CheckResult(
                        success=False,
                        checked_at=dt_util.utcnow(),
                        error=f"{still} for {settings.for_seconds} s",
                    ),
                )

        self._entity_timers[target.id] = async_call_later(
            self.hass, settings.for_seconds, _held
        )

    # --- diagnostics --------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return internal figures for diagnostics."""
        return {
            "ping_privileged": self.ping_privileged,
            "checks_in_flight": len(self.scheduler.in_flight),
            "tick_seconds": self.update_interval.total_seconds()
            if self.update_interval
            else None,
        }


@callback
def _keep_ticking() -> None:
    """Listen to nothing: only keeps the coordinator's refresh scheduled."""


async def _not_permitted() -> ProbeOutcome:
    return ProbeOutcome(
        success=False, error="ICMP is not permitted for Home Assistant on this host"
    )
