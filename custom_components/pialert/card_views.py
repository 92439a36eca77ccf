"""Targets as the card and the panel show them, and what changed between snapshots.

A view is plain JSON, small enough that one target's change costs well under
a kilobyte on the wire. ``CardFeed`` remembers what a subscriber was sent and
turns each new snapshot into only the views that differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from weakref import WeakKeyDictionary

from .engine.history import UPTIME_WINDOWS
from .engine.models import HistoryEventType, Silence, Status, TargetKind
from .engine.snapshot_changes import SnapshotFollower
from .engine.state import Snapshot, TargetView

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator

type CardView = dict[str, Any]

# History events after which a target's status is new (its "since").
STATUS_EVENTS: Final = frozenset(
    {
        HistoryEventType.DOWN,
        HistoryEventType.UP,
        HistoryEventType.PAUSED,
        HistoryEventType.RESUMED,
        HistoryEventType.EDITED,
    }
)
CHECK_BARS: Final = 30


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _ms(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def status_since(
    coordinator: PiAlertCoordinator, target_ids: Iterable[str]
) -> dict[str, datetime]:
    """Return when each target's status last changed, when history tells."""
    wanted = set(target_ids)
    found: dict[str, datetime] = {}
    for event in reversed(coordinator.monitor.history.events):
        if not wanted:
            break
        if event.target_id in wanted and event.type in STATUS_EVENTS:
            found[event.target_id] = event.at
            wanted.discard(event.target_id)
    return found


def check_bars(
    coordinator: PiAlertCoordinator, target_id: str
) -> tuple[int | None, list[list[int | None]]]:
    """Return the newest check's time and the last checks, oldest first.

    Each check is ``[seconds before the newest, ok 0/1, ms]``: relative times
    and whole milliseconds keep a target's change under a kilobyte. Errors
    are fetched on demand (``pialert/targets/checks``).
    """
    checks = coordinator.monitor.history.checks.last_packed(target_id, CHECK_BARS)
    if not checks:
        return None, []
    newest = checks[-1][0]
    return newest, [
        [newest - at, int(ok), round(ms) if ms is not None else None]
        for at, ok, ms in checks
    ]


def silenced_until(
    view: TargetView, silences: Iterable[Silence], now: datetime
) -> str | None:
    """Return when the last active silence covering a silenced target ends."""
    if not view.silenced:
        return None
    ends = [
        s.ends_at
        for s in silences
        if s.starts_at <= now < s.ends_at and s.matches(view.target)
    ]
    return _iso(max(ends)) if ends else None


def card_view(
    coordinator: PiAlertCoordinator,
    view: TargetView,
    now: datetime,
    *,
    since: datetime | None,
    device_id: str | None,
    silenced: str | None,
) -> CardView:
    """Return one target as the card shows it."""
    target = view.target
    history = coordinator.monitor.history
    ack = view.acknowledgement
    parent = coordinator.monitor.targets.get(target.depends_on or "")
    checks_at, checks = check_bars(coordinator, target.id)
    return {
        "id": target.id,
        "name": target.name,
        "kind": target.kind.value,
        "status": view.status.value,
        "tags": list(target.tags),
        "device_id": device_id,
        "since": _iso(since),
        "last_check": _iso(view.last_check),
        "last_ping": _iso(view.last_success)
        if target.kind is TargetKind.HEARTBEAT
        else None,
        "response_time_ms": _ms(view.response_time_ms),
        "error": view.last_error if view.status is not Status.UP else None,
        "uptime": {
            window: history.uptime(target.id, now, window) for window in UPTIME_WINDOWS
        },
        "acknowledged": (
            {"by": ack.by, "at": ack.at.isoformat(), "note": ack.note}
            if ack is not None
            else None
        ),
        "silenced_until": silenced,
        "depends_on": parent.name if parent is not None else None,
        "alerting": view.in_hub_alert,
        "checks_at": checks_at,
        "checks": checks,
    }


class KeptViews:
    """The views built for one monitor, shared by every subscriber.

    A view stays valid while the engine keeps the target's ``TargetView``
    object (it does while nothing about the target changed) and its silence
    end is the same; a device that appears later drops it (``invalidate``).
    Kept per monitor under a weak key, so it holds nothing leading back to
    the monitor.
    """

    def __init__(self) -> None:
        """Start with none built."""
        self.kept: dict[str, tuple[TargetView, str | None, CardView]] = {}
        self.built = 0
        """How many views were built (each costs about 0.1 ms)."""
        self.checked = SnapshotFollower()
        """The last snapshot noted: only changes since matter."""
        self.silences: tuple[Silence, ...] | None = None
        self.unsure: set[str] = set()
        """Targets changed, found stale or dropped, and not built since."""
        self.everything = True
        """Whether every target must be looked at (no change list was known)."""
        self.looked_at = 0
        """How many targets ``stale`` looked at (each costs a silence check)."""


_KEPT: WeakKeyDictionary[Any, KeptViews] = WeakKeyDictionary()


