"""Rate limits: per key, and failed authentications per client address.

Fixed one-minute windows: a window opens with its first request and the
``Retry-After`` it reports is exactly when the next window may open, so a
client that waits that long is served.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
import functools
import ipaddress
import math
import time

WINDOW_SECONDS = 60.0
FAILED_AUTH_LIMIT = 10
# Addresses remembered at once; beyond this the oldest windows are forgotten,
# so a flood from many addresses cannot grow memory without bound.
MAX_TRACKED_ADDRESSES = 10_000
# Failed authentications from one IPv6 /64 count together.
IPV6_CLIENT_PREFIX = 64


# Parsing an address costs more than the rest of a request's limiter work, and
# a client sends many requests: the names of recent addresses are kept.
@functools.lru_cache(maxsize=MAX_TRACKED_ADDRESSES)
def client_key(address: str | None) -> str:
    """Return the name failed authentications of ``address`` are counted under.

    An IPv6 client usually holds a whole /64, so the /64 is one client; an
    IPv4-mapped IPv6 address is its IPv4 address.
    """
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.partition("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


def _monotonic() -> float:
    # Looked up at call time, so tests that freeze the clock affect it.
    return time.monotonic()


@dataclass(slots=True)
class _Window:
    started: float
    count: int


class WindowLimiter:
    """Counts events per name in fixed windows, with bounded memory."""

    def __init__(
        self,
        max_names: int | None = None,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = _monotonic,
    ) -> None:
        """Create an empty limiter."""
        self._windows: OrderedDict[str, _Window] = OrderedDict()
        self._peak = 0
        self._max_names = max_names
        self._window = window
        self._clock = clock

    def __len__(self) -> int:
        """Return how many names are tracked."""
        return len(self._windows)

    def _evict(self, now: float) -> None:
        # Windows are ordered by start, so expired ones sit at the front.
        windows = self._windows
        while windows:
            first = next(iter(windows.values()))
            if now - first.started < self._window:
                break
            windows.popitem(last=False)
        if not windows and self._peak > 64:
            # An emptied dict keeps its table; a new one gives the memory back.
            self._windows = OrderedDict()
            self._peak = 0
        self._peak = max(self._peak, len(self._windows))

    def _current(self, name: str, now: float) -> _Window | None:
        window = self._windows.get(name)
        if window is not None and now - window.started >= self._window:
            del self._windows[name]
            return None
        return window

    def retry_after(self, name: str, limit: int) -> int | None:
        """Return seconds to wait if ``name`` has used up ``limit``, else None."""
        if not self._windows:
            return None  # nothing counted: the usual case, asked per request
        now = self._clock()
        self._evict(now)
        window = self._current(name, now)
        if window is None or window.count < limit:
            return None
        return self._wait(window, now)

    def hit(self, name: str, limit: int) -> int | None:
        """Count an event; return seconds to wait if it is over ``limit``."""
        now = self._clock()
        window = self._windows.get(name)
        if window is not None and now - window.started < self._window:
            # The usual case, a key's next request: one lookup, nothing swept.
            if window.count >= limit:
                return self._wait(window, now)
            window.count += 1
            return None
        # A window opens: the only time memory grows, so expired ones go first.
        self._windows.pop(name, None)
        self._evict(now)
        if self._max_names is not None:
            # Make room first, so there are never more than max_names.
            while self._windows and len(self._windows) >= self._max_names:
                self._windows.popitem(last=False)
        self._windows[name] = _Window(started=now, count=1)
        return None if limit >= 1 else math.ceil(self._window)

    def _wait(self, window: _Window, now: float) -> int:
        # Never 0: a client told to wait 0 s would be refused again.
        return max(1, math.ceil(window.started + self._window - now))

    def forget(self, name: str) -> None:
        """Drop a name's window (a deleted key)."""
        self._windows.pop(name, None)
