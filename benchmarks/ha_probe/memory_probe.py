"""``/api/bench_probe/memory``: a Home Assistant process's memory.

GET (no auth, loopback benchmark only) collects garbage, then answers the
resident set size and the instance counts of the most common classes
(states, registry entries, devices, entities, PiAlert's engine objects).
Allocations by file are measured in-process by tests/test_memory_per_target.py:
tracing a whole Home Assistant start takes minutes.
"""

from __future__ import annotations

from collections import Counter
import gc
import os
from typing import Any

from aiohttp import web
from homeassistant.helpers.http import HomeAssistantView

MIN_COUNT = 50


def object_counts() -> dict[str, int]:
    """Return instance counts per class (classes with MIN_COUNT or more)."""
    counts: Counter[str] = Counter(
        f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects()
    )
    return {name: n for name, n in counts.most_common() if n >= MIN_COUNT}


def rss_bytes() -> int:
    """Return this process's resident set size."""
    with open("/proc/self/statm", encoding="utf-8") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


class MemoryView(HomeAssistantView):
    """Answers the process's memory and object counts."""

    url = "/api/bench_probe/memory"
    name = "api:bench_probe:memory"
    requires_auth = False

    async def get(self, request: web.Request) -> web.Response:
        """Collect garbage, then report (blocks the loop: a benchmark probe)."""
        gc.collect()
        body: dict[str, Any] = {
            "rss_bytes": rss_bytes(),
            "gc_objects": len(gc.get_objects()),
            "objects": object_counts(),
        }
        return self.json(body)
