"""Voice-assistant exposure stored with each entity when it is created.

Home Assistant's conversation agent, when it starts, writes the default
exposure of every entity that has none into the entity registry. With
thousands of PiAlert entities on a first start that is thousands of registry
updates inside one event, each rewriting an entity's state: Home Assistant
then refuses to fire the rest ("more than 10000 events were queued"). An
entity that is created with its exposure already stored costs nothing there.
"""

from __future__ import annotations

from homeassistant.components.homeassistant.const import DATA_EXPOSED_ENTITIES
from homeassistant.components.homeassistant.exposed_entities import (
    DEFAULT_EXPOSED_ASSISTANT,
    DEFAULT_EXPOSED_BINARY_SENSOR_DEVICE_CLASSES,
    DEFAULT_EXPOSED_DOMAINS,
    DEFAULT_EXPOSED_SENSOR_DEVICE_CLASSES,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant

CONVERSATION = "conversation"


def exposed_to_conversation_by_default(
    hass: HomeAssistant,
    domain: str,
    device_class: str | None,
    entity_category: EntityCategory | None,
) -> bool:
    """Return what Home Assistant would choose for a new entity, by its rules."""
    if (exposed := hass.data.get(DATA_EXPOSED_ENTITIES)) is not None:
        expose_new = exposed.async_get_expose_new_entities(CONVERSATION)
    else:
        expose_new = DEFAULT_EXPOSED_ASSISTANT.get(CONVERSATION, False)
    if not expose_new or entity_category is not None:
        return False
    if domain in DEFAULT_EXPOSED_DOMAINS:
        return True
    if domain == "binary_sensor":
        return device_class in {
            str(c) for c in DEFAULT_EXPOSED_BINARY_SENSOR_DEVICE_CLASSES
        }
    if domain == "sensor":
        return device_class in {str(c) for c in DEFAULT_EXPOSED_SENSOR_DEVICE_CLASSES}
    return False
