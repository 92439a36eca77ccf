"""Notification rules at work: follows the hub's snapshot, sends what is due.

The planner (engine/notify) decides; this drives it with the coordinator's
snapshots and Home Assistant's timers (so frozen-clock tests drive it), and
hands its dispatches to the sender.
"""

from __future__ import annotations

from datetime import datetime
import logging
from typing import TYPE_CHECKING, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import translation
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, SUBENTRY_TYPE_NOTIFICATION_RULE
from .engine.notify.messages import PHRASES
from .engine.notify.planner import Dispatch, Planner
from .engine.notify.rules import NotificationRule, parse_rule
from .engine.notify.seen import SeenTargets
from .engine.state import Snapshot
from .notify_actions import async_listen_actions
from .notify_log import DeliveryRecord
from .notify_send import Sender
from .notify_state import PlannerStore

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry

_LOGGER = logging.getLogger(__name__)

NOTIFIERS: Final[HassKey[dict[str, Notifier]]] = HassKey(f"{DOMAIN}_notifiers")
EXTRA_PHRASES: Final = ("notify_action_acknowledge", "notify_action_silence")


def rules_of(entry: PiAlertConfigEntry) -> dict[str, NotificationRule]:
    """Return the hub's valid notification rules by id."""
    rules: dict[str, NotificationRule] = {}
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_TYPE_NOTIFICATION_RULE:
            continue
        rule, errors = parse_rule(subentry.subentry_id, subentry.data)
        if rule is None:
            _LOGGER.error("Notification rule %s is invalid: %s", subentry.title, errors)
        else:
            rules[rule.id] = rule
    return rules


async def async_load_phrases(hass: HomeAssistant) -> dict[str, str]:
    """Return the notification phrases in Home Assistant's language."""
    strings = await translation.async_get_translations(
        hass, hass.config.language, "exceptions", [DOMAIN]
    )
    phrases: dict[str, str] = {}
    for key in (*PHRASES, *EXTRA_PHRASES):
        text = strings.get(f"component.{DOMAIN}.exceptions.{key}.message")
        if text:
            phrases[key] = text
    return phrases


class Notifier:
    """The hub's notification rules, following its alerts."""

    def __init__(self, hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
        """Follow this hub."""
        self.hass = hass
        self.entry = entry
        self.coordinator = entry.runtime_data.coordinator
        self.rules: dict[str, NotificationRule] = {}
        self.planner = Planner()
        self.sender = Sender(
            hass,
            self.coordinator,
            lambda: self.rules,
            {},
            lambda: entry.runtime_data.relay,
        )
        self.planner_store = PlannerStore(
            hass, self.planner, self.sender.alertmanager.book
        )
        self.sender.alertmanager.changed = self.planner_store.changed
        self._timer: CALLBACK_TYPE | None = None
        self._unsubs: list[CALLBACK_TYPE] = []
        self._last: Snapshot | None = None
        self._seen = SeenTargets()

    async def async_start(self) -> None:
        """Load phrases and the outbox, then follow the snapshot and the rules."""
        self.sender.phrases = await async_load_phrases(self.hass)
        await self.sender.outbox.async_load()
        await self.planner_store.async_load()
        self.sync_rules()
        self.sender.alertmanager.async_start()
        self._unsubs.append(self.coordinator.async_add_listener(self._on_snapshot))
        self._unsubs.append(async_listen_actions(self.hass))
        self._unsubs.append(self.entry.add_update_listener(self._async_updated))
        self.hass.data.setdefault(NOTIFIERS, {})[self.entry.entry_id] = self
        self._on_snapshot()

    @callback
    def sync_rules(self) -> None:
        """Apply added, changed and removed rules (outages are kept)."""
        self.rules = rules_of(self.entry)
        self.planner.set_rules(self.rules.values())
        self.sender.alertmanager.async_keep_rules(self.rules.values())
        # New rules look at every target, not only at those that change.
        self._last = None
        self._seen.forget()
        if self._unsubs:
            self._on_snapshot()

    async def _async_updated(
        self, _hass: HomeAssistant, _entry: PiAlertConfigEntry
    ) -> None:
        # Rules are subentries: apply them in place, like targets. A bulk change
        # of targets (target_code.py) notifies once per target: the last one does.
        if self.coordinator.hold_target_sync:
            return
        self.sync_rules()

    @callback
    def _on_snapshot(self) -> None:
        snapshot = self.coordinator.data
        if snapshot is None or snapshot is self._last:
            return
        self._last = snapshot
        changed = self._seen.update(snapshot)
        self._run(self.planner.observe(self._seen.seen, dt_util.utcnow(), changed))

    @callback
    def _on_timer(self, _now: datetime) -> None:
        self._timer = None
        self._run(self.planner.due(self._seen.seen, dt_util.utcnow()))

    @callback
    def _run(self, dispatches: list[Dispatch]) -> None:
        for dispatch in dispatches:
            # Not started eagerly: a burst's message (naming up to thousands of
            # targets) is then built in a loop turn of its own, not in the
            # one that published the burst.
            self.entry.async_create_background_task(
                self.hass,
                self.sender.async_send(dispatch),
                f"{DOMAIN} notify",
                eager_start=False,
            )
        self.planner_store.changed()
        if self._timer is not None:
            self._timer()
            self._timer = None
        if (wake := self.planner.next_wake()) is not None:
            self._timer = async_track_point_in_utc_time(self.hass, self._on_timer, wake)

    async def async_send_test(self, rule_id: str) -> list[DeliveryRecord]:
        """Send a test message to every channel of one rule."""
        return await self.sender.async_send(self.planner.test(rule_id))

    def deliveries(self, rule_id: str | None = None) -> list[DeliveryRecord]:
        """Return the last deliveries (of one rule), oldest first."""
        return [
            r
            for r in self.sender.log.records
            if rule_id is None or r.rule_id == rule_id
        ]

    async def async_stop(self) -> None:
        """Stop timers and listeners; pending webhooks stay saved."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if self._timer is not None:
            self._timer()
            self._timer = None
        await self.sender.alertmanager.async_stop()
        await self.sender.outbox.async_stop()
        await self.planner_store.async_stop()
        self.hass.data.get(NOTIFIERS, {}).pop(self.entry.entry_id, None)


def notifier_of(hass: HomeAssistant) -> Notifier | None:
    """Return the loaded hub's notifier, if there is one."""
    return next(iter(hass.data.get(NOTIFIERS, {}).values()), None)


async def async_start_notifier(hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
    """Start the hub's notification rules; they stop with the entry."""
    notifier = Notifier(hass, entry)
    await notifier.async_start()
    entry.async_on_unload(notifier.async_stop)


def notifications_diagnostics(hass: HomeAssistant) -> dict[str, object]:
    """Return the rules' state and last deliveries, without addresses."""
    notifier = notifier_of(hass)
    if notifier is None:
        return {}

    def _channel(channel: str) -> str:
        kind, _, _address = channel.partition(":")
        return f"{kind}:**REDACTED**" if kind == "alertmanager" else channel

    return {
        "rules": {
            rule_id: {
                "name": planner.rule.name,
                "episodes": len(planner.episodes),
                "grouping": len(planner.pending),
                "next_wake": planner.next_wake(),
            }
            for rule_id, planner in notifier.planner.rules.items()
        },
        "pending_webhooks": len(notifier.sender.outbox.pending),
        "deliveries": [
            {**r.as_dict(), "channel": _channel(r.channel)}
            for r in list(notifier.sender.log.records)[-50:]
        ],
    }
