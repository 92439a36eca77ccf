"""Repair issues PiAlert raises: the user fixes the cause outside Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


def async_raise_issue(
    hass: HomeAssistant,
    issue_id: str,
    severity: ir.IssueSeverity,
    placeholders: dict[str, str] | None = None,
) -> None:
    """Raise a repair issue whose translation key is its id."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=severity,
        translation_key=issue_id,
        translation_placeholders=placeholders,
    )


def async_clear_issue(hass: HomeAssistant, issue_id: str) -> None:
    """Clear the repair issue once its cause is gone."""
    ir.async_delete_issue(hass, DOMAIN, issue_id)
