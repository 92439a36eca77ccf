"""The notification rule subentry flow and the Send test action."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_NOTIFICATION_RULE
from custom_components.pialert.diagnostics import async_get_config_entry_diagnostics
from custom_components.pialert.notifier import notifier_of

from .conftest import SetupRules, entity_target, rule

FORM = {
    "name": "On call",
    "scope": "all",
    "when": ["down", "recovered"],
    "group_wait": 0.0,
    "reminder_minutes": 5.0,
    "max_reminders": 2.0,
    "step_1": {
        "notify_services": ["notify.mobile_app_phone"],
        "persistent": True,
        "relay": False,
    },
    "step_2": {"after_minutes": 10.0, "persistent": False, "relay": False},
    "step_3": {
        "after_minutes": 30.0,
        "webhook_url": "http://127.0.0.1:9/hook",
        "webhook_secret": "topsecret",
        "persistent": False,
        "relay": False,
    },
}


async def test_flow_adds_and_changes_a_rule(
    hass: HomeAssistant, setup_rules: SetupRules, phone: list[ServiceCall]
) -> None:
    """The form's sections become steps; an empty later step is dropped."""
    entry = await setup_rules({"nas": entity_target("nas")})
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TYPE_NOTIFICATION_RULE),
        context={"source": SOURCE_USER},
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], FORM
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    data = result["data"]
    assert data["group_wait"] == 0
    assert [step["after_minutes"] for step in data["steps"]] == [0, 30]
    assert data["steps"][1]["webhook_secret"] == "topsecret"
    notifier = notifier_of(hass)
    assert notifier is not None
    (rule_id,) = notifier.rules
    assert notifier.rules[rule_id].reminder_minutes == 5

    subentry = entry.subentries[rule_id]
    result = await entry.start_subentry_reconfigure_flow(hass, rule_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**FORM, "name": "Night shift"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[subentry.subentry_id].title == "Night shift"
    assert notifier.rules[rule_id].name == "Night shift"
    assert SOURCE_RECONFIGURE


async def test_flow_refuses_bad_rules(
    hass: HomeAssistant, setup_rules: SetupRules
) -> None:
    """A tag scope without tags, a step without a channel: translated errors."""
    entry = await setup_rules({"nas": entity_target("nas")})
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TYPE_NOTIFICATION_RULE),
        context={"source": SOURCE_USER},
    )
    bad = {
        **FORM,
        "scope": "tags",
        "step_1": {"persistent": False, "relay": False},
    }
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], bad
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"tags": "tags_required", "base": "step_without_channel"}


async def test_send_test_reaches_every_channel(
    hass: HomeAssistant, setup_rules: SetupRules, phone: list[ServiceCall]
) -> None:
    """Send test: every channel of every step, answered per channel."""
    entry = await setup_rules({"nas": entity_target("nas")}, rule())
    response = await hass.services.async_call(
        DOMAIN,
        "send_test_notification",
        {"rule": "on call"},
        blocking=True,
        return_response=True,
    )
    assert response == {
        "deliveries": [
            {
                "channel": "entity:notify.both_phones",
                "status": "failed",
                "error": response["deliveries"][0]["error"],
            },
            {"channel": "persistent:", "status": "sent", "error": None},
            {
                "channel": "service:notify.mobile_app_phone",
                "status": "sent",
                "error": None,
            },
        ]
    }
    assert [c.data["message"] for c in phone] == [
        "Test message from the notification rule On call"
    ]
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "send_test_notification", {"rule": "nope"}, blocking=True
        )
    assert err.value.translation_key == "unknown_rule"
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    deliveries = diagnostics["notifications"]["deliveries"]
    assert [d["status"] for d in deliveries] == ["failed", "sent", "sent"]


async def test_webhook_secret_is_redacted_from_diagnostics(
    hass: HomeAssistant, setup_rules: SetupRules
) -> None:
    """Diagnostics never show a webhook's secret or URL."""
    entry = await setup_rules(
        {"nas": entity_target("nas")},
        rule(steps=[{"webhook_url": "http://127.0.0.1:9/x", "webhook_secret": "k"}]),
    )
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    (rule_data,) = [
        s
        for s in diagnostics["subentries"]
        if s["type"] == SUBENTRY_TYPE_NOTIFICATION_RULE
    ]
    step = rule_data["data"]["steps"][0]
    assert step["webhook_secret"] == "**REDACTED**"
    assert step["webhook_url"] == "**REDACTED**"
