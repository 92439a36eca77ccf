"""Fix flows of PiAlert's repair issues: accept or dismiss suggested targets."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio as vol

from .suggested_targets import DATA_SUGGESTIONS

CONF_WATCH: Final = "watch"


class SuggestedTargetsFlow(RepairsFlow):
    """Pick which suggested targets to watch; the others are dismissed."""

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Start with the list of suggestions."""
        return await self.async_step_choose()

    async def async_step_choose(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the suggestions, all ticked; watch the ticked ones."""
        suggestions = self.hass.data.get(DATA_SUGGESTIONS)
        if suggestions is None:
            return self.async_abort(reason="not_loaded")
        found = await suggestions.async_find()
        if not found:
            return self.async_abort(reason="no_suggestions")
        errors: dict[str, str] = {}
        placeholders = {"count": str(len(found)), "errors": ""}
        if user_input is not None:
            chosen = set(user_input.get(CONF_WATCH, [])) & {s.key for s in found}
            plan = await suggestions.async_accept(found, chosen)
            if not plan.errors:
                return self.async_create_entry(data={})
            errors["base"] = "targets_refused"
            placeholders["errors"] = plan.error_text()
        options = [SelectOptionDict(value=s.key, label=s.label) for s in found]
        schema = vol.Schema(
            {
                vol.Optional(CONF_WATCH): SelectSelector(
                    SelectSelectorConfig(
                        options=options, multiple=True, mode=SelectSelectorMode.LIST
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="choose",
            # Suggested, not a default: an empty answer must mean "none".
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_WATCH: [s.key for s in found]}
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of a fixable issue (only suggested targets are)."""
    return SuggestedTargetsFlow()
