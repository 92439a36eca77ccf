"""Entity group targets: watch many entities, chosen through the registries.

Membership is rebuilt from the entity, device, area, floor and label
registries when one of them changes (a second after the last change, so a
burst of registrations costs one rebuild). State changes go through an index
from entity id to its groups: a change costs the same however many entities
are watched. A group's verdict is recorded when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final

from homeassistant.const import ATTR_FRIENDLY_NAME
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)
from homeassistant.helpers.event import (
    async_call_later,
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine.config import COMMON_KEYS
from .engine.entity_groups import FactIndex, GroupMembers, MemberFacts, member_names
from .engine.group_settings import EntityGroupSettings
from .engine.models import CheckResult, Target
from .verdicts import VerdictRecorder

# Registry changes come in bursts (an integration adding its entities).
REGISTRY_SETTLE_SECONDS: Final = 1.0
REGISTRY_EVENTS: Final = (
    er.EVENT_ENTITY_REGISTRY_UPDATED,
    dr.EVENT_DEVICE_REGISTRY_UPDATED,
    ar.EVENT_AREA_REGISTRY_UPDATED,
    fr.EVENT_FLOOR_REGISTRY_UPDATED,
    lr.EVENT_LABEL_REGISTRY_UPDATED,
)


@callback
def registry_facts(hass: HomeAssistant) -> list[MemberFacts]:
    """Return what groups may select from: every entity but PiAlert's own.

    As in Home Assistant's targets, a device's area and labels apply to its
    entities (an entity's own area wins).
    """
    entities, devices = er.async_get(hass), dr.async_get(hass)
    areas = ar.async_get(hass)
    facts: list[MemberFacts] = []
    for entry in entities.entities.values():
        if entry.platform == DOMAIN:
            continue  # a group over PiAlert's entities would feed on itself
        device = devices.async_get(entry.device_id) if entry.device_id else None
        area_id = entry.area_id or (device.area_id if device else None)
        area = areas.async_get_area(area_id) if area_id else None
        state = hass.states.get(entry.entity_id)
        facts.append(
            MemberFacts(
                entity_id=entry.entity_id,
                name=_name(state.attributes if state else None)
                or entry.name
                or entry.original_name
                or entry.entity_id,
                platform=entry.platform,
                device_id=entry.device_id,
                area_id=area_id,
                floor_id=area.floor_id if area else None,
                labels=frozenset(entry.labels | (device.labels if device else set())),
                disabled=entry.disabled_by is not None,
                hidden=entry.hidden_by is not None,
            )
        )
    # Entities without a registry entry (YAML without unique_id) are chosen
    # by domain or by name only.
    for state in hass.states.async_all():
        if state.entity_id not in entities.entities:
            facts.append(
                MemberFacts(state.entity_id, _name(state.attributes) or state.entity_id)
            )
    return facts


def _name(attributes: Any) -> str | None:
    name = attributes.get(ATTR_FRIENDLY_NAME) if attributes else None
    return str(name) if name else None


class EntityGroupWatcher:
    """Follows the members of enabled entity group targets and records verdicts."""

    def __init__(
        self, hass: HomeAssistant, record: Callable[[str, CheckResult], None]
    ) -> None:
        """Watch nothing until ``async_sync``."""
        self.hass = hass
        self.groups: dict[str, GroupMembers] = {}
        # The index: each watched entity's groups (target ids).
        self.index: dict[str, list[str]] = {}
        self._verdicts = VerdictRecorder(hass, record, self._recheck)
        self._dirty: set[str] = set()
        # Members' new states since the last flush (the latest wins).
        self._changed: dict[str, str | None] = {}
        self._flush_pending = False
        self._unsub_states: CALLBACK_TYPE | None = None
        self._unsub_registries: list[CALLBACK_TYPE] = []
        self._rebuild_later: CALLBACK_TYPE | None = None

    @callback
    def async_sync(self, targets: Iterable[Target]) -> None:
        """Watch these targets' groups; new or changed ones start over."""
        wanted = {
            t.id: t
            for t in targets
            if t.enabled and isinstance(t.settings, EntityGroupSettings)
        }
        for target_id in list(self.groups):
            old = self.groups[target_id]
            new = wanted.get(target_id)
            if new is None or (new.settings, new.name) != (old.settings, old.title):
                self._forget(target_id)
        for target_id, target in wanted.items():
            if target_id not in self.groups:
                settings = target.settings
                assert isinstance(settings, EntityGroupSettings)
                self.groups[target_id] = GroupMembers(target.name, settings)
        if self.groups and not self._unsub_registries:
            self._unsub_registries = [
                self.hass.bus.async_listen(event, self._async_registry_changed)
                for event in REGISTRY_EVENTS
            ]
        elif not self.groups:
            self.async_stop()
            return
        self.rebuild()

    @callback
    def rebuild(self) -> None:
        """Work out every group's members anew and re-index them."""
        self._rebuild_later = None
        facts = FactIndex(registry_facts(self.hass))
        now = dt_util.utcnow()
        index: dict[str, list[str]] = {}
        for target_id, group in self.groups.items():
            names = facts.members(group.settings)
            states = {
                entity_id: state.state
                if (state := self.hass.states.get(entity_id))
                else None
                for entity_id in names
            }
            group.set_members(names, states, now)
            for entity_id in names:
                index.setdefault(entity_id, []).append(target_id)
            self._dirty.add(target_id)
        self.index = index
        if self._unsub_states is not None:
            self._unsub_states()
        self._unsub_states = (
            async_track_state_change_event(self.hass, list(index), self._async_state)
            if index
            else None
        )
        self._flush()

    @callback
    def evaluate(self, target_id: str) -> None:
        """Record the group's verdict now (check now)."""
        self._verdicts.forget(target_id)
        self._recheck(target_id)

    @callback
    def _recheck(self, target_id: str) -> None:
        self._dirty.add(target_id)
        self._flush()

    @callback
    def async_stop(self) -> None:
        """Stop listening and drop every timer."""
        for target_id in list(self.groups):
            self._forget(target_id)
        for unsub in self._unsub_registries:
            unsub()
        self._unsub_registries = []
        if self._unsub_states is not None:
            self._unsub_states()
            self._unsub_states = None
        if self._rebuild_later is not None:
            self._rebuild_later()
            self._rebuild_later = None
        self.index = {}
        self._changed = {}

    def _forget(self, target_id: str) -> None:
        self.groups.pop(target_id, None)
        self._dirty.discard(target_id)
        self._verdicts.forget(target_id)

    @callback
    def _async_registry_changed(self, event: Event[Any]) -> None:
        if event.event_type == er.EVENT_ENTITY_REGISTRY_UPDATED:
            entity_id = event.data["entity_id"]
            entry = er.async_get(self.hass).async_get(entity_id)
            if entry is None and entity_id not in self.index:
                return  # a removed entity that no group watched
            if entry is not None and entry.platform == DOMAIN:
                return  # PiAlert's own entities are never members
        if event.event_type == dr.EVENT_DEVICE_REGISTRY_UPDATED:
            device = dr.async_get(self.hass).async_get(event.data["device_id"])
            if device is not None and all(
                domain == DOMAIN for domain, _ in device.identifiers
            ):
                return  # a PiAlert target's device
        if self._rebuild_later is None:
            self._rebuild_later = async_call_later(
                self.hass, REGISTRY_SETTLE_SECONDS, self._rebuild_now
            )

    @callback
    def _rebuild_now(self, _now: datetime) -> None:
        self.rebuild()

    @callback
    def _async_state(self, event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if old is not None and new is not None and old.state == new.state:
            return  # only attributes changed
        # Only noted here: a burst of changes in one loop iteration is taken
        # and judged once, in the next one (an entity changing twice, once).
        self._changed[event.data["entity_id"]] = new.state if new else None
        if not self._flush_pending:
            self._flush_pending = True
            self.hass.loop.call_soon(self._flush)

    @callback
    def _flush(self) -> None:
        self._flush_pending = False
        now = dt_util.utcnow()
        changed, self._changed = self._changed, {}
        for entity_id, state in changed.items():
            for target_id in self.index.get(entity_id, ()):
                if (group := self.groups.get(target_id)) is not None:
                    group.update(entity_id, state, now)
                    self._dirty.add(target_id)
        dirty, self._dirty = self._dirty, set()
        for target_id in dirty:
            if (group := self.groups.get(target_id)) is not None:
                self._judge(target_id, group, now)

    def _judge(self, target_id: str, group: GroupMembers, now: datetime) -> None:
        verdict = group.verdict(now)
        self._verdicts.judge(target_id, verdict.error, verdict.wake_at, now)


@callback
def group_errors(hass: HomeAssistant, data: Mapping[str, Any]) -> dict[str, str]:
    """Refuse a group naming PiAlert's own entities, or matching no entity."""
    try:
        settings = EntityGroupSettings.from_mapping(
            {k: v for k, v in data.items() if k not in COMMON_KEYS}
        )
    except ValueError:
        return {}  # the engine names the bad field
    registry = er.async_get(hass)
    for entity_id in settings.entities or ():
        entry = registry.async_get(entity_id)
        if entry is not None and entry.platform == DOMAIN:
            return {"entities": "own_entity"}
    if not member_names(settings, registry_facts(hass)):
        return {"labels": "group_matches_nothing"}
    return {}
