"""One device description per target, shared by all of the target's entities.

Home Assistant reads an entity's ``device_info`` once, when it adds the
entity, and copies it. Each of a target's entities (up to ten) used to keep
its own copy, about 0.9 KiB apiece: 6 KiB per target, 6 MiB at 1,000.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .const import DOMAIN, HUB_TITLE
from .coordinator import PiAlertCoordinator
from .engine.models import Target, TargetKind

KIND_MODELS = {
    TargetKind.HTTP: "HTTP check",
    TargetKind.TCP: "TCP port check",
    TargetKind.PING: "Ping check",
    TargetKind.DNS: "DNS check",
    TargetKind.HEARTBEAT: "Heartbeat",
    TargetKind.ENTITY: "Entity watch",
    TargetKind.ENTITY_GROUP: "Entity group watch",
    TargetKind.INTEGRATION_HEALTH: "Integration health watch",
}

# Per hub (gone with it, on unload); per target id.
_SHARED: WeakKeyDictionary[PiAlertCoordinator, dict[str, DeviceInfo]] = (
    WeakKeyDictionary()
)


def target_device_info(coordinator: PiAlertCoordinator, target: Target) -> DeviceInfo:
    """Return the target's device, the same object for each of its entities."""
    shared = _SHARED.setdefault(coordinator, {})
    info = shared.get(target.id)
    model = KIND_MODELS[target.kind]
    if (
        info is None
        or info.get("name") != target.name
        or info.get("model") != model
        or info.get("via_device_id") != coordinator.hub_device_id
    ):
        info = shared[target.id] = DeviceInfo(
            identifiers={(DOMAIN, target.id)},
            name=target.name,
            manufacturer=HUB_TITLE,
            model=model,
            entry_type=DeviceEntryType.SERVICE,
            via_device_id=coordinator.hub_device_id,
        )
    return info
