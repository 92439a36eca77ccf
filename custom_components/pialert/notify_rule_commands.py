"""Adding, changing and removing notification rules.

Rules are subentries of the hub, so a rule the API makes is the very one the
UI lists (and the other way round); the notifier's update listener applies
it. Reached through ``HubCommands.notification_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry

from .const import SUBENTRY_TYPE_NOTIFICATION_RULE, SUBENTRY_TYPE_TARGET
from .engine.errors import RefusedError
from .engine.notify.rule_fields import rule_data
from .engine.notify.rules import NotificationRule, parse_rule

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry


class InvalidRuleError(ValueError):
    """Rule data the rule form would refuse: ``errors`` is {field: error key}."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        """Keep the form's error keys."""
        super().__init__(", ".join(sorted(errors)))
        self.errors = dict(errors)


class RuleCommands:
    """The notification rules of one hub."""

    def __init__(self, entry: PiAlertConfigEntry) -> None:
        """Act on this hub's subentries."""
        self._entry = entry
        self._hass = entry.runtime_data.coordinator.hass

    def subentries(self) -> list[ConfigSubentry]:
        """Return the rules' subentries by name."""
        return sorted(
            (
                s
                for s in self._entry.subentries.values()
                if s.subentry_type == SUBENTRY_TYPE_NOTIFICATION_RULE
            ),
            key=lambda s: (s.title.casefold(), s.subentry_id),
        )

    def subentry(self, rule_id: str) -> ConfigSubentry:
        """Return one rule's subentry; refuse an unknown id."""
        subentry = self._entry.subentries.get(rule_id)
        if (
            subentry is None
            or subentry.subentry_type != SUBENTRY_TYPE_NOTIFICATION_RULE
        ):
            raise RefusedError("unknown_rule", rule=rule_id)
        return subentry

    def _checked(
        self, rule_id: str, data: Mapping[str, Any], kept_ids: frozenset[str]
    ) -> tuple[NotificationRule, dict[str, Any]]:
        rule, errors = parse_rule(rule_id, data)
        if rule is not None:
            targets = {
                s.subentry_id
                for s in self._entry.subentries.values()
                if s.subentry_type == SUBENTRY_TYPE_TARGET
            }
            # A target deleted since the rule was saved does not block an edit.
            if rule.target_ids - targets - kept_ids:
                errors = {"target_ids": "unknown_rule_targets"}
        if rule is None or errors:
            raise InvalidRuleError(errors)
        return rule, rule_data(rule)

    def add(self, data: Mapping[str, Any]) -> ConfigSubentry:
        """Add a rule (a new subentry); refuse what the form would refuse."""
        rule, saved = self._checked("new", data, frozenset())
        subentry = ConfigSubentry(
            data=MappingProxyType(saved),
            subentry_type=SUBENTRY_TYPE_NOTIFICATION_RULE,
            title=rule.name,
            unique_id=None,
        )
        self._hass.config_entries.async_add_subentry(self._entry, subentry)
        return subentry

    def change(self, rule_id: str, data: Mapping[str, Any]) -> ConfigSubentry:
        """Replace a rule's data (same id); refuse what the form would refuse."""
        subentry = self.subentry(rule_id)
        kept = frozenset(subentry.data.get("target_ids") or ())
        rule, saved = self._checked(rule_id, data, kept)
        self._hass.config_entries.async_update_subentry(
            self._entry, subentry, data=saved, title=rule.name
        )
        return self._entry.subentries[rule_id]

    def remove(self, rule_id: str) -> None:
        """Delete a rule; its outages are forgotten by the notifier."""
        self.subentry(rule_id)
        self._hass.config_entries.async_remove_subentry(self._entry, rule_id)
