"""Grouping, reminders, escalation and recovery for each notification rule.

The planner is fed what the targets look like (``observe``) and the time
(``due``); it returns what to send (``Dispatch``) and when it next needs to
be woken (``next_wake``). It keeps no clock of its own, so frozen-clock
tests drive it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from .rules import NotificationRule, When


class What(StrEnum):
    """What a message says."""

    DOWN = "down"
    ESCALATION = "escalation"
    REMINDER = "reminder"
    ACKNOWLEDGED = "acknowledged"
    RECOVERED = "recovered"
    UPDATED = "updated"
    TEST = "test"


# Which of a rule's "when" choices lets each message through.
WHEN_OF = {
    What.DOWN: When.DOWN,
    What.ESCALATION: When.DOWN,
    What.REMINDER: When.REMINDER,
    What.ACKNOWLEDGED: When.ACKNOWLEDGED,
    What.RECOVERED: When.RECOVERED,
    What.UPDATED: When.UPDATED,
}


@dataclass(frozen=True, slots=True)
class Seen:
    """What the planner needs to know of one target."""

    id: str
    name: str
    tags: tuple[str, ...] = ()
    severity: str = "critical"
    down: bool = False
    """Down by its own results (not unreachable because of its parent)."""
    quiet: bool = False
    """Acknowledged or silenced: escalation and reminders stop."""
    acknowledged_by: str | None = None
    unreachable_parent: str | None = None
    """The parent it depends on, when it is unreachable because of it."""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Dispatch:
    """One message of one rule to some channels, about some targets."""

    rule_id: str
    what: What
    target_ids: tuple[str, ...]
    channels: tuple[str, ...]
    dependants: tuple[str, ...] = ()
    step: int = 0
    by: str | None = None


@dataclass(slots=True)
class Episode:
    """One target's outage as one rule follows it."""

    started: datetime
    channels: set[str]
    step: int = 0
    reminders: int = 0
    next_reminder: datetime | None = None
    quiet: bool = False
    error: str | None = None


@dataclass(slots=True)
class RuleState:
    """One rule's outages and grouped burst, as saved across a restart."""

    episodes: dict[str, Episode] = field(default_factory=dict)
    pending: dict[str, datetime] = field(default_factory=dict)
    group_due: datetime | None = None


