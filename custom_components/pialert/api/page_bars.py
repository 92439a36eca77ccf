"""A status page's 90-day bars, drawn compactly: one element per run of like days.

One element per day made the page about 330 KB for 50 targets. Consecutive
days with the same state and the same uptime (as shown, two decimals) are one
``<i>`` spanning ``--n`` days; its CSS draws the run as ``--n`` day bars with
the same gaps as single days, and its tooltip names the dates it covers. So
nothing shown is lost, and a target that was up all along costs one element.
The bars' summary is read out instead of the 90 tooltips.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any, Final

NO_DATA_TEXT: Final = "No data"
# Bar colours by day state; the run's flex basis adds back the gaps inside it,
# so a day is exactly as wide in a run as alone.
BAR_STYLE: Final = """
.bars{display:flex;gap:2px;height:28px;margin:8px 0 2px}
.bars i{--n:1;--c:var(--no_data);flex:var(--n) 0 calc((var(--n) - 1)*2px);
border-radius:2px;background:repeating-linear-gradient(90deg,var(--c) 0
calc((100% + 2px)/var(--n) - 2px),transparent 0 calc((100% + 2px)/var(--n)))}
.bars .operational{--c:var(--operational)}
.bars .degraded{--c:var(--degraded)}
.bars .outage{--c:var(--outage)}
"""
_SPOKEN: Final = (
    ("operational", "operational"),
    ("degraded", "degraded"),
    ("outage", "with an outage"),
    ("no_data", "without data"),
)


def _uptime_text(uptime: float | None) -> str:
    return NO_DATA_TEXT if uptime is None else f"{uptime:.2f} % uptime"


def _runs(days: Iterable[dict[str, Any]]) -> Iterator[tuple[str, str, str, str, int]]:
    """Yield (state, uptime text, first date, last date, days) of like days."""
    for (state, text), run in groupby(
        days, key=lambda day: (day["state"], _uptime_text(day["uptime"]))
    ):
        dates = [day["date"] for day in run]
        yield state, text, dates[0], dates[-1], len(dates)


def _summary(days: list[dict[str, Any]]) -> str:
    counts = {state: 0 for state, _ in _SPOKEN}
    for day in days:
        counts[day["state"]] = counts.get(day["state"], 0) + 1
    said = ", ".join(
        f"{counts[state]} {words}" for state, words in _SPOKEN if counts[state]
    )
    return f"Last {len(days)} days: {said}"


def render_bars(days: list[dict[str, Any]]) -> str:
    """Return the bars of ``days`` (oldest first) and their axis."""
    bars = []
    for state, text, first, last, count in _runs(days):
        span = f"{first}: " if count == 1 else f"{first} to {last}: "
        size = "" if count == 1 else f' style="--n:{count}"'
        bars.append(f'<i class="{state}"{size} title="{span}{text}"></i>')
    return (
        f'<div class="bars" role="img" aria-label="{_summary(days)}">'
        f"{''.join(bars)}</div>"
        f'<div class="axis" aria-hidden="true"><span>{len(days)} days ago</span>'
        "<span>Today</span></div>"
    )
