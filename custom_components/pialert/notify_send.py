"""Sends one rule's message to its channels, and remembers how it went.

Channels: Home Assistant ``notify`` entities (``notify.send_message``) and
notify services (with Acknowledge / Silence 1 h buttons), a persistent
notification, the PiAlert relay, webhooks (through the outbox) and
Alertmanagers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, TemplateError
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util

from .alertmanager_push import AlertmanagerPush, PushRetryingError
from .engine.models import Incident
from .engine.notify.alertmanager import AlertInfo
from .engine.notify.alertmanager_book import BookedAlert
from .engine.notify.messages import Detail, compose
from .engine.notify.planner import Dispatch, What
from .engine.notify.rules import NotificationRule
from .engine.notify.webhooks import MONITOR_TYPES, payload
from .local_time import local_time_text
from .notify_actions import action_buttons
from .notify_log import DeliveryLog, DeliveryRecord
from .webhook_outbox import WebhookOutbox

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator
    from .relay import Relay

_LOGGER = logging.getLogger(__name__)
ALERTING: Final = frozenset({What.DOWN, What.ESCALATION, What.REMINDER, What.UPDATED})
WEBHOOK_EVENTS: Final = {
    What.DOWN: ("monitor.down",),
    What.ESCALATION: ("monitor.down",),
    What.RECOVERED: ("monitor.up", "incident.resolved"),
    What.TEST: ("test",),
}


def _address(settings: Mapping[str, Any]) -> str | None:
    for key in ("url", "host", "hostname", "entity_id"):
        if isinstance(value := settings.get(key), str):
            return value
    return None


class Sender:
    """Renders a dispatch and sends it to each of its channels."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: PiAlertCoordinator,
        rules: Callable[[], Mapping[str, NotificationRule]],
        phrases: Mapping[str, str],
        relay: Callable[[], Relay | None],
    ) -> None:
        """Send for this hub's rules, in these (translated) phrases."""
        self._hass = hass
        self._coordinator = coordinator
        self._rules = rules
        self.phrases = phrases
        self._relay = relay
        self.log = DeliveryLog()
        self.outbox = WebhookOutbox(hass, self._webhook, self._webhook_report)
        self.alertmanager = AlertmanagerPush(hass, self._push_report)

    def _webhook(self, key: str) -> tuple[str, str | None] | None:
        rule_id, _, step = key.rpartition(":")
        rule = self._rules().get(rule_id)
        return rule.webhook(int(step)) if rule and step.isdigit() else None

    def _webhook_report(self, delivery: Any, status: str, error: str | None) -> None:
        rule = self._rules().get(delivery.rule_id)
        self.log.add(
            DeliveryRecord(
                dt_util.utcnow(),
                delivery.rule_id,
                rule.name if rule else delivery.rule_id,
                delivery.event,
                f"webhook:{delivery.webhook.rpartition(':')[2]}",
                status,
                (name,) if (name := delivery.monitor_name) else (),
                error=error,
            )
        )

    def _push_report(
        self, url: str, alerts: list[BookedAlert], status: str, error: str | None
    ) -> None:
        """Record how a retried push went, per rule and per firing/resolved."""
        groups: dict[tuple[str, What], list[str]] = {}
        for booked in alerts:
            what = What.RECOVERED if booked.resolved else What.DOWN
            groups.setdefault((booked.rule_id, what), []).append(booked.alert.name)
        for (rule_id, what), names in groups.items():
            rule = self._rules().get(rule_id)
            self.log.add(
                DeliveryRecord(
                    dt_util.utcnow(),
                    rule_id,
                    rule.name if rule else rule_id,
                    what.value,
                    f"alertmanager:{url}",
                    status,
                    tuple(names),
                    error=error,
                )
            )

    def _incidents(self, target_ids: Collection[str]) -> dict[str, Incident]:
        """Return each target's latest incident, in one pass over the history.

        One pass for a whole message: 1,000 targets down at once would
        otherwise scan every incident once per target.
        """
        wanted = set(target_ids)
        latest: dict[str, Incident] = {}
        for incident in self._coordinator.monitor.history.incidents.values():
            if incident.target_id in wanted and (
                (kept := latest.get(incident.target_id)) is None
                or incident.started_at > kept.started_at
            ):
                latest[incident.target_id] = incident
        return latest

    def details(self, ids: tuple[str, ...]) -> dict[str, Detail]:
        """Return what messages say of these targets now."""
        now = dt_util.utcnow()
        views = self._coordinator.data.targets
        out: dict[str, Detail] = {}
        incidents = self._incidents(ids)
        for target_id in ids:
            if (view := views.get(target_id)) is None:
                continue
            incident = incidents.get(target_id)
            out[target_id] = Detail(
                id=target_id,
                name=view.target.name,
                error=view.last_error
                or (incident.last_error or "" if incident else ""),
                since=local_time_text(incident.started_at, now) if incident else "",
                failures=view.consecutive_failures,
                severity=str(view.target.settings.severity),
            )
        return out

    def render(
        self, rule: NotificationRule, dispatch: Dispatch, details: Mapping[str, Detail]
    ) -> tuple[str, str]:
        """Return (title, message): the rule's templates, else the defaults.

        ``details`` names the dispatch's targets and dependants.
        """
        minutes = rule.steps[dispatch.step].after_minutes
        title, message = compose(dispatch, details, rule.name, minutes, self.phrases)
        variables = {
            "event": dispatch.what.value,
            "rule": rule.name,
            "title": title,
            "message": message,
            "count": len(dispatch.target_ids),
            "targets": [
                vars_of(details[t]) for t in dispatch.target_ids if t in details
            ],
            "dependants": [
                details[t].name for t in dispatch.dependants if t in details
            ],
            "by": dispatch.by,
        }
        for template, default in (
            (rule.title_template, title),
            (rule.message_template, message),
        ):
            if template is None:
                continue
            try:
                text = Template(template, self._hass).async_render(
                    variables, parse_result=False
                )
            except TemplateError as err:
                _LOGGER.warning("Template of rule %s failed: %s", rule.name, err)
                text = default
            if template is rule.title_template:
                title = text
            else:
                message = text
        return title, message

    async def async_send(self, dispatch: Dispatch) -> list[DeliveryRecord]:
        """Send a dispatch to each of its channels; return the records."""
        rule = self._rules().get(dispatch.rule_id)
        if rule is None:
            return []
        # Built once per message: a burst's message names 1,000 targets.
        details = self.details(dispatch.target_ids + dispatch.dependants)
        title, message = self.render(rule, dispatch, details)
        names = tuple(details[t].name for t in dispatch.target_ids if t in details)
        records: list[DeliveryRecord] = []
        for channel in dispatch.channels:
            kind, _, address = channel.partition(":")
            status, error = "sent", None
            try:
                status = await self._async_channel(
                    rule, dispatch, kind, address, title, message
                )
            except PushRetryingError as err:
                status, error = "retrying", str(err)
            except (HomeAssistantError, ValueError) as err:
                status, error = "failed", str(err) or type(err).__name__
            record = DeliveryRecord(
                dt_util.utcnow(),
                rule.id,
                rule.name,
                dispatch.what.value,
                channel,
                status,
                names,
                message,
                error,
            )
            self.log.add(record)
            records.append(record)
        return records

    async def _async_channel(
        self,
        rule: NotificationRule,
        dispatch: Dispatch,
        kind: str,
        address: str,
        title: str,
        message: str,
    ) -> str:
        """Send to one channel; return the record's status."""
        match kind:
            case "entity":
                await self._hass.services.async_call(
                    "notify",
                    "send_message",
                    {"entity_id": address, "title": title, "message": message},
                    blocking=True,
                )
            case "service":
                data: dict[str, Any] = {"title": title, "message": message}
                if dispatch.what in ALERTING:
                    data["data"] = {
                        "actions": action_buttons(
                            dispatch.target_ids,
                            self.phrases.get(
                                "notify_action_acknowledge", "Acknowledge"
                            ),
                            self.phrases.get("notify_action_silence", "Silence 1 h"),
                        )
                    }
                await self._hass.services.async_call(
                    "notify", address.removeprefix("notify."), data, blocking=True
                )
            case "persistent":
                persistent_notification.async_create(
                    self._hass, message, title, f"pialert_rule_{rule.id}"
                )
            case "relay":
                return await self._async_relay(dispatch)
            case "webhook":
                return self._queue_webhooks(rule, dispatch, int(address))
            case "alertmanager":
                return await self._async_alertmanager(rule, dispatch, address, message)
        return "sent"

    async def _async_relay(self, dispatch: Dispatch) -> str:
        relay = self._relay()
        if relay is None:
            raise ValueError("no relay is configured in the hub options")
        if dispatch.what in ALERTING or dispatch.what is What.TEST:
            await relay.async_set_override(True)
        elif dispatch.what is What.RECOVERED:
            await relay.async_set_override(None)
        return "sent"

    def _monitor(self, target_id: str, status: str) -> dict[str, Any]:
        target = self._coordinator.monitor.targets.get(target_id)
        if target is None:
            return {"id": target_id, "status": status}
        return {
            "id": target.id,
            "name": target.name,
            "type": MONITOR_TYPES.get(target.kind.value, target.kind.value),
            "target": _address(target.saved_settings),
            "status": status,
        }

    def _queue_webhooks(
        self, rule: NotificationRule, dispatch: Dispatch, step: int
    ) -> str:
        events = WEBHOOK_EVENTS.get(dispatch.what)
        if events is None:
            return "skipped"  # reminders and acknowledgements are not webhook events
        stamp = dt_util.utcnow().isoformat()
        key = f"{rule.id}:{step}"
        if dispatch.what is What.TEST:
            body = payload("test", stamp, {"name": rule.name, "status": "test"}, None)
            self.outbox.enqueue(key, rule.id, "test", body)
            return "queued"
        status = "up" if dispatch.what is What.RECOVERED else "down"
        incidents = self._incidents(dispatch.target_ids)
        for target_id in dispatch.target_ids:
            incident = incidents.get(target_id)
            incident_data = None
            if incident is not None:
                incident_data = {
                    "id": incident.id,
                    "started_at": incident.started_at.isoformat(),
                    "error_message": incident.last_error or incident.first_error,
                }
                if incident.ended_at is not None:
                    incident_data["resolved_at"] = incident.ended_at.isoformat()
            for event in events:
                body = payload(
                    event, stamp, self._monitor(target_id, status), incident_data
                )
                self.outbox.enqueue(key, rule.id, event, body)
        return "queued"

    async def _async_alertmanager(
        self, rule: NotificationRule, dispatch: Dispatch, url: str, message: str
    ) -> str:
        site = rule.site or self._hass.config.location_name
        now = dt_util.utcnow()
        alerts: list[AlertInfo] = []
        incidents = self._incidents(dispatch.target_ids)
        for target_id, detail in self.details(dispatch.target_ids).items():
            incident = incidents.get(target_id)
            target = self._coordinator.monitor.targets[target_id]
            ended = None
            if dispatch.what is What.RECOVERED:
                ended = incident.ended_at if incident and incident.ended_at else now
            alerts.append(
                AlertInfo(
                    target_id=target_id,
                    name=detail.name,
                    kind=target.kind.value,
                    severity=detail.severity,
                    tags=target.tags,
                    summary=f"{detail.name} is down",
                    error=detail.error,
                    starts_at=(incident.started_at if incident else now).isoformat(),
                    ends_at=ended.isoformat() if ended else None,
                )
            )
        if dispatch.what is What.ACKNOWLEDGED:
            return "skipped"  # Alertmanager keeps its own silences
        if dispatch.what is What.TEST:
            # A test alert ends by itself, five minutes later.
            ends = (now + timedelta(minutes=5)).isoformat()
            test = AlertInfo(
                "test",
                f"test of {rule.name}",
                "test",
                "info",
                (),
                message,
                "",
                now.isoformat(),
                ends,
            )
            if error := await self.alertmanager.async_post_once(url, [test], site):
                raise ValueError(error)
            return "sent"
        # A failure raises PushRetryingError: the book retries the latest state.
        await self.alertmanager.async_update(url, alerts, site, rule.id)
        return "sent"


def vars_of(detail: Detail) -> dict[str, Any]:
    """Return a target's detail as template variables."""
    return {
        "id": detail.id,
        "name": detail.name,
        "error": detail.error,
        "since": detail.since,
        "failures": detail.failures,
        "severity": detail.severity,
    }
