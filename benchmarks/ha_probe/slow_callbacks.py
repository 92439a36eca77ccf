"""The event loop's slowest callbacks while a figure is measured.

Wraps ``asyncio.Handle._run`` (every callback and task step the loop runs)
and keeps those over a threshold, named by their callback or task coroutine,
so a lag figure can say what made it.
"""

from __future__ import annotations

import asyncio
from asyncio import events
import time
from typing import Any


def _name(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        return f"task {getattr(coro, '__qualname__', repr(coro))}"
    func = getattr(callback, "func", callback)  # a functools.partial's
    return getattr(func, "__qualname__", None) or repr(callback)[:120]


class SlowCallbacks:
    """Records callbacks slower than ``threshold_ms`` while entered."""

    def __init__(self, threshold_ms: float = 10.0) -> None:
        """Keep nothing until entered."""
        self.threshold = threshold_ms / 1000
        self.slow: list[tuple[float, float, str]] = []
        self._original = events.Handle._run

    def __enter__(self) -> SlowCallbacks:
        """Start timing every callback."""
        original, slow, threshold = self._original, self.slow, self.threshold

        def timed_run(handle: asyncio.Handle) -> None:
            started = time.perf_counter()
            original(handle)
            took = time.perf_counter() - started
            if took > threshold:
                slow.append((started, took, _name(handle)))

        events.Handle._run = timed_run  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop timing."""
        events.Handle._run = self._original  # type: ignore[method-assign]

    def figures(self, since: float, top: int = 8) -> dict[str, Any]:
        """Return the ``top`` slowest callbacks (ms after ``since``, ms, name)."""
        slowest = sorted(self.slow, key=lambda record: -record[1])[:top]
        return {
            "slow_callbacks": [
                [round((at - since) * 1000, 1), round(took * 1000, 1), name]
                for at, took, name in sorted(slowest)
            ]
        }
