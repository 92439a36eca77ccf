"""Entity group targets: many entities, one verdict.

Which entities belong to a group is decided from facts the glue reads from
Home Assistant's registries (``MemberFacts``); each member's state is pushed
here one change at a time. A member fails as a single entity target would, and
counts once its failure has held for ``for_seconds``; the group fails when the
rule (any, at least N, a share) is met by the members that count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from .group_settings import GROUP_SELECTION, EntityGroupSettings, GroupRule
from .probes.entity import UNAVAILABLE_STATES, condition_failure
from .settings import EntityCondition

# Members named in a group's error; the rest are counted ("and 12 more").
NAMED_MEMBERS: Final = 10


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the registries say about one entity, as far as groups care."""

    entity_id: str
    name: str
    platform: str | None = None
    device_id: str | None = None
    area_id: str | None = None
    floor_id: str | None = None
    labels: frozenset[str] = frozenset()
    disabled: bool = False
    hidden: bool = False

    @property
    def domain(self) -> str:
        """Return the entity's domain (``sensor`` of ``sensor.x``)."""
        return self.entity_id.partition(".")[0]


def _eligible(settings: EntityGroupSettings, facts: MemberFacts) -> bool:
    """Return whether a chosen entity may be a member (exclusions, disabled, hidden)."""
    if (facts.disabled and not settings.include_disabled) or (
        facts.hidden and not settings.include_hidden
    ):
        return False
    return facts.entity_id not in (settings.exclude_entities or ()) and (
        facts.platform not in (settings.exclude_integrations or ())
    )


class FactIndex:
    """Entities by each thing a group may choose them by.

    Built once per rebuild, so working out a group's members costs its own
    size, not the number of entities times the number of groups.
    """

    def __init__(self, facts: Iterable[MemberFacts]) -> None:
        """Index ``facts``."""
        self.facts: dict[str, MemberFacts] = {}
        self._by: dict[str, dict[str, set[str]]] = {
            name: {} for name in GROUP_SELECTION if name != "entities"
        }
        for fact in facts:
            self.facts[fact.entity_id] = fact
            for name, values in (
                ("domains", (fact.domain,)),
                ("integrations", (fact.platform,)),
                ("devices", (fact.device_id,)),
                ("areas", (fact.area_id,)),
                ("floors", (fact.floor_id,)),
                ("labels", fact.labels),
            ):
                for value in values:
                    if value:
                        self._by[name].setdefault(value, set()).add(fact.entity_id)

    def members(self, settings: EntityGroupSettings) -> dict[str, str]:
        """Return the entities ``settings`` choose, their names by entity id."""
        chosen = {e for e in settings.entities or () if e in self.facts}
        for name, by_value in self._by.items():
            for value in getattr(settings, name) or ():
                chosen |= by_value.get(value, set())
        return {
            entity_id: self.facts[entity_id].name
            for entity_id in sorted(chosen)
            if _eligible(settings, self.facts[entity_id])
        }


def _state_words(settings: EntityGroupSettings) -> str:
    """Return how the failing members are described ("unavailable", "above 80")."""
    match settings.condition:
        case EntityCondition.UNAVAILABLE:
            return "unavailable"
        case EntityCondition.EQUALS:
            return str(settings.value)
        case EntityCondition.NOT_EQUALS:
            return f"not {settings.value}"
        case EntityCondition.ABOVE:
            return f"above {settings.value}"
        case _:
            return f"below {settings.value}"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A group's outcome now, and when it may change without a state change."""

    failed: bool
    error: str | None
    failing: int
    """How many members count: failing, and held for ``for_seconds``."""
    wake_at: datetime | None


class GroupMembers:
    """One group's members and which of them fail since when."""

    def __init__(self, title: str, settings: EntityGroupSettings) -> None:
        """Start with no member."""
        self.title = title
        self.settings = settings
        self.names: dict[str, str] = {}
        # Failing members in the order they started failing, and their state.
        # Two flat maps, not (since, state) pairs: a burst of changes then
        # allocates no container the garbage collector has to track.
        self._since: dict[str, datetime] = {}
        self._state: dict[str, str | None] = {}

    def set_members(
        self, names: Mapping[str, str], states: Mapping[str, str | None], now: datetime
    ) -> None:
        """Take a new membership; members that stay keep their failing time."""
        self.names = dict(names)
        for entity_id in [e for e in self._since if e not in self.names]:
            del self._since[entity_id], self._state[entity_id]
        for entity_id in self.names:
            self.update(entity_id, states.get(entity_id), now)

    def update(self, entity_id: str, state: str | None, now: datetime) -> None:
        """Take a member's new state (None: the entity does not exist)."""
        settings = self.settings
        failure = condition_failure(
            entity_id, settings.condition, settings.value, state
        )
        if failure is None:
            if self._since.pop(entity_id, None) is not None:
                del self._state[entity_id]
            return
        # Still failing: keep when it started, note the current state.
        self._since.setdefault(entity_id, now)
        self._state[entity_id] = state

    def verdict(self, now: datetime) -> Verdict:
        """Return whether the group fails now, naming the members that count."""
        settings = self.settings
        total = len(self.names)
        if not total:
            return Verdict(True, "No entity matches the selection", 0, None)
        held = timedelta(seconds=settings.for_seconds)
        if not settings.for_seconds:
            # Every failing member counts at once: nothing to wait for.
            counted = list(self._since)
            wake_at: datetime | None = None
        else:
            counted = []
            wake_at = None
            for entity_id, since in self._since.items():
                if since + held <= now:
                    counted.append(entity_id)
                elif wake_at is None or since + held < wake_at:
                    wake_at = since + held
        if not self._rule_met(len(counted), total):
            return Verdict(False, None, len(counted), wake_at)
        # Only the members the message names are looked up.
        names = tuple(self._member_name(e) for e in counted[:NAMED_MEMBERS])
        message = self._message(names, len(counted), total)
        return Verdict(True, message, len(counted), wake_at)

    def _rule_met(self, failing: int, total: int) -> bool:
        settings = self.settings
        if settings.rule is GroupRule.AT_LEAST:
            return failing >= (settings.at_least or 1)
        if settings.rule is GroupRule.SHARE:
            return failing > 0 and failing * 100 >= (settings.share or 100) * total
        return failing > 0

    def _member_name(self, entity_id: str) -> str:
        name = self.names.get(entity_id, entity_id)
        state = self._state[entity_id]
        unavailable = state is None or state in UNAVAILABLE_STATES
        if unavailable and self.settings.condition is not EntityCondition.UNAVAILABLE:
            return f"{name} ({state or 'missing'})"
        return name

    def _message(self, names: tuple[str, ...], failing: int, total: int) -> str:
        shown = ", ".join(names)
        if failing > len(names):
            shown += f" and {failing - len(names)} more"
        words = _state_words(self.settings)
        if self.settings.for_seconds:
            words += f" for {self.settings.for_seconds} s"
        return f"{failing} of {total} {self.title} {words}: {shown}"


def member_names(
    settings: EntityGroupSettings, facts: Iterable[MemberFacts]
) -> dict[str, str]:
    """Return the chosen members' names by entity id."""
    return FactIndex(facts).members(settings)
