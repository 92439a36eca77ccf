"""``/api/pialert/v1/notification-rules``: list, create, read, change, delete, test.

Rules are subentries of the hub (the UI's "Notification rule"): the API
changes them through the command door, and the form's checks (the engine's
``parse_rule``) refuse the same data with the same translated words.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any, Final, TypedDict

from aiohttp import web
from homeassistant.config_entries import ConfigSubentry

from ..commands import HubCommands
from ..const import SUBENTRY_TYPE_NOTIFICATION_RULE
from ..engine.errors import RefusedError
from ..engine.notify.rule_fields import RULE_KEYS
from ..engine.notify.rules import Scope as RuleScope, When
from ..engine.settings import Severity
from ..notifier import notifier_of
from ..notify_rule_commands import InvalidRuleError, RuleCommands
from ..refusals import refusal_text
from ..url_masking import mask_password, public_channel
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import (
    bad_request,
    check_query,
    field_errors_detail,
    read_json_object,
    reject_unknown_fields,
)
from .rule_bodies import SECRET_KEY, body_type_errors, patched
from .shapes import DeletedBody, described, one_of_values

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator


class NotificationStepBody(TypedDict):
    """Where one step sends, from ``after_minutes`` into an unacknowledged alert."""

    after_minutes: int
    notify_entities: list[str]
    notify_services: list[str]
    persistent: bool
    relay: bool
    webhook_url: Annotated[
        str | None, described("Passwords in it are shown only to write keys.")
    ]
    webhook_secret_set: Annotated[
        bool, described("Whether the webhook signs its bodies (never shown).")
    ]
    alertmanager_urls: list[str]


class NotificationRuleBody(TypedDict):
    """A notification rule: what it is about, when it tells, and where."""

    id: str
    name: str
    scope: Annotated[str, one_of_values(RuleScope)]
    tags: list[str]
    target_ids: list[str]
    severities: Annotated[list[str], described(", ".join(Severity))]
    when: Annotated[list[str], described(", ".join(When))]
    group_wait: int
    reminder_minutes: int
    max_reminders: int
    steps: list[NotificationStepBody]
    title_template: str | None
    message_template: str | None
    site: str | None


class NotificationRuleListBody(TypedDict):
    """The hub's notification rules, by name."""

    notification_rules: list[NotificationRuleBody]


class RuleTestDeliveryBody(TypedDict):
    """How the test message went to one channel."""

    channel: str
    status: str
    error: str | None


class RuleTestBody(TypedDict):
    """The outcome of a rule's Send test, per channel."""

    rule_id: str
    deliveries: list[RuleTestDeliveryBody]


NOTIFICATION_RULE_BODIES: Final[tuple[type, ...]] = (
    NotificationRuleBody,
    NotificationRuleListBody,
    RuleTestBody,
)


def _step_json(step: Mapping[str, Any], write: bool) -> NotificationStepBody:
    def shown(url: str) -> str:
        return url if write else mask_password(url)

    webhook = step.get("webhook_url")
    return {
        "after_minutes": int(step.get("after_minutes") or 0),
        "notify_entities": list(step.get("notify_entities") or []),
        "notify_services": list(step.get("notify_services") or []),
        "persistent": bool(step.get("persistent", False)),
        "relay": bool(step.get("relay", False)),
        "webhook_url": None if webhook is None else shown(webhook),
        "webhook_secret_set": bool(step.get(SECRET_KEY)),
        "alertmanager_urls": [shown(u) for u in step.get("alertmanager_urls") or []],
    }


def rule_json(subentry: ConfigSubentry, write: bool) -> NotificationRuleBody:
    """Return a rule as the API shows it (the secret never, passwords to writers)."""
    data = subentry.data
    return {
        "id": subentry.subentry_id,
        "name": subentry.title,
        "scope": str(data.get("scope", RuleScope.ALL)),
        "tags": list(data.get("tags") or []),
        "target_ids": list(data.get("target_ids") or []),
        "severities": list(data.get("severities") or []),
        "when": list(data.get("when") or []),
        "group_wait": int(data.get("group_wait", 0)),
        "reminder_minutes": int(data.get("reminder_minutes", 0)),
        "max_reminders": int(data.get("max_reminders", 0)),
        "steps": [_step_json(step, write) for step in data.get("steps") or []],
        "title_template": data.get("title_template"),
        "message_template": data.get("message_template"),
        "site": data.get("site"),
    }


