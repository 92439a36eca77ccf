"""Form boxes shared by the flows; number fields whose range the flows check.

Home Assistant's number selector refuses an out-of-range value while the
schema is applied, so the user sees voluptuous' raw "Value 70000.0 is too
large" instead of a form error. These boxes show the same range in the UI but
leave the check to ``number_errors``, which answers with a translated error
key under the field (its message states the range in whole numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

from homeassistant.helpers import selector
import probatio as vol

TEXT = selector.TextSelector()
BOOLEAN = selector.BooleanSelector()


def select_box(
    options: list[str], translation_key: str, custom: bool = False
) -> selector.SelectSelector:
    """Return a dropdown whose option labels are translated under ``translation_key``."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options,
            translation_key=translation_key,
            mode=selector.SelectSelectorMode.DROPDOWN,
            custom_value=custom,
        )
    )


class FormNumber(selector.NumberSelector):
    """A number box (serialised like Home Assistant's) checked by the flow."""

    def __init__(
        self,
        minimum: float,
        maximum: float,
        error: str,
        *,
        unit: str | None = None,
        step: float = 1,
    ) -> None:
        """Describe the box and the error key its range check answers with."""
        config = selector.NumberSelectorConfig(
            min=minimum, max=maximum, step=step, mode=selector.NumberSelectorMode.BOX
        )
        if unit is not None:
            config["unit_of_measurement"] = unit
        super().__init__(config)
        self.error = error

    @property
    def whole(self) -> bool:
        """Whether only whole numbers are accepted (the step is a whole number)."""
        return float(self.config["step"]).is_integer()

    def __call__(self, data: Any) -> Any:
        """Pass anything on: ``number_errors`` reports what is wrong, per field."""
        try:
            return float(data)
        except (TypeError, ValueError):
            return data

    def is_valid(self, value: Any) -> bool:
        """Whether ``value`` is a number in range (and whole when it must be)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if not math.isfinite(value) or (self.whole and not float(value).is_integer()):
            return False
        return bool(self.config["min"] <= value <= self.config["max"])


def number_errors(schema: vol.Schema, user_input: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{field: error_key}`` for the form's numbers that are wrong.

    A required number left empty is wrong too; an optional one may stay empty.
    """
    errors: dict[str, str] = {}
    for marker, field_selector in schema.schema.items():
        if not isinstance(field_selector, FormNumber):
            continue
        key = str(marker)
        value = user_input.get(key)
        if value is None or value == "":
            if isinstance(marker, vol.Required):
                errors[key] = field_selector.error
            continue
        if not field_selector.is_valid(value):
            errors[key] = field_selector.error
    return errors


def whole_numbers(schema: vol.Schema, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``user_input`` with its whole-number boxes as ``int``."""
    result = dict(user_input)
    for marker, field_selector in schema.schema.items():
        key = str(marker)
        value = result.get(key)
        if (
            isinstance(field_selector, FormNumber)
            and field_selector.whole
            and isinstance(value, float)
            and value.is_integer()
        ):
            result[key] = int(value)
    return result
