"""Where Python memory goes, grouped by the file that allocated it (tracemalloc).

A group is the innermost frame in Home Assistant, PiAlert or aiohttp, so a
dict grown inside ``dataclasses`` or ``copy`` is charged to the code that
asked for it. Used by the per-target memory test, and printed with ``-s``.
"""

from __future__ import annotations

from collections import Counter
import gc
import tracemalloc

FRAMES = 6
MARKERS = (
    "/custom_components/pialert/",
    "/homeassistant/",
    "/aiohttp/",
    "/yarl/",
    "/multidict/",
    "/voluptuous/",
)
# Summaries printed per target: label -> file prefixes.
SUMMARY = {
    "HA entity objects": ("homeassistant/helpers/entity.py",),
    "entity registry": ("homeassistant/helpers/entity_registry.py",),
    "device registry": ("homeassistant/helpers/device_registry.py",),
    "states (core)": ("homeassistant/core.py",),
    "entity platform": ("homeassistant/helpers/entity_platform.py",),
    "other Home Assistant": ("homeassistant/",),
    "PiAlert engine": ("custom_components/pialert/engine/",),
    "PiAlert entities and glue": ("custom_components/pialert/",),
    "aiohttp, yarl, multidict": ("aiohttp/", "yarl/", "multidict/"),
}


def group_of(filename: str) -> str | None:
    """Return a frame's file relative to its package, or None if unmarked."""
    for marker in MARKERS:
        index = filename.find(marker)
        if index >= 0:
            return filename[index + 1 :]
    return None


def snapshot() -> tracemalloc.Snapshot:
    """Return a snapshot of live allocations after a full collection."""
    gc.collect()
    return tracemalloc.take_snapshot()


def grouped(snap: tracemalloc.Snapshot) -> Counter[str]:
    """Return live bytes per group."""
    sizes: Counter[str] = Counter()
    for stat in snap.statistics("traceback"):
        frames = list(reversed(stat.traceback))  # the most recent call first
        group = next(
            (g for frame in frames if (g := group_of(frame.filename)) is not None),
            frames[0].filename if frames else "?",
        )
        sizes[group] += stat.size
    return sizes


def summary(growth: Counter[str]) -> dict[str, int]:
    """Return bytes per summary label (each file counted under its first label)."""
    out = dict.fromkeys(SUMMARY, 0)
    out["everything else"] = 0
    for group, size in growth.items():
        label = next(
            (name for name, prefixes in SUMMARY.items() if group.startswith(prefixes)),
            "everything else",
        )
        out[label] += size
    return out
