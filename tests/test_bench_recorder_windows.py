"""The recorder benchmark's windows: K checks of every target, not K x N requests."""

from __future__ import annotations

from benchmarks.recorder import checks_done

PATHS = ["/u/0", "/u/1", "/u/2"]


def test_a_window_waits_for_every_target() -> None:
    """Spread checks: 3 requests since the window opened are not a round.

    With each target on its own phase, one target can be checked twice
    before another's check is due; counting requests opened the quiet
    window while the first checks after start-up were still coming (the
    response time falling from its start-up value wrote a row).
    """
    since = {"/u/0": 1, "/u/1": 1, "/u/2": 1}
    assert not checks_done({"/u/0": 3, "/u/1": 2, "/u/2": 1}, since, PATHS, 1)
    assert checks_done({"/u/0": 3, "/u/1": 2, "/u/2": 2}, since, PATHS, 1)


def test_a_target_never_checked_is_not_done() -> None:
    """A path the server has not seen counts as no check."""
    assert not checks_done({"/u/0": 5, "/u/1": 5}, {}, PATHS, 1)
    assert checks_done({"/u/0": 3, "/u/1": 3, "/u/2": 3}, {}, PATHS, 3)