@dataclass(slots=True)
class RulePlanner:
    """One rule's outages, its burst being grouped, and their timers."""

    rule: NotificationRule
    episodes: dict[str, Episode] = field(default_factory=dict)
    pending: dict[str, datetime] = field(default_factory=dict)
    group_due: datetime | None = None

    def _emit(self, out: list[Dispatch], dispatch: Dispatch) -> None:
        when = WHEN_OF.get(dispatch.what)
        if dispatch.target_ids and (when is None or when in self.rule.when):
            out.append(dispatch)

    def observe(
        self,
        seen: Mapping[str, Seen],
        now: datetime,
        *,
        adopt: bool = False,
        changed: Sequence[str] | None = None,
    ) -> list[Dispatch]:
        """Follow the targets' new looks; ``adopt`` takes outages as already told.

        ``changed``: the only targets that may look different since the last
        call, in ``seen``'s order (None: any may).
        """
        rule = self.rule
        out: list[Dispatch] = []
        recovered: dict[tuple[str, ...], list[str]] = {}
        acknowledged: list[tuple[str, str | None]] = []
        updated: list[str] = []
        for target_id in _in_order(self.episodes, changed):
            target = seen.get(target_id)
            episode = self.episodes[target_id]
            if target is None or not rule.covers(
                target.id, target.tags, target.severity
            ):
                del self.episodes[target_id]  # removed, or no longer this rule's
            elif not target.down:
                del self.episodes[target_id]
                recovered.setdefault(tuple(sorted(episode.channels)), []).append(
                    target_id
                )
            elif target.error != episode.error and not episode.quiet:
                # The incident changed (another error): "incident updated".
                episode.error = target.error
                updated.append(target_id)
            elif target.quiet != episode.quiet:
                episode.quiet = target.quiet
                if target.quiet and target.acknowledged_by is not None:
                    acknowledged.append((target_id, target.acknowledged_by))
                elif not target.quiet:
                    self._restart(episode, now)
        for target in (
            seen.values()
            if changed is None
            else [seen[t] for t in changed if t in seen]
        ):
            if target.id in self.episodes or not rule.covers(
                target.id, target.tags, target.severity
            ):
                continue
            alerting = target.down and not target.quiet
            if adopt and alerting and target.id not in self.pending:
                self.episodes[target.id] = self._new_episode(now)
                self.episodes[target.id].error = target.error
            elif alerting and target.id not in self.pending:
                self.pending[target.id] = now
                if self.group_due is None:
                    self.group_due = now + timedelta(seconds=rule.group_wait)
            elif not alerting and target.id in self.pending:
                # Recovered or acknowledged before anyone was told: nothing to say.
                del self.pending[target.id]
        for target_id in [
            t for t in (self.pending if changed is None else changed) if t not in seen
        ]:
            self.pending.pop(target_id, None)
        if not self.pending:
            self.group_due = None
        for told, recovered_ids in recovered.items():
            self._emit(
                out, Dispatch(rule.id, What.RECOVERED, tuple(recovered_ids), told)
            )
        if updated:
            engaged: set[str] = set().union(
                *(self.episodes[t].channels for t in updated)
            )
            self._emit(
                out,
                Dispatch(rule.id, What.UPDATED, tuple(updated), tuple(sorted(engaged))),
            )
        for by in {by for _, by in acknowledged}:
            acked = tuple(t for t, who in acknowledged if who == by)
            notified: set[str] = set().union(
                *(self.episodes[t].channels for t in acked if t in self.episodes)
            )
            self._emit(
                out,
                Dispatch(
                    rule.id, What.ACKNOWLEDGED, acked, tuple(sorted(notified)), by=by
                ),
            )
        out.extend(self.due(seen, now))
        return out

    def _new_episode(self, now: datetime) -> Episode:
        episode = Episode(started=now, channels=set(self.rule.step_channels(0)))
        self._restart(episode, now)
        return episode

    def _restart(self, episode: Episode, now: datetime) -> None:
        minutes = self.rule.reminder_minutes
        episode.reminders = 0
        episode.next_reminder = now + timedelta(minutes=minutes) if minutes else None

    def due(self, seen: Mapping[str, Seen], now: datetime) -> list[Dispatch]:
        """Send what is due at ``now``: the grouped burst, escalations, reminders."""
        out: list[Dispatch] = []
        if self.group_due is not None and now >= self.group_due:
            out.extend(self._flush(seen, now))
        escalations: dict[int, list[str]] = {}
        reminders: list[str] = []
        for target_id, episode in self.episodes.items():
            if episode.quiet:
                continue
            step = self._due_step(episode, now)
            if step is not None:
                episode.step = step
                episode.channels.update(self.rule.step_channels(step))
                escalations.setdefault(step, []).append(target_id)
                if episode.next_reminder is not None and now >= episode.next_reminder:
                    # The escalation says it already: remind one interval later.
                    episode.next_reminder = now + timedelta(
                        minutes=self.rule.reminder_minutes
                    )
            elif episode.next_reminder is not None and now >= episode.next_reminder:
                episode.reminders += 1
                reminders.append(target_id)
                episode.next_reminder = (
                    now + timedelta(minutes=self.rule.reminder_minutes)
                    if episode.reminders < self.rule.max_reminders
                    else None
                )
        for step, ids in sorted(escalations.items()):
            channels = self.rule.step_channels(step)
            self._emit(
                out,
                Dispatch(
                    self.rule.id, What.ESCALATION, tuple(ids), channels, step=step
                ),
            )
        if reminders:
            notified: set[str] = set().union(
                *(self.episodes[t].channels for t in reminders)
            )
            self._emit(
                out,
                Dispatch(
                    self.rule.id,
                    What.REMINDER,
                    tuple(reminders),
                    tuple(sorted(notified)),
                    dependants=_dependants(reminders, seen),
                ),
            )
        return out

    def _due_step(self, episode: Episode, now: datetime) -> int | None:
        """Return the furthest step due and not yet reached."""
        reached = None
        for index in range(episode.step + 1, len(self.rule.steps)):
            delay = timedelta(minutes=self.rule.steps[index].after_minutes)
            if now >= episode.started + delay:
                reached = index
        return reached

    def _flush(self, seen: Mapping[str, Seen], now: datetime) -> list[Dispatch]:
        # In the order they went down (pending keeps insertion order).
        ids = tuple(t for t in self.pending if t in seen)
        self.pending.clear()
        self.group_due = None
        first = self.rule.step_channels(0)
        minutes = self.rule.reminder_minutes
        reminder = now + timedelta(minutes=minutes) if minutes else None
        for target_id in ids:
            self.episodes[target_id] = Episode(
                started=now,
                channels=set(first),
                next_reminder=reminder,
                error=seen[target_id].error,
            )
        out: list[Dispatch] = []
        self._emit(
            out,
            Dispatch(
                self.rule.id,
                What.DOWN,
                ids,
                self.rule.step_channels(0),
                dependants=_dependants(ids, seen),
            ),
        )
        return out

    def next_wake(self) -> datetime | None:
        """Return when ``due`` next has something to do."""
        times = [self.group_due] if self.group_due is not None else []
        for episode in self.episodes.values():
            if episode.quiet:
                continue
            if episode.next_reminder is not None:
                times.append(episode.next_reminder)
            if episode.step + 1 < len(self.rule.steps):
                after = self.rule.steps[episode.step + 1].after_minutes
                times.append(episode.started + timedelta(minutes=after))
        return min(times, default=None)


