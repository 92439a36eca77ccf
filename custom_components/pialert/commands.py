"""The one door for what users change: acknowledge, silence, pause, check, keys.

Services, buttons, switches, the API and the key flow all come through here.
Each command lets the engine apply its rules (refusing with ``RefusedError``),
changes it, then announces the events, saves at once and publishes: a caller
cannot forget one of these steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

from .api.keys import ApiKey, Scope
from .engine.errors import RefusedError
from .engine.incident_updates import record_view, update_incident
from .engine.incident_workflow import IncidentUpdate, presets_from_options
from .engine.maintenance import (
    MaintenanceWindow,
    WindowRequest,
    plan_window,
    replan_window,
)
from .engine.models import CheckResult, Incident, Silence
from .engine.page_incidents import PageIncident
from .engine.silences import SilenceRequest, UnsilenceRequest
from .notify_rule_commands import RuleCommands
from .page_config import PageCommands
from .published_pages import PageMessage, post_page_message
from .target_code import Plan, async_apply_plan, async_plan_import

if TYPE_CHECKING:
    from .api.state import ApiState
    from .coordinator import PiAlertCoordinator, PiAlertData
    from .engine.events import Event


class HubCommands:
    """Every change a user can make to the hub."""

    def __init__(self, coordinator: PiAlertCoordinator, api: ApiState) -> None:
        """Act on this hub's engine and API keys."""
        self._coordinator = coordinator
        self._monitor = coordinator.monitor
        self._api = api

    @classmethod
    def of(cls, data: PiAlertData) -> HubCommands:
        """Return the commands of a loaded hub (its runtime data)."""
        return cls(data.coordinator, data.api)

    @staticmethod
    def _now() -> datetime:
        return dt_util.utcnow()

    def _commit(self, events: list[Event]) -> None:
        # Announce, save at once (users act rarely; a crash must not lose it)
        # and publish.
        self._coordinator.async_commit(events)

    # --- alerts ----------------------------------------------------------------

    def acknowledge(
        self, target_ids: Sequence[str], by: str, note: str | None = None
    ) -> None:
        """Acknowledge those of the targets that are down; refuse if none is."""
        note = (note or "").strip() or None
        events = self._monitor.acknowledge_down(target_ids, by, self._now(), note)
        self._commit(events)

    def unacknowledge(self, target_ids: Sequence[str], by: str) -> None:
        """Withdraw the targets' acknowledgements; refuse if none has one."""
        events = self._monitor.withdraw_acknowledgements(target_ids, by, self._now())
        self._commit(events)

    def silence(self, request: SilenceRequest, by: str) -> Silence:
        """Add the silence ``request`` describes, by the silence rules."""
        silence, events = self._monitor.silence(request, by, self._now())
        self._commit(events)
        return silence

    def end_silence(self, silence_id: str, by: str) -> Silence:
        """End one silence now; return it, ended."""
        self._commit(self._monitor.remove_silence(silence_id, by, self._now()))
        return self._monitor.silences[silence_id]

    def unsilence(self, request: UnsilenceRequest, by: str) -> list[str]:
        """End the silences ``request`` names; return their ids."""
        ended, events = self._monitor.unsilence(request, by, self._now())
        self._commit(events)
        return ended

    def add_maintenance_window(
        self, request: WindowRequest, by: str
    ) -> MaintenanceWindow:
        """Add a recurring maintenance window (saved at once)."""
        now, maintenance = self._now(), self._monitor.maintenance
        window = plan_window(
            request, self._monitor.targets, maintenance.windows, by, now
        )
        maintenance.add(window)
        self._commit(self._monitor.tick(now))
        return window

    def change_maintenance_window(
        self, window_id: str, request: WindowRequest
    ) -> MaintenanceWindow:
        """Replace a window's schedule and scope (saved at once); same id."""
        maintenance = self._monitor.maintenance
        old = maintenance.windows.get(window_id)
        if old is None:
            raise RefusedError("unknown_maintenance_window", window=window_id)
        now = self._now()
        window = replan_window(
            old, request, self._monitor.targets, maintenance.windows, now
        )
        maintenance.add(window)
        self._commit(self._monitor.tick(now))
        return window

    def remove_maintenance_window(self, window_id: str) -> None:
        """Delete a maintenance window; refuse an unknown id."""
        self._monitor.maintenance.remove(window_id)
        self._commit(self._monitor.tick(self._now()))

    def update_incident(
        self, incident_id: str, update: IncidentUpdate, by: str
    ) -> Incident:
        """Record root cause, action, note or dismissal on an incident."""
        presets = presets_from_options(self._coordinator.config_entry.options)
        incident, events = update_incident(
            self._monitor.history, incident_id, update, presets, by, self._now()
        )
        self._commit(events)
        return incident

    def view_incident(self, incident_id: str, by: str) -> Incident:
        """Return an incident; its first view is recorded and saved at once."""
        incident, first = record_view(
            self._monitor.history, incident_id, by, self._now()
        )
        if first:
            self._commit([])
        return incident

    def post_page_incident(self, page_id: str, message: PageMessage) -> PageIncident:
        """Post an incident message on a status page (saved with it at once)."""
        entry = self._coordinator.config_entry
        hass = self._coordinator.hass
        return post_page_message(hass, entry, page_id, message, self._now())

    @property
    def notification_rules(self) -> RuleCommands:
        """Add, change or remove notification rules (the hub's subentries)."""
        return RuleCommands(self._coordinator.config_entry)

    @property
    def status_pages(self) -> PageCommands:
        """Add, change or remove status pages (the hub's subentries)."""
        return PageCommands(self._coordinator.hass, self._coordinator.config_entry)

    # --- targets ---------------------------------------------------------------

    async def add_targets(self, items: Sequence[Mapping[str, Any]]) -> Plan:
        """Create targets described as import items (parents by name); all or none.

        The plan lists each refused item; nothing is created when one is.
        """
        plan = await async_plan_import(self._coordinator, items)
        if not plan.errors:
            await async_apply_plan(self._coordinator, plan)
        return plan

    def set_enabled(self, target_ids: Sequence[str], enabled: bool) -> None:
        """Pause or resume targets through their subentries.

        The update listener then applies them to the engine, announces and
        saves at once, as for any edit of a target (the UI sees it too).
        """
        entry = self._coordinator.config_entry
        for target_id in target_ids:
            subentry = entry.subentries[target_id]
            if subentry.data.get("enabled", True) != enabled:
                self._coordinator.hass.config_entries.async_update_subentry(
                    entry, subentry, data={**subentry.data, "enabled": enabled}
                )

    async def check_now(self, target_ids: Sequence[str]) -> dict[str, CheckResult]:
        """Check targets at once; return the results of polled ones."""
        return await self._coordinator.async_check_now(target_ids)

    # --- API keys ----------------------------------------------------------------

    def create_key(
        self, name: str, scope: Scope, rate_limit: int, poll_interval: int | None = None
    ) -> tuple[ApiKey, str]:
        """Make a key; the plain key is returned here only, never kept."""
        key, plaintext = self._api.keys.create(
            name, scope, self._now(), rate_limit, poll_interval
        )
        self._api.schedule_save()
        return key, plaintext

    def api_keys(self) -> list[ApiKey]:
        """Return all keys with their usage, oldest first."""
        return self._api.keys.listing()

    def find_key(self, id_or_name: str) -> str:
        """Return the id of the key with this id or (any case) name."""
        keys = self._api.keys.keys
        if id_or_name in keys:
            return id_or_name
        for key in keys.values():
            if key.name.casefold() == id_or_name.casefold():
                return key.id
        raise RefusedError("unknown_api_key", key_id=id_or_name)

    def set_key_enabled(self, id_or_name: str, enabled: bool) -> ApiKey:
        """Enable or disable a key."""
        key = self._api.keys.set_enabled(self.find_key(id_or_name), enabled)
        self._api.schedule_save()
        return key

    def delete_key(self, id_or_name: str) -> ApiKey:
        """Delete a key for good (and forget its rate-limit window)."""
        key = self._api.keys.delete(self.find_key(id_or_name))
        self._api.key_limiter.forget(key.id)
        self._api.schedule_save()
        return key