class SharedViews:
    """Every target's view of a coordinator, built once for all subscribers.

    ``card_warm`` keeps them current from setup on, so a subscriber finds
    them built.
    """

    def __init__(
        self,
        coordinator: PiAlertCoordinator,
        device_id: Callable[[str], str | None],
    ) -> None:
        """Build views of ``coordinator``'s targets; ``device_id`` names devices."""
        self._coordinator = coordinator
        self._device_id = device_id
        self._kept = _KEPT.setdefault(coordinator.monitor, KeptViews())

    @property
    def built(self) -> int:
        """How many views were built for this monitor so far."""
        return self._kept.built

    def _valid(
        self, snapshot: Snapshot, target_id: str, silenced: str | None
    ) -> CardView | None:
        kept = self._kept.kept.get(target_id)
        if (
            kept is None
            or kept[0] is not snapshot.targets[target_id]
            or kept[1] != silenced
        ):
            return None
        return kept[2]

    def note(self, snapshot: Snapshot) -> None:
        """Take note of what a published snapshot changed (call it for each).

        Each snapshot tells what changed since the one before: noting every
        one spares ``stale`` from looking at all targets.
        """
        shared = self._kept
        changed = shared.checked.advance(snapshot)
        if changed is None or snapshot.silences != shared.silences:
            # Silence ends are part of the views: look at every target.
            shared.silences = snapshot.silences
            shared.everything = True
        else:
            shared.unsure.update(changed)

    @property
    def waiting(self) -> int | None:
        """Return how many targets ``stale`` would look at (None: all of them)."""
        return None if self._kept.everything else len(self._kept.unsure)

    def stale(self, snapshot: Snapshot, now: datetime) -> list[str]:
        """Return the targets whose views must be built again.

        Only targets changed since it last looked (and those it found stale,
        not built since) are looked at: the others' views are still valid.
        """
        self.note(snapshot)
        shared = self._kept
        candidates = snapshot.targets if shared.everything else shared.unsure
        shared.everything = False
        stale: list[str] = []
        for target_id in candidates:
            view = snapshot.targets.get(target_id)
            if view is None:
                continue  # removed
            shared.looked_at += 1
            silenced = silenced_until(view, snapshot.silences, now)
            if self._valid(snapshot, target_id, silenced) is None:
                stale.append(target_id)
        shared.unsure = set(stale)
        return stale

    def invalidate(self, target_id: str) -> None:
        """Build this target's view again (its device just appeared)."""
        self._kept.kept.pop(target_id, None)
        self._kept.unsure.add(target_id)

    def views(
        self, snapshot: Snapshot, target_ids: Iterable[str], now: datetime
    ) -> dict[str, CardView]:
        """Return these targets' views, building only the ones not valid."""
        views: dict[str, CardView] = {}
        missing: list[tuple[str, str | None]] = []
        for target_id in target_ids:
            view = snapshot.targets[target_id]
            silenced = silenced_until(view, snapshot.silences, now)
            if (card := self._valid(snapshot, target_id, silenced)) is not None:
                views[target_id] = card
            else:
                missing.append((target_id, silenced))
        since = status_since(self._coordinator, (tid for tid, _ in missing))
        kept = self._kept.kept
        for target_id, silenced in missing:
            view = snapshot.targets[target_id]
            views[target_id] = card = card_view(
                self._coordinator,
                view,
                now,
                since=since.get(target_id),
                device_id=self._device_id(target_id),
                silenced=silenced,
            )
            kept[target_id] = (view, silenced, card)
        self._kept.built += len(missing)
        built = (target_id for target_id, _ in missing)
        if snapshot is self._kept.checked.last:
            self._kept.unsure.difference_update(built)
        else:
            # Built from another snapshot than ``stale`` last saw: check again.
            self._kept.unsure.update(built)
        if len(kept) > len(snapshot.targets):
            for target_id in kept.keys() - snapshot.targets.keys():
                del kept[target_id]
        return views


class CardFeed:
    """What one subscriber was sent, and the changes a new snapshot brings."""

    def __init__(
        self,
        coordinator: PiAlertCoordinator,
        device_id: Callable[[str], str | None],
    ) -> None:
        """Follow ``coordinator``'s snapshots; ``device_id`` names target devices."""
        self._seen = SnapshotFollower()
        self._silences: tuple[Silence, ...] = ()
        self._sent: dict[str, CardView] = {}
        self.views = SharedViews(coordinator, device_id)
        """The views shared with every other subscriber of the coordinator."""

    def full(self, snapshot: Snapshot, now: datetime) -> list[CardView]:
        """Return every target's view (the first message), by name."""
        self._seen.advance(snapshot)
        self._silences = snapshot.silences
        self._sent = self.views.views(snapshot, snapshot.targets, now)
        return sorted(self._sent.values(), key=lambda v: str(v["name"]).casefold())

    def changes(
        self, snapshot: Snapshot, now: datetime
    ) -> tuple[list[CardView], list[str]]:
        """Return the views that differ from what was sent, and removed ids.

        Views the engine did not rebuild are the same objects: only rebuilt
        ones (or all, when silences changed) are turned into JSON again, and
        only targets the snapshot says changed are looked at.
        """
        previous = self._seen.last
        changed = self._seen.advance(snapshot)
        targets = snapshot.targets
        candidates: Iterable[str]
        if snapshot.silences != self._silences:
            candidates = targets
        elif changed is None:
            seen = previous.targets if previous is not None else {}
            candidates = [t for t, view in targets.items() if seen.get(t) is not view]
        else:
            candidates = [t for t in changed if t in targets]
        removed = [
            target_id
            for target_id in (self._sent if changed is None else changed)
            if target_id in self._sent and target_id not in targets
        ]
        self._silences = snapshot.silences
        new_views = [
            view
            for target_id, view in self.views.views(snapshot, candidates, now).items()
            if self._sent.get(target_id) is not view
            and self._sent.get(target_id) != view
        ]
        for view in new_views:
            self._sent[view["id"]] = view
        for target_id in removed:
            del self._sent[target_id]
        return new_views, removed