def _in_order(ids: Mapping[str, object], changed: Sequence[str] | None) -> list[str]:
    """Return the keys of ``ids`` that may have changed, in ``ids``' order."""
    if changed is None:
        return list(ids)
    hit = {t for t in changed if t in ids}
    return [t for t in ids if t in hit] if hit else []


def _dependants(parent_ids: Iterable[str], seen: Mapping[str, Seen]) -> tuple[str, ...]:
    """Return the targets unreachable because one of ``parent_ids`` is down."""
    parents = set(parent_ids)
    found: list[str] = []
    for target in seen.values():
        current, hops = target.unreachable_parent, 0
        while current is not None and current not in parents and hops < len(seen):
            parent = seen.get(current)
            current, hops = (parent.unreachable_parent if parent else None), hops + 1
        if current in parents:
            found.append(target.id)
    return tuple(sorted(found, key=lambda t: seen[t].name.casefold()))


class Planner:
    """Every rule's planner; rules may change without losing their outages."""

    def __init__(self) -> None:
        """Start with no rules."""
        self.rules: dict[str, RulePlanner] = {}
        self._adopted = False
        self._restored: dict[str, RuleState] = {}

    def restore(self, states: Mapping[str, RuleState]) -> None:
        """Continue the outages saved before a restart (before ``set_rules``)."""
        self._restored = dict(states)

    def set_rules(self, rules: Iterable[NotificationRule]) -> None:
        """Use these rules; a kept rule keeps its outages and timers."""
        planners: dict[str, RulePlanner] = {}
        for rule in rules:
            planner = self.rules.get(rule.id)
            if planner is None:
                state = self._restored.pop(rule.id, RuleState())
                planner = RulePlanner(
                    rule, state.episodes, state.pending, state.group_due
                )
            planner.rule = rule
            planners[rule.id] = planner
        self.rules = planners

    def observe(
        self,
        seen: Mapping[str, Seen],
        now: datetime,
        changed: Sequence[str] | None = None,
    ) -> list[Dispatch]:
        """Follow the targets; the first call adopts outages already under way.

        ``changed``: the targets that may look different since the last call,
        in ``seen``'s order (None: any may; always so for the first call).
        """
        adopt, self._adopted = not self._adopted, True
        if adopt:
            changed = None
        return [
            d
            for p in self.rules.values()
            for d in p.observe(seen, now, adopt=adopt, changed=changed)
        ]

    def due(self, seen: Mapping[str, Seen], now: datetime) -> list[Dispatch]:
        """Return what is due at ``now``."""
        return [d for p in self.rules.values() for d in p.due(seen, now)]

    def next_wake(self) -> datetime | None:
        """Return when ``due`` next has something to do."""
        return min(
            (t for p in self.rules.values() if (t := p.next_wake()) is not None),
            default=None,
        )

    def test(self, rule_id: str) -> Dispatch:
        """Return a test message to every channel of the rule."""
        rule = self.rules[rule_id].rule
        channels = sorted(
            {c for i in range(len(rule.steps)) for c in rule.step_channels(i)}
        )
        return Dispatch(rule_id, What.TEST, (), tuple(channels))
