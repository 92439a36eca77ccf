"""The default notification words: counts read as people write them."""

from __future__ import annotations

import pytest

from custom_components.pialert.engine.notify.messages import Detail, compose
from custom_components.pialert.engine.notify.planner import Dispatch, What


@pytest.mark.parametrize(
    ("failures", "ending"),
    [(1, "1 failure"), (2, "2 failures"), (3, "3 failures"), (0, "0 failures")],
)
def test_down_message_counts_failures_in_the_right_form(
    failures: int, ending: str
) -> None:
    """One failure is singular; any other count is plural."""
    detail = Detail("nas", "NAS", error="HTTP 503", since="14:02", failures=failures)
    dispatch = Dispatch("rule", What.DOWN, ("nas",), ("persistent:",))
    _title, message = compose(dispatch, {"nas": detail}, "On call")
    assert message == f"NAS is down: HTTP 503 since 14:02, {ending}"


def test_translated_forms_are_used() -> None:
    """A language's own forms replace the English ones."""
    detail = Detail("nas", "NAS", error="aus", since="14:02", failures=1)
    dispatch = Dispatch("rule", What.DOWN, ("nas",), ("persistent:",))
    phrases = {
        "notify_down_one": "{name} ist ausgefallen: {error} seit {since}, {failure_count}",
        "notify_failures_one": "{failures} Fehler",
        "notify_failures_other": "{failures} Fehlschläge",
    }
    assert compose(dispatch, {"nas": detail}, "r", phrases=phrases)[1] == (
        "NAS ist ausgefallen: aus seit 14:02, 1 Fehler"
    )
