"""The settings of the Home Assistant-native kinds: entity groups, integration health.

Declared with ``spec`` like every kind's (engine/settings.py): the field table
the form, the API, the OpenAPI document and the parser are generated from.
"""

# ``spec`` returns ``dataclasses.field(...)``, which RUF009 cannot see.
# ruff: noqa: RUF009

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .fields import FieldType, spec
from .settings import (
    EntityCondition,
    EntitySettings,
    KindSettings,
    condition_field,
    held_for_field,
)


class GroupRule(StrEnum):
    """How many failing members make an entity group fail."""

    ANY = "any"
    AT_LEAST = "at_least"
    SHARE = "share"


def _names(item: str, description: str = "") -> Any:
    return spec(
        FieldType.LIST, f"invalid_{item}_list", item=item, description=description
    )


# The fields that choose an entity group's members (at least one is needed).
GROUP_SELECTION: Final = (
    "labels",
    "areas",
    "floors",
    "devices",
    "integrations",
    "domains",
    "entities",
)


@dataclass(frozen=True, slots=True)
class EntityGroupSettings(KindSettings):
    """Many entities chosen by label, area, ...: fails when enough of them do."""

    labels: tuple[str, ...] | None = _names("label")
    areas: tuple[str, ...] | None = _names("area")
    floors: tuple[str, ...] | None = _names("floor")
    devices: tuple[str, ...] | None = _names("device")
    integrations: tuple[str, ...] | None = _names(
        "integration", "Integration domains whose entities are watched (zha, mqtt)."
    )
    domains: tuple[str, ...] | None = _names(
        "domain", "Entity domains (sensor, binary_sensor)."
    )
    entities: tuple[str, ...] | None = _names("entity")
    exclude_entities: tuple[str, ...] | None = _names("entity")
    exclude_integrations: tuple[str, ...] | None = _names("integration")
    include_disabled: bool = spec(FieldType.BOOLEAN, default=False)
    include_hidden: bool = spec(FieldType.BOOLEAN, default=False)
    condition: EntityCondition = condition_field()
    value: str | None = spec(FieldType.TEXT_OR_NUMBER, "value_required")
    for_seconds: int = held_for_field(0)
    rule: GroupRule = spec(
        FieldType.CHOICE,
        "invalid_rule",
        default=GroupRule.ANY.value,
        choices=tuple(GroupRule),
        convert=GroupRule,
    )
    at_least: int | None = spec(
        FieldType.INTEGER,
        "invalid_at_least",
        minimum=1,
        maximum=100_000,
        description="rule at_least: how many members must fail.",
    )
    share: int | None = spec(
        FieldType.INTEGER,
        "invalid_share",
        minimum=1,
        maximum=100,
        unit="%",
        description="rule share: the percentage of members that must fail.",
    )

    @staticmethod
    def cross_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """Require a selection, the rule's number and the condition's value."""
        errors = EntitySettings.cross_errors(values)
        if not any(values.get(name) for name in GROUP_SELECTION):
            errors["labels"] = "empty_selection"
        rule = values.get("rule")
        if rule == GroupRule.AT_LEAST and values.get("at_least") is None:
            errors["at_least"] = "at_least_required"
        if rule == GroupRule.SHARE and values.get("share") is None:
            errors["share"] = "share_required"
        return errors


@dataclass(frozen=True, slots=True)
class IntegrationHealthSettings(KindSettings):
    """Config entries that must not stay failed (set-up error, retry, ...)."""

    integrations: tuple[str, ...] | None = _names(
        "integration", "Integration domains to watch; none means all."
    )
    failed_for: int = held_for_field(
        300, "Seconds an entry may stay failed before it counts."
    )