def _rules(coordinator: PiAlertCoordinator) -> RuleCommands:
    return HubCommands.of(coordinator.config_entry.runtime_data).notification_rules


def _known(rules: RuleCommands, rule_id: str) -> ConfigSubentry:
    try:
        return rules.subentry(rule_id)
    except RefusedError as err:
        raise ApiError(HTTPStatus.NOT_FOUND, refusal_text(err)) from None


async def _checked_body(request: web.Request, *, creating: bool) -> dict[str, Any]:
    body = await read_json_object(request)
    reject_unknown_fields(body, RULE_KEYS)
    if problems := body_type_errors(body, creating=creating):
        raise bad_request(" ".join(problems))
    return body


async def _refused(coordinator: PiAlertCoordinator, err: InvalidRuleError) -> ApiError:
    return bad_request(
        await field_errors_detail(
            coordinator.hass, err.errors, SUBENTRY_TYPE_NOTIFICATION_RULE
        )
    )


class NotificationRulesView(PiAlertView):
    """``/notification-rules``: list and create rules."""

    url = f"{API_PREFIX}/notification-rules"
    name = "api:pialert:notification_rules"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """List the rules by name."""
        check_query(request, ())
        write = key.scope is Scope.WRITE
        body: NotificationRuleListBody = {
            "notification_rules": [
                rule_json(s, write) for s in _rules(coordinator).subentries()
            ]
        }
        return json_response(body)

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a rule (a new subentry of the hub)."""
        check_query(request, ())
        body = await _checked_body(request, creating=True)
        try:
            subentry = _rules(coordinator).add(patched({}, body))
        except InvalidRuleError as err:
            raise await _refused(coordinator, err) from None
        return json_response(rule_json(subentry, True), HTTPStatus.CREATED)


class NotificationRuleView(PiAlertView):
    """``/notification-rules/{rule_id}``: read, change or delete one rule."""

    url = f"{API_PREFIX}/notification-rules/{{rule_id}}"
    name = "api:pialert:notification_rule"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        rule_id: str,
    ) -> web.Response:
        """Return one rule."""
        check_query(request, ())
        subentry = _known(_rules(coordinator), rule_id)
        return json_response(rule_json(subentry, key.scope is Scope.WRITE))

    @api_endpoint(Scope.WRITE)
    async def patch(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        rule_id: str,
    ) -> web.Response:
        """Change some fields of a rule; ``steps``, when given, replaces all."""
        check_query(request, ())
        rules = _rules(coordinator)
        subentry = _known(rules, rule_id)
        body = await _checked_body(request, creating=False)
        try:
            changed = rules.change(rule_id, patched(subentry.data, body))
        except InvalidRuleError as err:
            raise await _refused(coordinator, err) from None
        return json_response(rule_json(changed, True))

    @api_endpoint(Scope.WRITE)
    async def delete(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        rule_id: str,
    ) -> web.Response:
        """Delete a rule."""
        check_query(request, ())
        rules = _rules(coordinator)
        _known(rules, rule_id)
        rules.remove(rule_id)
        deleted: DeletedBody = {"deleted": rule_id}
        return json_response(deleted)


class NotificationRuleTestView(PiAlertView):
    """``/notification-rules/{rule_id}/test``: the rule's Send test."""

    url = f"{API_PREFIX}/notification-rules/{{rule_id}}/test"
    name = "api:pialert:notification_rule:test"

    @api_endpoint(Scope.WRITE)
    async def post(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        rule_id: str,
    ) -> web.Response:
        """Send a test message to every channel of every step."""
        check_query(request, ())
        _known(_rules(coordinator), rule_id)
        notifier = notifier_of(coordinator.hass)
        if notifier is None:
            raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "PiAlert is not loaded")
        if rule_id not in notifier.rules:
            # Saved a moment ago: the update listener has not applied it yet.
            notifier.sync_rules()
        if rule_id not in notifier.rules:
            raise ApiError(
                HTTPStatus.CONFLICT,
                "The saved rule is not valid (see the log); change it first",
            )
        records = await notifier.async_send_test(rule_id)
        body: RuleTestBody = {
            "rule_id": rule_id,
            "deliveries": [
                {
                    "channel": public_channel(r.channel),
                    "status": r.status,
                    "error": r.error,
                }
                for r in records
            ],
        }
        return json_response(body)
