"""Base entities: one device per target, one hub device."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import (
    BaseCoordinatorEntity,
    CoordinatorEntity,
)

from .const import DOMAIN, HUB_TITLE, SUBENTRY_TYPE_TARGET
from .coordinator import PiAlertConfigEntry, PiAlertCoordinator
from .engine.state import Snapshot, TargetView
from .entity_adder import entity_adder
from .exposure import CONVERSATION, exposed_to_conversation_by_default
from .target_devices import target_device_info


def hub_device_info(entry_id: str) -> DeviceInfo:
    """Return the hub device."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry_id)},
        name=HUB_TITLE,
        manufacturer=HUB_TITLE,
        model="Monitoring hub",
        entry_type=DeviceEntryType.SERVICE,
    )


class PiAlertEntity(CoordinatorEntity[PiAlertCoordinator]):
    """Writes its state only when what it shows has changed."""

    _attr_has_entity_name = True
    _last_written: Hashable | object = object()

    def _current(self) -> Hashable:
        """Return everything this entity shows, to detect changes cheaply."""
        raise NotImplementedError

    @callback
    def _handle_coordinator_update(self) -> None:
        current = self._current()
        if current == self._last_written:
            return
        self._last_written = current
        self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Remember what was first written."""
        await super().async_added_to_hass()
        self._last_written = self._current()

    def get_initial_entity_options(self) -> er.EntityOptionsType | None:
        """Store the voice-assistant default at creation (see exposure.py)."""
        options = dict(super().get_initial_entity_options() or {})
        options[CONVERSATION] = {
            "should_expose": exposed_to_conversation_by_default(
                self.hass, self.platform.domain, self.device_class, self.entity_category
            )
        }
        return options


class PiAlertHubEntity(PiAlertEntity):
    """An entity of the hub device."""

    def __init__(
        self, coordinator: PiAlertCoordinator, description: EntityDescription
    ) -> None:
        """Attach to the hub device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry_id = coordinator.config_entry.entry_id
        self._attr_unique_id = f"{entry_id}_{description.key}"
        self._attr_device_info = hub_device_info(entry_id)


class PiAlertTargetEntity(PiAlertEntity):
    """An entity of one target's device."""

    def __init__(
        self,
        coordinator: PiAlertCoordinator,
        description: EntityDescription,
        target_id: str,
    ) -> None:
        """Attach to the target's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.target_id = target_id
        target = coordinator.monitor.targets[target_id]
        self._attr_unique_id = f"{target_id}_{description.key}"
        self._attr_device_info = target_device_info(coordinator, target)

    async def async_added_to_hass(self) -> None:
        """Listen to this target's changes only, not to every result."""
        # Skip the coordinator entity's subscription to every update.
        await super(BaseCoordinatorEntity, self).async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_target_listener(
                self.target_id, self._handle_coordinator_update
            )
        )
        self._last_written = self._current()

    @property
    def view(self) -> TargetView | None:
        """Return this target's part of the snapshot."""
        data = self.coordinator.data
        return data.targets.get(self.target_id) if data else None

    @property
    def available(self) -> bool:
        """Available while the target exists in the snapshot."""
        return super().available and self.view is not None


def async_add_target_entities(
    coordinator: PiAlertCoordinator,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[str, TargetView], list[Any]],
) -> None:
    """Add entities for every target now and for targets added later.

    Home Assistant takes a subentry's entities in a call of their own. Those
    of targets added while the hub runs (an import of 1,000) are added a
    slice at a time (entity_adder.py): their checks do not wait for them.
    """
    known: set[str] = set()
    adder = entity_adder(coordinator.hass, entry, coordinator)

    @callback
    def add_target(subentry_id: str) -> None:
        targets = coordinator.data.targets if coordinator.data else {}
        if subentry_id in targets and subentry_id in entry.subentries:
            async_add_entities(
                build(subentry_id, targets[subentry_id]),
                config_subentry_id=subentry_id,
            )
        else:  # removed before its turn came
            known.discard(subentry_id)

    seen: list[Snapshot | None] = [None]

    @callback
    def add_new_targets(*, now: bool = False) -> None:
        targets = coordinator.data.targets if coordinator.data else {}
        if _same_targets(seen, coordinator.data, known) or targets.keys() == known:
            return  # the usual case: results came in, no target was added
        for target_id in known - targets.keys():
            known.discard(target_id)
        for subentry_id, subentry in entry.subentries.items():
            if (
                subentry.subentry_type != SUBENTRY_TYPE_TARGET
                or subentry_id in known
                or subentry_id not in targets
            ):
                continue
            known.add(subentry_id)
            if now:
                add_target(subentry_id)
            else:
                adder.add_entities(partial(add_target, subentry_id))

    add_new_targets(now=True)  # set-up: Home Assistant awaits these
    entry.async_on_unload(coordinator.async_add_listener(add_new_targets))


def _same_targets(
    seen: list[Snapshot | None], data: Snapshot | None, known: set[str]
) -> bool:
    """Tell, without walking every target, that ``data`` holds the targets seen last.

    Targets come and go only through a change that marks every view changed
    (``changed`` None). So a snapshot with as many targets as are known, whose
    changed views are all known ones, holds the same targets as the one
    before it. ``seen`` keeps the last snapshot looked at.
    """
    previous, seen[0] = seen[0], data
    if previous is None or data is None or len(data.targets) != len(known):
        return False
    changed = data.changed_from(previous)
    return changed is not None and known.issuperset(changed)
