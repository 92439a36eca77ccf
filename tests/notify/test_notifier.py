"""Notification rules in a real Home Assistant, with a frozen clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.notify_actions import MOBILE_ACTION_EVENT

from ..platform_helpers import NOW, status_of
from .conftest import RecordingNotify, SetupRules, entity_target, rule

THREE = {
    "nas": entity_target("nas"),
    "printer": entity_target("printer"),
    "camera": entity_target("camera"),
}


async def _down(hass: HomeAssistant, *names: str) -> None:
    for name in names:
        hass.states.async_set(f"sensor.{name}", "95")
    await hass.async_block_till_done(wait_background_tasks=True)


async def _advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _messages(calls: list[ServiceCall]) -> list[str]:
    return [call.data["message"] for call in calls]


async def test_burst_is_grouped_into_one_message(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """Three targets down within the group wait: one phone message after 30 s."""
    freezer.move_to(NOW)
    notes: dict[str, Any] = {}
    persistent_notification.async_register_callback(
        hass, lambda _change, changed: notes.update(changed)
    )
    await setup_rules(THREE, rule())
    await _down(hass, "nas")
    await _advance(hass, freezer, 5)
    await _down(hass, "printer", "camera")
    await _advance(hass, freezer, 20)
    assert phone == []
    await _advance(hass, freezer, 6)
    assert _messages(phone) == ["3 targets down: Nas, Printer, Camera"]
    buttons = phone[0].data["data"]["actions"]
    assert [b["title"] for b in buttons] == ["Acknowledge", "Silence 1 h"]
    assert notes["pialert_rule_rule_on_call"]["message"] == (
        "3 targets down: Nas, Printer, Camera"
    )


async def test_action_button_acknowledges_and_stops_escalation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """Step 2 reaches both phones at 10 min unless the phone's button acknowledged."""
    freezer.move_to(NOW)
    entry = await setup_rules({"nas": entity_target("nas")}, rule(group_wait=0))
    await _down(hass, "nas")
    assert len(phone) == 1
    assert phone[0].data["message"].startswith("Nas is down: ")
    ack = phone[0].data["data"]["actions"][0]["action"]
    hass.bus.async_fire(MOBILE_ACTION_EVENT, {"action": ack})
    await hass.async_block_till_done(wait_background_tasks=True)
    view = entry.runtime_data.coordinator.data.targets["nas"]
    assert view.acknowledgement is not None
    assert str(status_of(entry, "nas")) == "down"
    await _advance(hass, freezer, 11 * 60)
    assert both_phones.sent == []
    assert _messages(phone)[1:] == ["Nas acknowledged by Home Assistant"]


async def test_escalation_then_recovery_to_everyone_notified(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """Unacknowledged for 10 min: both phones; recovery reaches both steps."""
    freezer.move_to(NOW)
    await setup_rules({"nas": entity_target("nas")}, rule(group_wait=0))
    await _down(hass, "nas")
    await _advance(hass, freezer, 9 * 60)
    assert both_phones.sent == []
    await _advance(hass, freezer, 61)
    assert both_phones.sent == [("PiAlert", "Still unacknowledged after 10 min: Nas")]
    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert both_phones.sent[-1] == ("PiAlert", "Nas is up again")
    assert _messages(phone)[-1] == "Nas is up again"
    assert "data" not in phone[-1].data  # no buttons on a recovery


async def test_reminders_until_the_limit(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
) -> None:
    """A reminder every minute, three at most, with a template's words."""
    freezer.move_to(NOW)
    await setup_rules(
        {"nas": entity_target("nas")},
        rule(
            group_wait=0,
            reminder_minutes=1,
            max_reminders=3,
            steps=[{"notify_services": ["notify.mobile_app_phone"]}],
            message_template="{{ event }}: {{ targets | map(attribute='name') | join(', ') }}",
        ),
    )
    await _down(hass, "nas")
    for _ in range(6):
        await _advance(hass, freezer, 60)
    assert _messages(phone) == ["down: Nas"] + ["reminder: Nas"] * 3


async def test_wan_outage_is_one_message_per_rule(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """The router down and 50 hosts behind it: one message per rule naming them."""
    freezer.move_to(NOW)
    targets = {"router": entity_target("router")}
    targets |= {
        f"host{i:02}": entity_target(f"host{i:02}", depends_on="router")
        for i in range(50)
    }
    second = rule(
        name="Dashboard",
        steps=[{"notify_entities": ["notify.both_phones"]}],
    )
    await setup_rules(targets, rule(), second)
    await _down(hass, *targets)
    await _advance(hass, freezer, 31)
    assert len(phone) == 1
    assert len(both_phones.sent) == 1
    message = phone[0].data["message"]
    assert message.startswith("Router is down: ")
    assert "Also unreachable because of it: Host00, Host01" in message
    assert message.count("Host") == 50


async def test_silence_button_silences_for_an_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """The Silence 1 h button silences the targets: no escalation, no message."""
    freezer.move_to(NOW)
    entry = await setup_rules({"nas": entity_target("nas")}, rule(group_wait=0))
    await _down(hass, "nas")
    silence = phone[0].data["data"]["actions"][1]["action"]
    hass.bus.async_fire(MOBILE_ACTION_EVENT, {"action": silence})
    hass.bus.async_fire(MOBILE_ACTION_EVENT, {"action": "PIALERT_ACK:unknown"})
    hass.bus.async_fire(MOBILE_ACTION_EVENT, {"action": "SOMETHING_ELSE"})
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = entry.runtime_data.coordinator
    (active,) = coordinator.monitor.silences.values()
    assert active.target_ids == frozenset({"nas"})
    assert (active.ends_at - active.starts_at).total_seconds() == 3600
    assert coordinator.data.targets["nas"].silenced
    await _advance(hass, freezer, 11 * 60)
    assert both_phones.sent == []
    assert len(phone) == 1
